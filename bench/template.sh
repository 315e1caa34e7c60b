#!/usr/bin/env bash
# Go text/template engine benchmark on one generated workload (2,000 templates: defines, include
# and template calls, ranges, printf; ~50k lines of output), side by side:
#   - Go's own text/template + Sprig (bench/go-template, built here from Debian's packages, offline),
#     set up as Helm's engine: the engine figure the 3x target is measured against;
#   - Bosun's GoTemplate (bosun-bench template, release build);
#   - helm template on the equivalent chart, for reference (whole process: chart loading, YAML).
# Usage: bench/template.sh [FILES] [RUNS]   (defaults 2000, 3). Engines run ITER=5 iterations per
# process and report their best; processes are repeated RUNS times and the median is shown.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES="${1:-2000}"
RUNS="${2:-3}"
ITER="${ITER:-5}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
HELM="${HELM:-.oracles/helm4/helm}"
[ -x "$HELM" ] || bash scripts/install-oracles.sh >/dev/null

# Go's engine with Helm's function set, built offline from Debian's packages (no module proxy).
GOBENCH="$WORK/go-template"
if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/github.com/Masterminds/sprig ]; then
  apt-get install -y golang-go golang-github-masterminds-sprig-dev >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y golang-go golang-github-masterminds-sprig-dev >/dev/null 2>&1; } ||
    echo "warning: cannot install golang-go/sprig from apt; Go engine figures will be missing" >&2
fi
if command -v go >/dev/null; then
  (cd bench/go-template && GOPATH=/usr/share/gocode GO111MODULE=off GOPROXY=off GOFLAGS= go build -o "$GOBENCH" .) ||
    echo "warning: building bench/go-template failed; Go engine figures will be missing" >&2
fi

# Workload: a chart whose templates use only Go builtins and include, so every engine runs
# identical text.
CHART="$WORK/bench"
mkdir -p "$CHART/templates"
printf 'apiVersion: v2\nname: bench\nversion: 0.1.0\n' > "$CHART/Chart.yaml"
{
  printf '{"replicas": 3, "image": {"repository": "nginx", "tag": "1.27"}, "items": ['
  for i in $(seq 0 11); do
    [ "$i" -gt 0 ] && printf ', '
    printf '{"name": "item%d", "port": %d, "enabled": %s, "tags": ["a", "b", "c%d"]}' "$i" $((8000 + i)) $([ $((i % 3)) -eq 0 ] && echo false || echo true) "$i"
  done
  printf '], "env": {'
  for i in $(seq 0 7); do
    [ "$i" -gt 0 ] && printf ', '
    printf '"KEY_%d": "value-%d"' "$i" "$i"
  done
  printf '}}\n'
} > "$CHART/values.json"
cp "$CHART/values.json" "$CHART/values.yaml"
cat > "$CHART/templates/_helpers.tpl" <<'TPL'
{{- define "bench.name" -}}{{ printf "%s-%s" .Values.image.repository .Values.image.tag }}{{- end -}}
{{- define "bench.item" -}}
{{ .name }}: {{ printf "%v/%s" .port (index .tags 2) | printf "%q" }}
{{- end -}}
TPL
for i in $(seq 0 $((FILES - 1))); do
  cat > "$CHART/templates/cm$i.yaml" <<TPL
{{- define "labels$i" }}
    app: {{ .name }}
    tier: {{ if .enabled }}on{{ else }}off{{ end }}
    index: "$i"
{{- end }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-$i
  annotations:
    image: {{ include "bench.name" . }}
  labels:
    {{- template "labels$i" index .Values.items $((i % 12)) }}
data:
{{- range \$i, \$item := .Values.items }}
  {{- if \$item.enabled }}
  item{{ \$i }}: {{ printf "%s:%d:%v" \$item.name (len \$item.tags) \$item.port | printf "%q" }}
  {{- else }}
  {{ template "bench.item" \$item }}
  {{- end }}
{{- end }}
{{- range \$k, \$v := .Values.env }}
  {{ \$k }}: {{ \$v | printf "%q" }}
{{- end }}
  replicas: "{{ .Values.replicas }}"
TPL
done

swift build -c release --product bosun-bench 2>&1 | grep -E "error|Compiling|Build" | tail -3
BENCH="$(swift build -c release --show-bin-path)/bosun-bench"

# The machine may be shared: wall time then measures the run queue, so CPU time (user+sys) is
# reported next to it and the speedup is computed on CPU time.
measure() { /usr/bin/time -f "%e %U %S" "$@" 2>&1 >/dev/null | tail -1; }
stats() { sort -n | awk '{a[NR]=$1} END {printf "min=%.3fs median=%.3fs", a[1], a[int((NR+1)/2)]}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Helm variants: the chart as is; a "silent" chart whose files include the same template bodies
# (same parse and execute work in Go's engine, empty output, so no YAML parsing or printing);
# a one-file chart for helm's fixed cost.
SILENT="$WORK/silent"; cp -r "$CHART" "$SILENT"
for f in "$SILENT"/templates/cm*.yaml; do
  n=$(basename "$f" .yaml); mv "$f" "$SILENT/templates/_$n.tpl"
  printf '{{- $_ := include "bench/templates/_%s.tpl" . }}\n' "$n" > "$f"
done
BASE="$WORK/base"; mkdir -p "$BASE/templates"; cp "$CHART/Chart.yaml" "$CHART/values.yaml" "$BASE/"
cp "$CHART/templates/_helpers.tpl" "$CHART/templates/cm0.yaml" "$BASE/templates/"

echo "workload: $FILES templates + _helpers.tpl ($( "$HELM" template "$CHART" | wc -l ) lines of helm output)"
# Engines: "ITER iterations in one process, best of them" lines; process runs RUNS times.
field() { sed -E "s/.* $1=([0-9.]+).*/\1/"; }
engine() { # name command...
  local name=$1; shift
  : > "$WORK/$name.cpu"; : > "$WORK/$name.wall"; : > "$WORK/$name.bytes"
  for run in $(seq 1 "$RUNS"); do
    line=$("$@" "$CHART" "$ITER")
    echo "  $name run $run: $line"
    echo "$line" | sed -E 's/.*cpu: parse=[0-9.]+s execute=[0-9.]+s total=([0-9.]+)s.*/\1/' >> "$WORK/$name.cpu"
    echo "$line" | sed -E 's/.*wall: parse=[0-9.]+s execute=[0-9.]+s total=([0-9.]+)s.*/\1/' >> "$WORK/$name.wall"
    echo "$line" | field output_bytes >> "$WORK/$name.bytes"
  done
}
echo "--- engines: parse all templates + execute every file, best of $ITER in-process iterations"
[ -x "$GOBENCH" ] && engine go "$GOBENCH"
engine bosun "$BENCH" template
for variant in full silent base; do
  case $variant in full) dir="$CHART";; silent) dir="$SILENT";; base) dir="$BASE";; esac
  : > "$WORK/helm-$variant.wall"; : > "$WORK/helm-$variant.cpu"
  for run in $(seq 1 "$RUNS"); do
    read -r wall user sys < <(measure "$HELM" template "$dir")
    echo "$wall" >> "$WORK/helm-$variant.wall"; echo "$user + $sys" | bc >> "$WORK/helm-$variant.cpu"
  done
