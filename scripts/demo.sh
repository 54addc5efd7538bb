#!/usr/bin/env bash
# Installs the toolchain (apt-get), builds the `daemonplan` command-line tool, and asks it what the
# DaemonSet controller would do with examples/daemonset-example.yaml on the nodes of
# examples/cluster.yaml, and why some nodes get no pod.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
export CMAKE_BUILD_PARALLEL_LEVEL=${DAEMONPLAN_JOBS:-2}
cmake --preset dev >/dev/null
cmake --build --preset dev --target daemonplan_cli

cli=build/dev/examples/daemonplan
set -x
"$cli" plan --daemonset examples/daemonset-example.yaml --nodes examples/cluster.yaml
"$cli" explain --daemonset examples/daemonset-example.yaml --nodes examples/cluster.yaml
