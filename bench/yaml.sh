#!/usr/bin/env bash
# Decode + re-encode a 10 MB values file: Bosun (Structured, release build) against helm template
# with `{{ toYaml .Values }}` and the same file as -f. Prints min/median of 3 runs each.
# Usage: bench/yaml.sh [SIZE_BYTES]   (default 10000000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
size="${1:-10000000}"
out="$root/bench/out"
mkdir -p "$out/chart/templates"
bash scripts/install-oracles.sh >/dev/null
helm="$root/.oracles/helm4/helm"

# A realistic values file: nested maps, lists, strings (some long enough to fold), numbers, booleans.
values="$out/values-${size}.yaml"
if [ ! -f "$values" ]; then
  awk -v target="$size" 'BEGIN {
    printf "global:\n  imageRegistry: registry.example.com\n  labels: {team: platform, tier: \"1\"}\nservices:\n"
    n = 0; i = 0
    while (n < target) {
      s = sprintf("  - name: service-%d\n    enabled: %s\n    replicas: %d\n    cpu: %.2f\n    port: %d\n    version: \"%d.%d.%d\"\n", i, (i % 3 == 0 ? "yes" : "true"), i % 7 + 1, (i % 9) * 0.25 + 0.1, 8000 + i % 1000, i % 5, i % 11, i % 13)
      s = s sprintf("    description: \"Service number %d handles requests for tenant %d and keeps a long description so that the emitter folds it\"\n", i, i % 97)
      s = s sprintf("    tags: [alpha, beta, \"gamma-%d\", %d]\n    env:\n      LOG_LEVEL: info\n      TIMEOUT: 30s\n      RATIO: 0.%d\n", i, i, i % 100)
      s = s sprintf("    config: |\n      [server]\n      port = %d\n      name = \"service-%d\"\n    resources:\n      limits: {cpu: 500m, memory: 256Mi}\n      requests: {cpu: 100m, memory: 128Mi}\n", 8000 + i % 1000, i)
      printf "%s", s
      n += length(s); i++
    }
  }' > "$values"
fi
echo "values file: $values ($(wc -c < "$values") bytes)"

printf 'apiVersion: v2\nname: bench\nversion: 0.1.0\n' > "$out/chart/Chart.yaml"
printf '{{ toYaml .Values }}\n' > "$out/chart/templates/values.yaml"

swift build -c release --product bosun-bench 2>&1 | grep -E "error|complete" | tail -3 || true
bench="$(swift build -c release --show-bin-path)/bosun-bench"

echo
echo "== Bosun (decode + toYaml + toJson, in process)"
"$bench" yaml "$values" 3

echo
echo "== helm template -f (load, decode, coalesce, render toYaml, print)"
times=()
cpu=0
for _ in 1 2 3; do
  start=$(date +%s%N)
  user=$( { /usr/bin/time -f "%U" "$helm" template "$out/chart" -f "$values" > /dev/null; } 2>&1 | tail -1)
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
  cpu=$(awk -v a="$cpu" -v b="$user" 'BEGIN { print a + b * 1000 }')
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "helm template: min ${sorted[0]} ms, median ${sorted[1]} ms"
echo "cpu (user, 3 runs): ${cpu} ms"
