#!/usr/bin/env bash
# Installs the toolchain (apt-get), then configures, builds and tests daemonplan the way CI does:
# GCC (dev preset), Clang (clang), Clang with ASan+UBSan (asan), every header compiled on its own
# (all_verify_interface_header_sets, part of those build presets), and the benchmarks built in
# Release without being timed. Ends with each step's time and the ctest totals.
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

step "release: build the benchmarks (not timed)"
cmake --preset release
cmake --build --preset release --target daemonplan_benchmarks
done_step "release: benchmarks built"
