#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, -fsanitize=fuzzer,address,undefined)
# and runs each for a bounded time, starting from its seed corpus
# (tests/fuzz-corpus/<target>/) and its kept crash inputs
# (tests/fuzz-regressions/<target>/). Fails if any target crashes; a crashing
# input is copied to tests/fuzz-regressions/<target>/ so that it becomes a
# regression test (ctest fuzz-<target> replays that directory in every build).
#
# Usage: scripts/fuzz.sh [TARGET...]     (default: every target)
# Env:   FUZZ_SECONDS (default 30) per target; FUZZ_BUILD_DIR (default build/fuzz);
#        FUZZ_JOBS (default: nproc) build parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-deps.sh test  # clang-14 and libclang-rt-14-dev (libFuzzer) among them

seconds=${FUZZ_SECONDS:-30}
build=${FUZZ_BUILD_DIR:-build/fuzz}
jobs=${FUZZ_JOBS:-$(nproc)}
all_targets=(siret bulk_input workbook profile response client token sandbox)
targets=("$@")
if ((${#targets[@]} == 0)); then targets=("${all_targets[@]}"); fi

echo "== configure and build the fuzzers (clang-14) in $build"
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHORUS_FUZZ=ON -DCHORUS_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link \
  -DCHORUS_BUILD_BENCH=OFF -DCHORUS_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for t in "${targets[@]}"; do
  echo "== fuzz_$t for ${seconds}s"
  work=$(mktemp -d "${TMPDIR:-/tmp}/chorus-fuzz-$t.XXXXXX")
  mkdir -p "$work/corpus" "$work/artifacts"
  # The fuzzer writes new inputs to the first corpus dir: a scratch copy, so
  # the committed seeds stay small and hand-made.
  cp -r "tests/fuzz-corpus/$t/." "$work/corpus/" 2>/dev/null || true
  seeds=("$work/corpus")
  if [[ -d tests/fuzz-regressions/$t ]]; then seeds+=("tests/fuzz-regressions/$t"); fi
  status=0
  (cd "$work" && "$root/$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$work/artifacts/" "${seeds[@]/#tests/$root/tests}") \
    >"$work/log" 2>&1 || status=$?
  tail -n 12 "$work/log"
  shopt -s nullglob
  artifacts=("$work"/artifacts/*)
  shopt -u nullglob
  if ((status != 0 || ${#artifacts[@]} > 0)); then
    mkdir -p "tests/fuzz-regressions/$t"
    for a in "${artifacts[@]}"; do
      cp "$a" "tests/fuzz-regressions/$t/"
      echo "kept tests/fuzz-regressions/$t/$(basename "$a")" >&2
    done
    grep -m1 -A25 -E '^==[0-9]+==ERROR|runtime error|fuzz check failed|deadly signal' "$work/log" >&2 || true
    failed+=("$t")
    echo "fuzz_$t FAILED (exit $status); full log: $work/log" >&2
  else
    rm -rf "$work"
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzzing found problems in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzzing: no crash in ${targets[*]} (${seconds}s each)"
