#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job: the onboarding
# demo against a fresh chorus-sandbox (see examples/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh demo
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DCHORUS_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc)"
exec examples/onboarding-demo.sh build/release
