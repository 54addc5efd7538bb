// examples/daemonplan/main.cpp: the `daemonplan` command-line tool. `plan` prints what the DaemonSet
// controller would do in one sync, `explain` why each node does or does not get the pod, `validate`
// what the API server would reject. Exit status 0, 1 (validate found errors), 2 (bad usage or input).
#include <algorithm>
#include <chrono>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <daemonplan/json.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/reconcile.hpp>
#include <daemonplan/validate.hpp>
#include <daemonplan/version.hpp>

#include "input.hpp"
#include "output.hpp"
#include "synth.hpp"

namespace daemonplan::cli {
namespace {

/// Every option of every command.
struct options {
  std::string daemonset{};
  std::string nodes{};
  std::string pods{};
  std::string now{};
  std::string revision{};
  std::string name{};
  std::string node{};
  std::string file{};
  std::string output{"text"};
};

/// `-` may stand for at most one input: standard input can be read only once.
void check_stdin(std::initializer_list<const std::string*> paths) {
  if (std::ranges::count_if(paths, [](const std::string* p) { return *p == "-"; }) > 1)
    throw input_error("only one input can be read from standard input ('-')");
}

/// The command's DaemonSet as the API server would store it; an invalid one is an input error
/// naming its first problem (plan and explain need an object the API server would accept).
daemon_set load_daemon_set(const options& o, std::istream& in) {
  const auto file = read_input(o.daemonset, in);
  const auto objects = daemon_set_objects(file);
  const auto& object = pick_daemon_set(file, objects, o.name);
  auto ds = to_daemon_set(file, object);
  if (const auto errors = validate(ds); !errors.empty()) {
    auto first = errors.front();
    first.message = std::string(to_string(first.code)) + ": " + first.message;
    const auto more = errors.size() > 1 ? " (and " + std::to_string(errors.size() - 1) + " more)" : std::string();
    throw input_error(describe(file, object.where, first) + more + "; run 'daemonplan validate " + o.daemonset + "'");
  }
  return ds;
}

timestamp parse_now(const std::string& text) {
  if (text.empty()) return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto t = parse_timestamp(text);
  if (!t) throw input_error("--now: malformed timestamp \"" + text + "\", want RFC 3339 like 2024-01-03T20:35:11Z");
  return *t;
}

int run_plan(const options& o, std::istream& in, std::ostream& out) {
  check_stdin({&o.daemonset, &o.nodes, &o.pods});
  const auto now = parse_now(o.now);
  auto ds = load_daemon_set(o, in);
  ds.revision = o.revision;
  const auto nodes = load_nodes(read_input(o.nodes, in));
  const auto pods = o.pods.empty() ? std::vector<pod>{} : load_pods(read_input(o.pods, in));
  const auto p = reconcile(ds, nodes, pods, reconcile_options{.now = now});
  if (o.output == "json")
    out << plan_document(ds, p).dump(2) << "\n";
  else
    out << plan_text(ds, p);
  return 0;
}

int run_explain(const options& o, std::istream& in, std::ostream& out) {
  check_stdin({&o.daemonset, &o.nodes});
  const auto ds = load_daemon_set(o, in);
  const auto nodes_file = read_input(o.nodes, in);
  auto nodes = load_nodes(nodes_file);
  std::ranges::sort(nodes, {}, [](const node& n) -> const std::string& { return n.metadata.name; });
  if (!o.node.empty()) {
    std::erase_if(nodes, [&](const node& n) { return n.metadata.name != o.node; });
    if (nodes.empty()) throw input_error(nodes_file.name + ": no node named \"" + o.node + "\" (--node)");
  }
  const auto placement = daemon_placement::make(ds);
  std::vector<node_explanation> explained;
  explained.reserve(nodes.size());
  for (const auto& n : nodes) explained.push_back(placement.explain(n));
  if (o.output == "json")
    out << explain_document(explained).dump(2) << "\n";
  else
    out << explain_text(ds, explained);
  return 0;
}

int run_validate(const options& o, std::istream& in, std::ostream& out) {
  const auto file = read_input(o.file, in);
  std::vector<validation> results;
  for (const auto& object : daemon_set_objects(file)) {
    auto ds = read_daemon_set(object.value);
    if (ds) {
      results.push_back({ds->metadata.namespace_ + "/" + ds->metadata.name, validate(*ds)});
      continue;
    }
    // An unknown enum string or a missing operator is a validation error upstream (Unsupported
    // value, Required value); a wrong JSON type or a malformed number is a decoding error.
    const auto code = ds.error().code;
    if (code != error_code::not_supported && code != error_code::required)
      throw input_error(describe(file, object.where, ds.error()));
    results.push_back({object_name(object.value), {ds.error()}});
  }
  if (o.output == "json")
    out << validate_document(results).dump(2) << "\n";
  else
    out << validate_text(results);
  return std::ranges::any_of(results, [](const validation& r) { return !r.errors.empty(); }) ? 1 : 0;
}

/// The first line of a message (CLI11's can span several).
std::string first_line(std::string s) { return s.substr(0, s.find('\n')); }

}  // namespace

int run(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err) {
  options o;
  CLI::App app{"daemonplan: what the Kubernetes DaemonSet controller would do with your cluster, and why.\n"
               "Input: Kubernetes objects as JSON or YAML (kubectl get ... -o json|yaml), '-' for stdin.",
               "daemonplan"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::to_string(DAEMONPLAN_VERSION_MAJOR) + "." +
                                        std::to_string(DAEMONPLAN_VERSION_MINOR) + "." +
                                        std::to_string(DAEMONPLAN_VERSION_PATCH));
  app.footer("Exit status: 0 success; 1 validate found errors; 2 bad usage or unreadable input.\n"
             "The DaemonSet is read as the API server stores it: defaults applied, namespace \"default\" when unset.");

  const auto output_option = [&](CLI::App* cmd) {
    cmd->add_option("-o,--output", o.output, "Output format: text (for people) or json (default: text)")
        ->type_name("FORMAT")
        ->check(CLI::IsMember({"text", "json"}));
  };
  const auto daemonset_options = [&](CLI::App* cmd) {
    cmd->add_option("--daemonset", o.daemonset, "DaemonSet file (a DaemonSet, a List, or a multi-document YAML)")
        ->type_name("FILE")
        ->required();
    cmd->add_option("--nodes", o.nodes, "Nodes file (kubectl get nodes -o json|yaml)")->type_name("FILE")->required();
    cmd->add_option("--name", o.name, "The DaemonSet to use when the file holds several")->type_name("NAMESPACE/NAME");
  };

  auto* plan_cmd = app.add_subcommand("plan", "Plan one sync: the pods to create, delete and patch");
  daemonset_options(plan_cmd);
  plan_cmd->add_option("--pods", o.pods, "Pods file (kubectl get pods -o json|yaml); none means no pods")
      ->type_name("FILE");
  plan_cmd->add_option("--now", o.now, "The sync's clock (default: the current time)")->type_name("RFC3339");
  plan_cmd->add_option("--revision", o.revision,
                       "The current controller-revision-hash (default: a stable hash of the template)")
      ->type_name("HASH");
  output_option(plan_cmd);

  auto* explain_cmd = app.add_subcommand("explain", "Say for each node whether it gets the pod, and why not");
  daemonset_options(explain_cmd);
  explain_cmd->add_option("--node", o.node, "Explain this node only")->type_name("NAME");
  output_option(explain_cmd);

  auto* validate_cmd = app.add_subcommand("validate", "Check DaemonSets as the API server would (exit 1 on errors)");
  validate_cmd->add_option("FILE", o.file, "DaemonSet file ('-' for stdin)")->type_name("")->required();
  output_option(validate_cmd);

  synth_arguments synth_args;
  auto* synth_cmd = add_synth_command(app, synth_args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, out, err);  // --help, --version
    err << "daemonplan: " << first_line(e.what()) << " (see daemonplan --help)\n";
    return 2;
  }
  try {
    if (plan_cmd->parsed()) return run_plan(o, in, out);
    if (explain_cmd->parsed()) return run_explain(o, in, out);
    if (synth_cmd->parsed()) return run_synth(synth_args, out);
    return run_validate(o, in, out);
  } catch (const input_error& e) {
    err << "daemonplan: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace daemonplan::cli

int main(int argc, char** argv) {
  try {
    return daemonplan::cli::run(argc, argv, std::cin, std::cout, std::cerr);
  } catch (const std::bad_alloc&) {
    std::cerr << "daemonplan: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "daemonplan: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "daemonplan: internal error\n";
  }
  return 2;
}
