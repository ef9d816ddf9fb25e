#!/usr/bin/env bash
# Installs what is missing, builds with g++ and -Werror, runs every test; then
# builds again with clang and AddressSanitizer + UndefinedBehaviorSanitizer
# (-Werror too) and runs them again, so that both supported compilers build
# everything; then runs each libFuzzer target for a bounded time (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test

jobs=$(nproc)
run_suite() {  # run_suite BUILD_DIR [cmake args...]
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DCHORUS_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j 1
}

echo "== build and test (g++, -Werror)"
run_suite build/ci -DCMAKE_BUILD_TYPE=RelWithDebInfo

echo "== build and test under ASan + UBSan (clang 14, -Werror)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
CC=clang-14 CXX=clang++-14 run_suite build/ci-asan -DCMAKE_BUILD_TYPE=Debug -DCHORUS_SANITIZE=ON \
  -DCHORUS_BUILD_BENCH=OFF

echo "== fuzz (libFuzzer + ASan/UBSan, ${FUZZ_SECONDS:-30} s per target)"
scripts/fuzz.sh