done
: > "$WORK/bosunp.wall"; : > "$WORK/bosunp.cpu"
for run in $(seq 1 "$RUNS"); do
  read -r wall user sys < <(measure "$BENCH" template "$CHART" 1)
  echo "$wall" >> "$WORK/bosunp.wall"; echo "$user + $sys" | bc >> "$WORK/bosunp.cpu"
done

bytes=$(median < "$WORK/bosun.bytes")
ms() { echo "scale=1; $1 * 1000 / 1" | bc; }
mbs() { echo "scale=1; $bytes / $1 / 1000000" | bc; }
echo
printf '%-34s %12s %12s %10s\n' "" "cpu ms/run" "wall ms/run" "MB/s(cpu)"
row() { printf '%-34s %12s %12s %10s\n' "$1" "$(ms "$2")" "$(ms "$3")" "$(mbs "$2")"; }
if [ -s "$WORK/go.cpu" ]; then
  gc=$(median < "$WORK/go.cpu"); gw=$(median < "$WORK/go.wall")
  row "Go text/template+sprig (engine)" "$gc" "$gw"
  [ "$(median < "$WORK/go.bytes")" = "$bytes" ] || echo "warning: output sizes differ: go $(median < "$WORK/go.bytes") bosun $bytes" >&2
fi
bc_=$(median < "$WORK/bosun.cpu"); bw=$(median < "$WORK/bosun.wall")
row "Bosun GoTemplate (engine)" "$bc_" "$bw"
row "helm template (process)" "$(median < "$WORK/helm-full.cpu")" "$(median < "$WORK/helm-full.wall")"
row "bosun-bench template (process)" "$(median < "$WORK/bosunp.cpu")" "$(median < "$WORK/bosunp.wall")"
row "helm silent chart (process)" "$(median < "$WORK/helm-silent.cpu")" "$(median < "$WORK/helm-silent.wall")"
row "helm one-file chart (process)" "$(median < "$WORK/helm-base.cpu")" "$(median < "$WORK/helm-base.wall")"
echo "output: $bytes bytes per run"
echo
if [ -s "$WORK/go.cpu" ]; then
  echo "speedup vs Go's engine, cpu : $(echo "scale=2; $gc / $bc_" | bc)x"
  echo "speedup vs Go's engine, wall: $(echo "scale=2; $gw / $bw" | bc)x"
fi
echo "speedup, process cpu vs helm template: $(echo "scale=2; $(median < "$WORK/helm-full.cpu") / $(median < "$WORK/bosunp.cpu")" | bc)x"
