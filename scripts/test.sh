#!/usr/bin/env bash
# Installs the toolchain (apt-get), then configures, builds and tests daemonplan the way CI does:
# GCC (dev preset), Clang (clang), Clang with ASan+UBSan (asan), every header compiled on its own
# (all_verify_interface_header_sets, part of those build presets), the readers fuzzed for 60 s
# (tests/fuzz), and the benchmarks built in Release without being timed. Ends with each step's
# time and the ctest totals.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=${DAEMONPLAN_JOBS:-2}
export CMAKE_BUILD_PARALLEL_LEVEL=$jobs
logs=build/test-logs
mkdir -p "$logs"
summary=()
passed=0
failed=0

step_start=$SECONDS
step() {
  printf '\n==> %s\n' "$*"
  step_start=$SECONDS
}
done_step() { summary+=("$* ($((SECONDS - step_start)) s)"); }
print_summary() {
  local status=$?
  printf '\n==> summary\n'
  printf '%s\n' "${summary[@]}"
  ((status == 0)) || echo "stopped by a failure (exit status $status) after $SECONDS s"
  echo "ctest: $passed passed, $failed failed"
}
trap print_summary EXIT

for preset in dev clang asan; do
  step "$preset: configure and build (all, all_verify_interface_header_sets)"
  cmake --preset "$preset"
  cmake --build --preset "$preset"
  done_step "$preset: built"

  step "$preset: test"
  status=0
  ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$logs/ctest-$preset.log" || status=$?
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$logs/ctest-$preset.log" | tail -n 1 || true)
  if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    failed=$((failed + BASH_REMATCH[1]))
    passed=$((passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
  fi
  done_step "$preset: ${line:-no ctest summary}"
  ((status == 0)) || exit "$status"
done

step "fuzz: the JSON and YAML readers for 60 s (libFuzzer + ASan + UBSan), seeded from tests/bad-input"
cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DDAEMONPLAN_BUILD_FUZZERS=ON >/dev/null
cmake --build build/fuzz --target fuzz_readers
mkdir -p build/fuzz/corpus
seeds=(tests/bad-input tests/golden/inputs examples)
[[ -d ../shared/fixtures/real ]] && seeds+=(../shared/fixtures/real)
build/fuzz/tests/fuzz_readers -max_total_time=60 -timeout=10 -rss_limit_mb=2048 -artifact_prefix=build/fuzz/ \
  build/fuzz/corpus "${seeds[@]}" 2>"$logs/fuzz.log" || { tail -n 40 "$logs/fuzz.log"; exit 1; }
done_step "fuzz: $(grep -Eo 'Done [0-9]+ runs' "$logs/fuzz.log" || echo 'ran'), no finding"

step "release: build the benchmarks (not timed)"
cmake --preset release
cmake --build --preset release --target daemonplan_benchmarks
done_step "release: benchmarks built"

step "release: run every benchmark once at its smallest size (a smoke test; no timing is checked)"
build/release/benchmarks/daemonplan_bench --benchmark_filter='nodes:1000(/|$)' --benchmark_min_time=0.01 \
  2>&1 | tee "$logs/benchmarks-smoke.log"
! grep -q 'ERROR OCCURRED' "$logs/benchmarks-smoke.log" || exit 1
done_step "release: $(grep -c '^[a-z].*/nodes:1000' "$logs/benchmarks-smoke.log") benchmarks ran once"
