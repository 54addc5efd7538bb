# The one list of daemonplan's public headers, spelled out (no GLOB): it decides what is installed,
# what `all_verify_interface_header_sets` compiles on its own, and what each target exports.
# A new header goes into exactly one list below. The `header_list` test fails while a file under
# include/ is missing from these lists, or a listed file does not exist.
#
# Configuring skips entries whose file does not exist (yet), so a header can be listed before it is
# written without breaking anyone's build; the list itself stays explicit: nothing is globbed.

set(_dp_core_headers
  version.hpp
  result.hpp
  labels.hpp
  selector.hpp
  taint.hpp
  affinity.hpp
  int_or_percent.hpp
  time.hpp
  raw_fields.hpp
  types.hpp
  daemonset.hpp
  placement.hpp
  node_classes.hpp
  validate.hpp
  plan.hpp
  daemon_pod.hpp
  cluster.hpp
  rollout.hpp
  reconcile.hpp
  synth.hpp
  daemonplan.hpp
  # Internals (namespace daemonplan::detail), installed but not for users to include.
  detail/prefetch.hpp
  detail/name_index.hpp
  detail/interner.hpp
  detail/template_hash.hpp
  detail/daemon_pods.hpp
  detail/backoff.hpp
)
set(_dp_json_headers json.hpp)      # target daemonplan::json   (+ nlohmann_json)
set(_dp_format_headers format.hpp)  # target daemonplan::format (+ fmt)

# Turns the names above into existing paths relative to the project root.
function(_daemonplan_existing out_var)
  set(paths "")
  foreach(name IN LISTS ARGN)
    if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/../include/daemonplan/${name}")
      list(APPEND paths "include/daemonplan/${name}")
    endif()
  endforeach()
  set(${out_var} "${paths}" PARENT_SCOPE)
endfunction()

_daemonplan_existing(DAEMONPLAN_CORE_HEADERS ${_dp_core_headers})
_daemonplan_existing(DAEMONPLAN_JSON_HEADERS ${_dp_json_headers})
_daemonplan_existing(DAEMONPLAN_FORMAT_HEADERS ${_dp_format_headers})

# Every name, existing or not: the `header_list` test compares it with what include/ holds.
set(DAEMONPLAN_ALL_HEADER_NAMES ${_dp_core_headers} ${_dp_json_headers} ${_dp_format_headers})
