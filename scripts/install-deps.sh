#!/usr/bin/env bash
# Installs what building and testing daemonplan needs, from Debian 12's apt repositories.
# Does nothing (and needs no network) when everything is already installed.
set -euo pipefail

packages=(
  g++ clang libclang-rt-14-dev   # GCC 12, Clang 14, Clang's sanitizer and libFuzzer runtimes
  cmake ninja-build              # CMake 3.25
  catch2                         # tests (Catch2 2.13)
  nlohmann-json3-dev libfmt-dev  # daemonplan::json, daemonplan::format
  libyaml-cpp-dev libcli11-dev   # the command-line tool
  libbenchmark-dev               # benchmarks
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
((${#missing[@]})) || exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -q -y --no-install-recommends "${missing[@]}"
