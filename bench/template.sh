#!/usr/bin/env bash
# Go text/template engine benchmark: Bosun's GoTemplate vs helm template (Go's engine) on the
# same generated workload (2,000 templates: defines, template calls, ranges, printf; ~50k lines).
# Usage: bench/template.sh [FILES]   (default 2000). Prints min/median of 3 runs each.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES="${1:-2000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
HELM="${HELM:-.oracles/helm4/helm}"
[ -x "$HELM" ] || bash scripts/install-oracles.sh >/dev/null

# Workload: a chart whose templates use only Go builtins, so both engines run identical text.
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
    image: {{ template "bench.name" . }}
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
: > "$WORK/bosun.wall"; : > "$WORK/bosun.cpu"; : > "$WORK/bosun.engine"
echo "--- bosun-bench template (release build; one process: read files, parse all, execute all)"
for run in 1 2 3; do
  line=$("$BENCH" template "$CHART")
  read -r wall user sys < <(measure "$BENCH" template "$CHART")
  echo "  run $run: $line | process wall=${wall}s cpu=$(echo "$user + $sys" | bc)s"
  echo "$wall" >> "$WORK/bosun.wall"; echo "$user + $sys" | bc >> "$WORK/bosun.cpu"
  echo "$line" | sed -E 's/.*cpu: parse=[0-9.]+s execute=[0-9.]+s total=([0-9.]+)s.*/\1/' >> "$WORK/bosun.engine"
done
for variant in full silent base; do
  case $variant in full) dir="$CHART";; silent) dir="$SILENT";; base) dir="$BASE";; esac
  : > "$WORK/helm-$variant.wall"; : > "$WORK/helm-$variant.cpu"
  for run in 1 2 3; do
    read -r wall user sys < <(measure "$HELM" template "$dir")
    echo "$wall" >> "$WORK/helm-$variant.wall"; echo "$user + $sys" | bc >> "$WORK/helm-$variant.cpu"
  done
done
echo
echo "bosun  engine cpu (parse+execute, in process): $(stats < "$WORK/bosun.engine")"
echo "bosun  process     : wall $(stats < "$WORK/bosun.wall")  cpu $(stats < "$WORK/bosun.cpu")"
echo "helm template      : wall $(stats < "$WORK/helm-full.wall")  cpu $(stats < "$WORK/helm-full.cpu")"
echo "helm silent chart  : wall $(stats < "$WORK/helm-silent.wall")  cpu $(stats < "$WORK/helm-silent.cpu")"
echo "helm one-file chart: wall $(stats < "$WORK/helm-base.wall")  cpu $(stats < "$WORK/helm-base.cpu")"
bp=$(median < "$WORK/bosun.cpu"); hf=$(median < "$WORK/helm-full.cpu"); hs=$(median < "$WORK/helm-silent.cpu"); hb=$(median < "$WORK/helm-base.cpu")
echo
echo "speedup, process cpu vs helm template           : $(echo "scale=1; $hf / $bp" | bc)x"
echo "speedup vs Go's engine (helm silent - fixed cost): $(echo "scale=1; ($hs - $hb) / $bp" | bc)x  (Go figure still includes chart file loading)"
echo "speedup, wall, vs helm template                 : $(echo "scale=1; $(median < "$WORK/helm-full.wall") / $(median < "$WORK/bosun.wall")" | bc)x"
