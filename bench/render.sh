#!/usr/bin/env bash
# Chart rendering benchmark: `bosun render` vs `helm template` on
#   1. the `helm create` scaffold, and
#   2. a generated chart of 500 templates spread over three subchart levels.
# Prints min/median wall and CPU time (user+sys) of RUNS runs each in milliseconds, the peak RSS
# (GNU time, max of 3 extra runs), the bosun/helm ratios, and whether both printed the same bytes.
# Usage: bench/render.sh [RUNS]   (default 11). Builds bosun in release mode first, the static
# executable Package.swift links for Linux release builds, as shipped (BOSUN=path
# skips the build; BENCH_DIR=dir keeps the generated charts there).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-11}"
if [ -n "${BENCH_DIR:-}" ]; then # keep the generated charts (for profiling)
  WORK="$BENCH_DIR"; rm -rf "$WORK"; mkdir -p "$WORK"
else
  WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
fi
HELM="${HELM:-.oracles/helm4/helm}"
[ -x "$HELM" ] || bash scripts/install-oracles.sh >/dev/null
if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time"
  if [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null; else sudo apt-get install -y time >/dev/null; fi
fi
if [ -z "${BOSUN:-}" ]; then
  swift build -c release --product bosun 2>&1 | tail -1
  BOSUN="$(swift build -c release --show-bin-path)/bosun"
fi

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

# One run of "$@": wall time from bash's EPOCHREALTIME (microseconds), CPU (user+sys) from the
# difference of bash's `times` children totals (milliseconds), so both have ms resolution; GNU
# time's %e/%U have 10 ms steps. Peak RSS comes from separate runs under GNU time (its wrapper
# would add its own start-up to the wall figure).
cpu_ms() { # user+sys of finished children in a saved `times` report, in ms
  tail -1 "$1" | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); n += p[1] * 60000 + p[2] * 1000 } printf "%.0f", n }'
}
declare -A WALL CPU RSS
# Runs alternate between helm and bosun, so load from other processes hits both alike.
measure_pair() { # chart-dir
  local dir="$1" key t0 t1 c0 c1 run
  declare -A walls cpus rsses
  for key in helm bosun; do run_tool "$key" "$dir" > /dev/null; done # warm the page cache
  for _ in $(seq "$RUNS"); do
    for key in helm bosun; do
      times > "$WORK/times0" # the builtin, in this shell: children's totals so far
      t0=$EPOCHREALTIME
      run_tool "$key" "$dir" > "$WORK/out.txt"
      t1=$EPOCHREALTIME
      times > "$WORK/times1"
      c0=$(cpu_ms "$WORK/times0"); c1=$(cpu_ms "$WORK/times1")
      walls[$key]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }') "
      cpus[$key]+="$((c1 - c0)) "
    done
  done
  for _ in 1 2 3; do
    for key in helm bosun; do
      /usr/bin/time -f '%M' -o "$WORK/rss.txt" bash -c "$(declare -f run_tool); HELM='$HELM' BOSUN='$BOSUN' run_tool $key '$dir'" > /dev/null
      rsses[$key]+="$(tail -1 "$WORK/rss.txt") "
    done
  done
  local middle=$(( (RUNS + 1) / 2 )) wsorted csorted
  for key in helm bosun; do
    wsorted=$(printf '%s\n' ${walls[$key]} | sort -g)
    csorted=$(printf '%s\n' ${cpus[$key]} | sort -g)
    WALL[$key,min]=$(echo "$wsorted" | head -1); WALL[$key,med]=$(echo "$wsorted" | sed -n "${middle}p")
    CPU[$key,min]=$(echo "$csorted" | head -1); CPU[$key,med]=$(echo "$csorted" | sed -n "${middle}p")
    RSS[$key]=$(printf '%s\n' ${rsses[$key]} | sort -g | tail -1)
    printf '%-14s wall min %7.1f ms  median %7.1f ms   CPU min %5d ms  median %5d ms   peak RSS %7d KiB\n' \
      "$key" "${WALL[$key,min]}" "${WALL[$key,med]}" "${CPU[$key,min]}" "${CPU[$key,med]}" "${RSS[$key]}"
  done
}
run_tool() { # helm|bosun chart-dir
  if [ "$1" = helm ]; then "$HELM" template "$2"; else "$BOSUN" render "$2"; fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

for chart in scaffold synthetic; do
  dir="$WORK/$chart"
  "$HELM" template "$dir" > "$WORK/helm.out"
  "$BOSUN" render "$dir" > "$WORK/bosun.out"
  if cmp -s "$WORK/helm.out" "$WORK/bosun.out"; then same="identical output"; else same="OUTPUT DIFFERS"; fi
  echo "== $chart ($(grep -c '^kind:' "$WORK/helm.out") documents, $same)"
  measure_pair "$dir"
  printf 'bosun/helm     wall min %sx  median %sx   CPU median %sx   peak RSS %sx   (target: wall <= 0.33x, RSS < 1x)\n' \
    "$(ratio "${WALL[bosun,min]}" "${WALL[helm,min]}")" "$(ratio "${WALL[bosun,med]}" "${WALL[helm,med]}")" \
    "$(ratio "${CPU[bosun,med]}" "${CPU[helm,med]}")" "$(ratio "${RSS[bosun]}" "${RSS[helm]}")"
done
