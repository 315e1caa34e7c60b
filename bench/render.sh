#!/usr/bin/env bash
# Chart rendering benchmark: `bosun render` vs `helm template` on
#   1. the `helm create` scaffold, and
#   2. a generated chart of 500 templates spread over three subchart levels.
# Prints min/median wall time, median CPU time (user+sys) of RUNS runs each and the peak RSS
# (from GNU time's -v report), and whether both printed the same bytes.
# Usage: bench/render.sh [RUNS]   (default 7). Builds bosun in release mode first.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-7}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
HELM="${HELM:-.oracles/helm4/helm}"
[ -x "$HELM" ] || bash scripts/install-oracles.sh >/dev/null
if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time"
  if [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null; else sudo apt-get install -y time >/dev/null; fi
fi
swift build -c release --product bosun 2>&1 | tail -1
BOSUN="$(swift build -c release --show-bin-path)/bosun"

# 1. helm create scaffold
"$HELM" create "$WORK/scaffold" >/dev/null

# 2. synthetic chart: root -> mid -> leaf -> tip, 125 templates each, shared helpers per level.
make_level() { # dir name next-dependency
  local dir="$1" name="$2" dep="${3:-}"
  mkdir -p "$dir/templates"
  printf 'apiVersion: v2\nname: %s\nversion: 1.0.0\n' "$name" > "$dir/Chart.yaml"
  if [ -n "$dep" ]; then printf 'dependencies:\n  - name: %s\n    version: 1.0.0\n' "$dep" >> "$dir/Chart.yaml"; fi
  cat > "$dir/values.yaml" <<VALS
replicas: 2
image: {repository: nginx, tag: "1.27"}
labels: {team: core, tier: $name}
ports: [80, 443, 8080]
global: {env: bench}
VALS
  cat > "$dir/templates/_helpers.tpl" <<TPL
{{- define "$name.fullname" -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "$name.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- range \$k, \$v := .Values.labels }}
{{ \$k }}: {{ \$v | quote }}
{{- end }}
{{- end -}}
TPL
  for i in $(seq 0 124); do
    cat > "$dir/templates/deploy$i.yaml" <<TPL
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "$name.fullname" . }}-$i
  labels:
    {{- include "$name.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
        - name: c$i
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          env:
            - name: ENV
              value: {{ .Values.global.env | quote }}
          ports:
          {{- range .Values.ports }}
            - containerPort: {{ . }}
          {{- end }}
TPL
  done
}
SYN="$WORK/synthetic"
make_level "$SYN" root mid
make_level "$SYN/charts/mid" mid leaf
make_level "$SYN/charts/mid/charts/leaf" leaf tip
make_level "$SYN/charts/mid/charts/leaf/charts/tip" tip

measure() { # label command...
  local label="$1"; shift
  local times=() cpus=() rss=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v -o "$WORK/time.txt" "$@" > "$WORK/out.txt"
    times+=("$(grep 'Elapsed (wall clock)' "$WORK/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')")
    cpus+=("$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$WORK/time.txt")")
    rss+=("$(grep 'Maximum resident set size' "$WORK/time.txt" | awk '{print $NF}')")
  done
  local sorted min median cpu maxrss middle
  middle=$(( (RUNS + 1) / 2 ))
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  min=$(echo "$sorted" | head -1)
  median=$(echo "$sorted" | sed -n "${middle}p")
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "${middle}p")
  maxrss=$(printf '%s\n' "${rss[@]}" | sort -g | tail -1)
  printf '%-16s wall min %6.3fs  median %6.3fs   CPU median %6.2fs   peak RSS %7d KiB\n' "$label" "$min" "$median" "$cpu" "$maxrss"
}

for chart in scaffold synthetic; do
  dir="$WORK/$chart"
  "$HELM" template "$dir" > "$WORK/helm.out"
  "$BOSUN" render "$dir" > "$WORK/bosun.out"
  if cmp -s "$WORK/helm.out" "$WORK/bosun.out"; then same="identical output"; else same="OUTPUT DIFFERS"; fi
  echo "== $chart ($(grep -c '^kind:' "$WORK/helm.out") documents, $same)"
  measure "helm template" "$HELM" template "$dir"
  measure "bosun render" "$BOSUN" render "$dir"
done
