#!/usr/bin/env bash
# Rewrite the Tracking reporter golden files (Tests/Fixtures/Tracking/Report) from the current output.
# Review the diff before committing: goldens change only when the output is meant to change.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
BOSUN_UPDATE_GOLDENS=1 swift test --skip-build --filter 'TrackingTests.TrackingReporterTests'
git diff --stat -- Tests/Fixtures/Tracking/Report
