#!/usr/bin/env bash
# kubesim benchmark: 10,000 ConfigMaps created and read back over loopback HTTP (8 keep-alive
# connections) while 200 watch streams receive every event. Prints p50/p99 latencies.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product kubesim >/dev/null
.build/release/kubesim bench --objects "${OBJECTS:-10000}" --watches "${WATCHES:-200}" --concurrency "${CONCURRENCY:-8}"
