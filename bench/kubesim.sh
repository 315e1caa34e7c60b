#!/usr/bin/env bash
# kubesim benchmark (release build): an embedded server on loopback HTTP with 200 watch streams on
# ConfigMaps; 10,000 ConfigMaps created, then read back, over 8 keep-alive connections, every
# create fanned out to every watch. Prints requests/s, p50/p99 latency per phase, the time of a list
# of all objects, watch events delivered and memory (RSS with everything stored and watched, peak).
# Then compares kubesim's JSON codec with Structured's on the same kind of objects.
# Target (issue 5): p99 under 5 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product kubesim 2>&1 | grep -E "error|warning: unre" || true
.build/release/kubesim bench --objects "${OBJECTS:-10000}" --watches "${WATCHES:-200}" --concurrency "${CONCURRENCY:-8}"
.build/release/kubesim bench --codec
