#!/usr/bin/env bash
# Kube client benchmark: 1,000 server-side applies of ConfigMaps against `kubesim serve` (TLS,
# client certificate) through bosun's client (16 in flight), then the same objects with
# `kubectl apply --server-side` (one process, its own parallelism). Prints requests/s and p50/p99.
set -euo pipefail
cd "$(dirname "$0")/.."
OBJECTS="${OBJECTS:-1000}"
PARALLELISM="${PARALLELISM:-16}"
swift build -c release --product kubesim >/dev/null
swift build -c release --product bosun-bench >/dev/null
work="$(mktemp -d)"
trap 'kill "$sim" 2>/dev/null || true; rm -rf "$work"' EXIT
.build/release/kubesim serve --tls --write-kubeconfig "$work/kubeconfig" >"$work/kubesim.log" 2>&1 &
sim=$!
for _ in $(seq 100); do [ -s "$work/kubeconfig" ] && break; sleep 0.1; done

.build/release/bosun-bench kube --kubeconfig "$work/kubeconfig" --objects "$OBJECTS" --parallelism "$PARALLELISM"

# kubectl: same objects in a second namespace, one multi-document file.
kubectl=".oracles/kubectl/kubectl"
export KUBECONFIG="$work/kubeconfig" HOME="$work"
"$kubectl" create namespace bench-kubectl >/dev/null
for i in $(seq 0 $((OBJECTS - 1))); do
  printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench-%d\n  namespace: bench-kubectl\n  labels: {app: bench}\ndata:\n  index: "%d"\n  payload: %s\n' \
    "$i" "$i" "$(printf 'x%.0s' $(seq 256))"
done >"$work/objects.yaml"
start=$(date +%s.%N)
"$kubectl" apply --server-side --field-manager kubectl-bench -f "$work/objects.yaml" >/dev/null
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$OBJECTS" \
  'BEGIN { t = e - s; printf "kubectl %d server-side applies (kubectl apply --server-side): %.2fs, %.0f requests/s (per-request latency not visible)\n", n, t, n / t }'
