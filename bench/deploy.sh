#!/usr/bin/env bash
# Deploy benchmark: a 300-resource release (200 ConfigMaps, 60 Deployments, 20 Jobs as pre-install/
# pre-upgrade hooks, 20 Services) on kubesim, installed by `bosun converge` and by `helm install
# --wait`, then upgraded with 10% of the resources changed (`helm upgrade --wait`). Each tool gets
# its own fresh kubesim; API requests are counted from kubesim's audit log (one line per request).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
# BUILD=debug measures the debug binaries of .build (quicker to get, slower to run); ONLY=bosun skips
# helm; DETAIL=1 adds the hook cadence, the phases and the most frequent requests of each step.
# BIN=DIR uses binaries already built there (e.g. .build/release) and builds nothing.
if [ -n "${BIN:-}" ]; then
  bin="$BIN"
elif [ "${BUILD:-release}" = debug ]; then
  bin=.build/debug
  swift build --product kubesim >/dev/null
  swift build --product bosun >/dev/null
else
  bin=.build-release/release
  swift build -c release --scratch-path .build-release --product kubesim >/dev/null
  swift build -c release --scratch-path .build-release --product bosun >/dev/null
fi
bash scripts/install-oracles.sh >/dev/null
helm="$root/.oracles/helm4/helm"
work="$(mktemp -d)"
sims=()
trap 'for p in "${sims[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

# The chart: resources with index < 20 (per kind, scaled) change when .Values.rev changes.
chart="$work/bench"
mkdir -p "$chart/templates"
printf 'apiVersion: v2\nname: bench\nversion: 0.1.0\n' >"$chart/Chart.yaml"
printf 'rev: "1"\n' >"$chart/values.yaml"
cat >"$chart/templates/all.yaml" <<'YAML'
{{- range $i := until 200 }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-{{ $i }}
data:
  index: "{{ $i }}"
  rev: "{{ if lt $i 20 }}{{ $.Values.rev }}{{ else }}1{{ end }}"
{{- end }}
{{- range $i := until 60 }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{{ $i }}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web-{{ $i }}}
  template:
    metadata:
      labels: {app: web-{{ $i }}}
      annotations:
        rev: "{{ if lt $i 6 }}{{ $.Values.rev }}{{ else }}1{{ end }}"
    spec:
      containers:
        - name: web
          image: nginx:1.27
{{- end }}
{{- range $i := until 20 }}
---
apiVersion: v1
kind: Service
metadata:
  name: svc-{{ $i }}
  annotations:
    rev: "{{ if lt $i 2 }}{{ $.Values.rev }}{{ else }}1{{ end }}"
spec:
  selector: {app: web-{{ $i }}}
  ports: [{port: 80}]
{{- end }}
{{- range $i := until 20 }}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: hook-{{ $i }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "{{ $i }}"
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: job
          image: busybox
{{- end }}
YAML

# start_sim NAME: a fresh kubesim with an audit log; sets $kubeconfig and $audit.
start_sim() {
  kubeconfig="$work/$1.kubeconfig"
  audit="$work/$1.audit"
  # shellcheck disable=SC2086 # SIM_ARGS is a list of flags
  $bin/kubesim serve --tls --write-kubeconfig "$kubeconfig" --audit-log "$audit" $SIM_ARGS >"$work/$1.log" 2>&1 &
  sims+=($!)
  for _ in $(seq 100); do [ -s "$kubeconfig" ] && break; sleep 0.1; done
}
requests() { wc -l <"$audit" | tr -d ' '; }
# breakdown LABEL FROM TO: requests by verb and resource, and the hook cadence (time between the
# applies of consecutive hooks: the Job pod's simulated 1.5 s plus every latency on top of it).
breakdown() {
  sed -n "$(($2 + 1)),$3p" "$audit" | python3 -c '
import json, sys, collections, datetime
label = sys.argv[1]
rows = [json.loads(l) for l in sys.stdin if l.strip()]
def t(r): return datetime.datetime.fromisoformat(r["time"].replace("Z", "+00:00")).timestamp()
verbs = collections.Counter((r["verb"], r.get("resource", "-")) for r in rows)
top = ", ".join(f"{v} {res} {n}" for (v, res), n in verbs.most_common(8))
applies = [t(r) for r in rows if r.get("resource") == "jobs" and r["method"] == "PATCH" and not r["dryRun"]]
gaps = [b - a for a, b in zip(applies, applies[1:])]
cadence = f"hook cadence min {min(gaps):.2f}s median {sorted(gaps)[len(gaps)//2]:.2f}s max {max(gaps):.2f}s" if gaps else "no hooks"
phases = f"first hook applied at {applies[0] - t(rows[0]):.2f}s, last at {applies[-1] - t(rows[0]):.2f}s, last request at {t(rows[-1]) - t(rows[0]):.2f}s" if applies else ""
print(f"  {label}: {cadence}; {phases}\n    requests: {top}")
' "$1"
}
# measure LABEL COMMAND...: wall time, CPU time (user+sys of the tool) and requests of one command.
measure() {
  local label="$1"; shift
  local before; before=$(requests)
  local start; start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/cpu" "$@" >"$work/out.log" 2>&1 || { cat "$work/out.log"; echo "$label failed"; exit 1; }
  local end; end=$(date +%s.%N)
  local after; after=$(requests)
  local cpu; cpu=$(awk '{ print $1 + $2 }' "$work/cpu")
  awk -v l="$label" -v s="$start" -v e="$end" -v c="$cpu" -v r="$((after - before))" 'BEGIN { printf "%-34s %7.2fs wall %6.2fs CPU %6d API requests\n", l, e - s, c, r }'
  [ -n "${DETAIL:-}" ] && breakdown "$label" "$before" "$after"
  return 0
}

export HOME="$work" NO_COLOR=1
# Two clusters: kubesim's default pace (a hook Job takes 0.5 s to start and 1 s to run, so 20 serial
# hooks cost any tool 30 s), and the same simulation 10x faster, where what is left is mostly the
# tools' own work and waiting. SCENARIOS=default or SCENARIOS=fast runs one.
for scenario in ${SCENARIOS:-default fast}; do
  case "$scenario" in
    default) SIM_ARGS="" ;;
    fast) SIM_ARGS="--clock-scale 10" ;;
    *) echo "unknown scenario $scenario"; exit 2 ;;
  esac
  echo "== cluster: $scenario${SIM_ARGS:+ (kubesim $SIM_ARGS)}"
  start_sim "bosun-$scenario"
  measure "bosun converge (install)" $bin/bosun converge "$chart" -r bench -n bench --create-namespace --kubeconfig "$kubeconfig"
  measure "bosun converge (10% changed)" $bin/bosun converge "$chart" -r bench -n bench --kubeconfig "$kubeconfig" --set rev=2
  [ "${ONLY:-}" = bosun ] && continue
  start_sim "helm-$scenario"
  export KUBECONFIG="$kubeconfig"
  measure "helm install --wait" "$helm" install bench "$chart" -n bench --create-namespace --wait --timeout 10m
  measure "helm upgrade --wait (10% changed)" "$helm" upgrade bench "$chart" -n bench --wait --timeout 10m --set rev=2
done
