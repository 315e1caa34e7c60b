#!/usr/bin/env bash
# Installs Debian's docker-registry (CNCF distribution v2, binary `docker-registry`) and htpasswd
# for the Bundles tests, which start it on loopback. Idempotent; a no-op when already present.
set -euo pipefail
if command -v docker-registry >/dev/null 2>&1; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
