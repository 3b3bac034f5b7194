#!/usr/bin/env bash
# Re-creates digits.csv.gz: the UCI optical digits (8x8, 1,797 images, labels 0-9) as shipped by
# scikit-learn (sklearn/datasets/data/digits.csv.gz), taken from the scikit-learn wheel on PyPI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --no-deps --only-binary=:all: scikit-learn==1.9.1 -d "$tmp" >/dev/null
unzip -p "$tmp"/scikit_learn-*.whl sklearn/datasets/data/digits.csv.gz >"$here/digits.csv.gz"
echo "wrote $here/digits.csv.gz"
