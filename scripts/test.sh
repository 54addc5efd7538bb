#!/usr/bin/env bash
# Installs the toolchain (apt-get), then configures, builds and tests daemonplan the way CI does:
# GCC (dev preset), Clang (clang), Clang with ASan+UBSan (asan), every header compiled on its own
# (all_verify_interface_header_sets, part of those build presets), and the benchmarks built in
# Release without being timed.
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

step() { printf '\n==> %s\n' "$*"; }

for preset in dev clang asan; do
  start=$SECONDS
  step "$preset: configure, build, test"
  cmake --preset "$preset"
  cmake --build --preset "$preset"
  status=0
  ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$logs/ctest-$preset.log" || status=$?
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$logs/ctest-$preset.log" | tail -n 1 || true)
  summary+=("$preset: ${line:-no ctest summary} ($((SECONDS - start)) s)")
  if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    failed=$((failed + BASH_REMATCH[1]))
    passed=$((passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
  fi
  ((status == 0)) || { printf '%s\n' "${summary[@]}"; exit "$status"; }
done

start=$SECONDS
step "release: build the benchmarks (not timed)"
cmake --preset release
cmake --build --preset release --target daemonplan_benchmarks
summary+=("release: benchmarks built ($((SECONDS - start)) s)")

step "summary"
printf '%s\n' "${summary[@]}"
echo "ctest: $passed passed, $failed failed"
