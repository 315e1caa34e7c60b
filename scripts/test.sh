#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the oracles, builds, runs every test.
# Test targets run one after another (each one's tests in parallel): on a 2-core machine, running
# every suite at once starves the time-based kubesim and watch tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/install-oracles.sh
bash scripts/install-registry.sh
swift build --build-tests
targets=(StructuredTests GoTemplateTests ChartsTests KubeSimTests KubeTests ReleasesTests TrackingTests DeployTests BundlesTests EndToEndTests)
if [ "$#" -gt 0 ]; then targets=("$@"); fi
failed=()
for target in "${targets[@]}"; do
  echo "=== $target"
  swift test --skip-build --filter "^${target}\." || failed+=("$target")
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "failed test targets: ${failed[*]}"
  exit 1
fi
echo "all test targets passed: ${targets[*]}"
