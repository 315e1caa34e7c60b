#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the oracles, builds, runs every test.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/install-oracles.sh
swift build --build-tests
swift test --skip-build "$@"
