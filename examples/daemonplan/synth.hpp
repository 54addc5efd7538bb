// examples/daemonplan/synth.hpp: `daemonplan synth`, a generated cluster (synth.hpp) written as
// Kubernetes JSON for other tools.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include <daemonplan/synth.hpp>

namespace daemonplan::cli {

/// The synth command's arguments.
struct synth_arguments {
  std::size_t nodes{0};
  std::uint64_t seed{0};
  std::size_t daemon_sets{30};
  std::string state{"converged"};
  std::size_t workload_pods{0};
};

/// Adds `synth` to `app`, its options bound to `args`.
CLI::App* add_synth_command(CLI::App& app, synth_arguments& args);

/// Writes the cluster `args` describes: three lines, a NodeList, a DaemonSetList and a PodList,
/// each one compact JSON document. Returns the exit status (0).
int run_synth(const synth_arguments& args, std::ostream& out);

}  // namespace daemonplan::cli
