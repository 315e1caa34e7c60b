#!/usr/bin/env bash
# The main job: build bosun and run it on the example chart.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swift build -c release --product bosun
.build/release/bosun render examples/shop -r shop
