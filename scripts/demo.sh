#!/usr/bin/env bash
# The main job: build bosun and converge the example chart into an embedded simulated cluster
# (kubesim in-process: hooks, weight groups, an external dependency, tracking until ready).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swift build -c release --product bosun
.build/release/bosun converge examples/shop -r shop --sim
