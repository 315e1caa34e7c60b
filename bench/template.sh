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

now() { date +%s.%N; }
stats() { sort -n | awk '{a[NR]=$1} END {printf "min=%.3fs median=%.3fs", a[1], a[int((NR+1)/2)]}'; }

echo "workload: $FILES templates + _helpers.tpl in $CHART"
echo "--- bosun-bench template (parse + execute, release build)"
: > "$WORK/bosun.times"
for run in 1 2 3; do
  s=$(now); line=$("$BENCH" template "$CHART"); e=$(now)
  echo "  run $run: $line wall=$(echo "$e - $s" | bc)s"
  echo "$line" | sed -E 's/.*total=([0-9.]+)s.*/\1/' >> "$WORK/bosun.times"
done
echo "--- helm template (Go text/template + chart loading, YAML parsing of output, sorting, printing)"
: > "$WORK/helm.times"
for run in 1 2 3; do
  s=$(now); "$HELM" template "$CHART" > "$WORK/helm.out"; e=$(now)
  echo "$e - $s" | bc >> "$WORK/helm.times"
done
echo "  output: $(wc -l < "$WORK/helm.out") lines"
# Helm's fixed cost on a one-template chart of the same shape, to separate startup from rendering.
BASE="$WORK/base"; mkdir -p "$BASE/templates"; cp "$CHART/Chart.yaml" "$CHART/values.yaml" "$BASE/"
cp "$CHART/templates/_helpers.tpl" "$CHART/templates/cm0.yaml" "$BASE/templates/"
: > "$WORK/base.times"
for run in 1 2 3; do
  s=$(now); "$HELM" template "$BASE" > /dev/null; e=$(now)
  echo "$e - $s" | bc >> "$WORK/base.times"
done
BOSUN=$(stats < "$WORK/bosun.times"); HELMT=$(stats < "$WORK/helm.times"); BASET=$(stats < "$WORK/base.times")
echo
echo "bosun GoTemplate : $BOSUN"
echo "helm template    : $HELMT"
echo "helm 1-file base : $BASET"
bmed=$(sort -n "$WORK/bosun.times" | sed -n 2p); hmed=$(sort -n "$WORK/helm.times" | sed -n 2p); basemed=$(sort -n "$WORK/base.times" | sed -n 2p)
echo "speedup vs helm template (median wall): $(echo "scale=1; $hmed / $bmed" | bc)x"
echo "speedup vs helm minus its fixed cost  : $(echo "scale=1; ($hmed - $basemed) / $bmed" | bc)x"
