#!/usr/bin/env bash
# Kube client benchmark (release build).
# 1. JSON codec: decode and encode of a large PodList response through Structured's JSON (the
#    codec of the Kube client and of Releases).
# 2. 1,000 server-side applies of ConfigMaps against `kubesim serve --tls` (client certificate)
#    through bosun's client with bosun's default parallelism (30 in flight, DeployOptions.parallelism),
#    then the same objects with `kubectl apply --server-side` (one process, its own parallelism).
#    Prints requests/s and p50/p99 (kubectl shows no per-request latency: its p50/p99 come from
#    kubesim's audit log, the server-side time of each request).
# SCRATCH=.build-release puts the release build beside the debug one (SwiftPM locks a build
# directory, so a separate one lets tests build meanwhile).
set -euo pipefail
cd "$(dirname "$0")/.."
OBJECTS="${OBJECTS:-1000}"
PARALLELISM="${PARALLELISM:-30}"
SCRATCH="${SCRATCH:-.build}"
swift build -c release --scratch-path "$SCRATCH" --product bosun-bench >/dev/null
bin="$SCRATCH/release"
# KUBESIM=path runs that server binary instead of building kubesim in release too.
if [ -z "${KUBESIM:-}" ]; then
  swift build -c release --scratch-path "$SCRATCH" --product kubesim >/dev/null
  KUBESIM="$bin/kubesim"
fi
[ -x .oracles/kubectl/kubectl ] || bash scripts/install-oracles.sh >/dev/null

"$bin/bosun-bench" kube codec --items 5000 --rounds 5

work="$(mktemp -d)"
trap 'kill "$sim" 2>/dev/null || true; rm -rf "$work"' EXIT
"$KUBESIM" serve --tls --no-controllers --audit-log "$work/audit.log" --write-kubeconfig "$work/kubeconfig" \
  >"$work/kubesim.log" 2>&1 &
sim=$!
for _ in $(seq 100); do [ -s "$work/kubeconfig" ] && break; sleep 0.1; done

"$bin/bosun-bench" kube --kubeconfig "$work/kubeconfig" --objects "$OBJECTS" --parallelism "$PARALLELISM"

# kubectl: same objects in a second namespace, one multi-document file.
kubectl=".oracles/kubectl/kubectl"
export KUBECONFIG="$work/kubeconfig" HOME="$work"
"$kubectl" create namespace bench-kubectl >/dev/null
payload="$(printf 'x%.0s' $(seq 256))"
for i in $(seq 0 $((OBJECTS - 1))); do
  printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench-%d\n  namespace: bench-kubectl\n  labels: {app: bench}\ndata:\n  index: "%d"\n  payload: %s\n' \
    "$i" "$i" "$payload"
done >"$work/objects.yaml"
start=$(date +%s.%N)
"$kubectl" apply --server-side --field-manager kubectl-bench -f "$work/objects.yaml" >/dev/null
end=$(date +%s.%N)
# Server-side latency of kubectl's applies (PATCH in namespace bench-kubectl) from the audit log.
grep '"namespace":"bench-kubectl"' "$work/audit.log" | grep '"method":"PATCH"' \
  | sed -E 's/.*"latencyMicroseconds":([0-9]+).*/\1/' | sort -n >"$work/kubectl-latency"
awk -v s="$start" -v e="$end" -v n="$OBJECTS" -v f="$work/kubectl-latency" 'BEGIN {
  t = e - s; c = 0
  while ((getline line < f) > 0) { lat[c++] = line }
  p50 = c ? lat[int(c * 0.5)] / 1000 : 0; p99 = c ? lat[int(c * 0.99)] / 1000 : 0
  printf "kubectl %d server-side applies (kubectl apply --server-side): %.2fs, %.0f requests/s, server-side p50 %.1f ms, p99 %.1f ms\n", n, t, n / t, p50, p99
}'
# The same server-side figure for bosun's applies, for a like-for-like comparison.
grep '"namespace":"bench"' "$work/audit.log" | grep '"method":"PATCH"' \
  | sed -E 's/.*"latencyMicroseconds":([0-9]+).*/\1/' | sort -n | awk '{ lat[c++] = $1 } END {
  if (c) printf "bosun   server-side p50 %.1f ms, p99 %.1f ms (kubesim audit log)\n", lat[int(c * 0.5)] / 1000, lat[int(c * 0.99)] / 1000 }'
