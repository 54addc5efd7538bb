# tests/cli.cmake: the command-line tool `daemonplan` (examples/daemonplan): its readers' unit test,
# golden outputs (tests/golden), the bad-input corpus (tests/bad-input) and the libFuzzer target
# (tests/fuzz). Included from tests/CMakeLists.txt when the examples, and so the tool, are built.

daemonplan_add_test(NAME cli_test SOURCES cli_test.cpp LIBS daemonplan_cli_lib)

# `daemonplan synth`: its three JSON lines read back through `plan`; converged clusters plan nothing.
add_test(NAME synth_cli
  COMMAND "${CMAKE_COMMAND}" "-DTOOL=$<TARGET_FILE:daemonplan_cli>" "-DWORK=${CMAKE_CURRENT_BINARY_DIR}/synth_cli"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/synth_cli.cmake")

# ---- Golden outputs (tests/golden) ---------------------------------------------------------------
# Each test runs the tool once from the source tree and compares stdout with tests/golden/<file>.
# Regenerate after an intended change: DAEMONPLAN_UPDATE_GOLDEN=1 ctest -L golden (then review git diff).

set(_dp_golden_dir "${CMAKE_CURRENT_SOURCE_DIR}/golden")
set(_dp_now "2025-03-10T12:00:00Z")  # a fixed --now, so plans do not depend on the clock

# daemonplan_add_golden(<file> [EXIT <status>] [REDACT_PODS] [STDIN <file>] ARGS <args...>)
function(daemonplan_add_golden file)
  cmake_parse_arguments(PARSE_ARGV 1 arg "REDACT_PODS" "EXIT;STDIN" "ARGS")
  if(NOT DEFINED arg_EXIT)
    set(arg_EXIT 0)
  endif()
  list(JOIN arg_ARGS "|" joined)
  set(extra "")
  if(arg_REDACT_PODS)
    list(APPEND extra -DREDACT_PODS=ON)
  endif()
  if(arg_STDIN)
    list(APPEND extra "-DSTDIN=${arg_STDIN}")
  endif()
  add_test(NAME "golden.${file}"
    COMMAND "${CMAKE_COMMAND}" "-DTOOL=$<TARGET_FILE:daemonplan_cli>" "-DARGS=${joined}"
            "-DGOLDEN=${_dp_golden_dir}/${file}" "-DEXIT=${arg_EXIT}" ${extra}
            "-DACTUAL_DIR=${CMAKE_CURRENT_BINARY_DIR}/golden-actual" -P "${_dp_golden_dir}/run.cmake"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
  set_tests_properties("golden.${file}" PROPERTIES LABELS "golden")
endfunction()

# The README's demo: examples/daemonset-example.yaml on examples/cluster.yaml.
set(_dp_example --daemonset examples/daemonset-example.yaml --nodes examples/cluster.yaml)
daemonplan_add_golden(example.plan.txt ARGS plan ${_dp_example} --now ${_dp_now})
daemonplan_add_golden(example.plan.json ARGS plan ${_dp_example} --now ${_dp_now} -o json)
daemonplan_add_golden(example.explain.txt ARGS explain ${_dp_example})
daemonplan_add_golden(example.explain.json ARGS explain ${_dp_example} -o json)
daemonplan_add_golden(example.explain-gpu-1.txt ARGS explain ${_dp_example} --node gpu-1)
daemonplan_add_golden(example.validate.txt ARGS validate examples/daemonset-example.yaml)
daemonplan_add_golden(example.validate.json ARGS validate examples/daemonset-example.yaml -o json)
daemonplan_add_golden(example.validate-stdin.txt STDIN "${PROJECT_SOURCE_DIR}/examples/daemonset-example.yaml"
                      ARGS validate -)

# A live DaemonSet mid-rollout with pods on every path of the controller (tests/golden/inputs).
set(_dp_live --daemonset tests/golden/inputs/daemonset-live.yaml --nodes examples/cluster.yaml
             --pods tests/golden/inputs/pods-live.yaml --revision 7d4b9c8f6d --now ${_dp_now})
daemonplan_add_golden(live.plan.txt ARGS plan ${_dp_live})
daemonplan_add_golden(live.plan.json ARGS plan ${_dp_live} -o json)
daemonplan_add_golden(invalid.validate.txt EXIT 1 ARGS validate tests/golden/inputs/daemonset-invalid.yaml)
daemonplan_add_golden(invalid.validate.json EXIT 1 ARGS validate tests/golden/inputs/daemonset-invalid.yaml -o json)

# Every third-party fixture: each DaemonSet on each node list (plan, explain) and each DaemonSet
# validated. Their JSON plans are REDACT_PODS (see run.cmake): no fixture content in the goldens.
set(_dp_real "${DAEMONPLAN_FIXTURES_DIR}/real")
if(IS_DIRECTORY "${_dp_real}")
  foreach(ds ds-aws-ebs-csi-node.yaml ds-aws-vpc-cni-aws-node.multidoc.yaml ds-gke-nvidia-driver-installer-cos.yaml
             ds-kube-prometheus-node-exporter.yaml ds-nvidia-gpu-feature-discovery.yaml)
    string(REGEX REPLACE "^ds-(.*)\\.yaml$" "\\1" ds_name "${ds}")
    string(REPLACE ".multidoc" "" ds_name "${ds_name}")
    daemonplan_add_golden(real.${ds_name}.validate.txt ARGS validate "${_dp_real}/${ds}")
    daemonplan_add_golden(real.${ds_name}.validate.json ARGS validate "${_dp_real}/${ds}" -o json)
    foreach(nodes nodes-eks-honeycomb.json nodes-kind-popeye-edgecases.yaml nodes-kubeadm-arm64-k8s-graph.json)
      string(REGEX REPLACE "^nodes-(.*)\\.(json|yaml)$" "\\1" nodes_name "${nodes}")
      set(args --daemonset "${_dp_real}/${ds}" --nodes "${_dp_real}/${nodes}")
      set(stem real.${ds_name}.on.${nodes_name})
      daemonplan_add_golden(${stem}.plan.txt ARGS plan ${args} --now ${_dp_now})
      daemonplan_add_golden(${stem}.plan.json REDACT_PODS ARGS plan ${args} --now ${_dp_now} -o json)
      daemonplan_add_golden(${stem}.explain.txt ARGS explain ${args})
      daemonplan_add_golden(${stem}.explain.json ARGS explain ${args} -o json)
    endforeach()
  endforeach()
else()
  message(STATUS "daemonplan: no ${_dp_real}: the golden tests on real fixtures are left out")
endif()

# ---- Bad input (tests/bad-input) ----------------------------------------------------------------
# Each case must end with exit status 2 and one line on stderr that contains EXPECT (validate's
# EXIT 1 cases: EXPECT on stdout). `@CORPUS@` is tests/bad-input, `@WORK@` a scratch folder.

# daemonplan_add_bad_input(<name> EXPECT <text> [EXIT <status>] [GENERATE <what>] ARGS <args...>)
function(daemonplan_add_bad_input name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "EXPECT;EXIT;GENERATE" "ARGS")
  if(NOT DEFINED arg_EXIT)
    set(arg_EXIT 2)
  endif()
  list(JOIN arg_ARGS "|" joined)
  set(extra "")
  if(arg_GENERATE)
    list(APPEND extra "-DGENERATE=${arg_GENERATE}")
  endif()
  add_test(NAME "bad-input.${name}"
    COMMAND "${CMAKE_COMMAND}" "-DTOOL=$<TARGET_FILE:daemonplan_cli>" "-DARGS=${joined}" "-DEXIT=${arg_EXIT}"
            "-DEXPECT=${arg_EXPECT}" "-DWORK=${CMAKE_CURRENT_BINARY_DIR}/bad-input-work/${name}" ${extra}
            -P "${CMAKE_CURRENT_SOURCE_DIR}/bad-input/run.cmake"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
  set_tests_properties("bad-input.${name}" PROPERTIES LABELS "bad-input")
endfunction()

set(_dp_ds examples/daemonset-example.yaml)
set(_dp_nodes examples/cluster.yaml)
daemonplan_add_bad_input(truncated-json EXPECT "truncated.json: line 11, column"
  ARGS plan --daemonset ${_dp_ds} --nodes @CORPUS@/truncated.json)
daemonplan_add_bad_input(yaml-tabs EXPECT "line 12: a tab character in the indentation"
  ARGS validate @CORPUS@/tabs.yaml)
daemonplan_add_bad_input(string-for-list EXPECT "spec.template.spec.tolerations: expected a list, got the string \"everything\""
  ARGS plan --daemonset @CORPUS@/string-for-list.yaml --nodes ${_dp_nodes})
daemonplan_add_bad_input(unknown-effect EXPECT "spec.template.spec.tolerations[1].effect: unknown taint effect \"NoExecuet\""
  ARGS plan --daemonset @CORPUS@/unknown-effect.yaml --nodes ${_dp_nodes})
daemonplan_add_bad_input(unknown-effect-validate EXIT 1 EXPECT "spec.template.spec.tolerations[1].effect: Unsupported value"
  ARGS validate @CORPUS@/unknown-effect.yaml)
daemonplan_add_bad_input(max-unavailable-120-plan EXPECT "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%"
  ARGS plan --daemonset @CORPUS@/max-unavailable-120.yaml --nodes ${_dp_nodes})
daemonplan_add_bad_input(max-unavailable-120-validate EXIT 1 EXPECT "must not be greater than 100%"
  ARGS validate @CORPUS@/max-unavailable-120.yaml)
daemonplan_add_bad_input(duplicate-key EXPECT "spec.template.metadata.labels: line 14, column 9: duplicate key \"app\""
  ARGS validate @CORPUS@/duplicate-key.yaml)
daemonplan_add_bad_input(int32-overflow EXPECT "spec.minReadySeconds: the number 3000000000 does not fit in a 32-bit integer"
  ARGS validate @CORPUS@/int32-overflow.yaml)
daemonplan_add_bad_input(duplicate-nodes EXPECT "duplicate node name \"worker-1\""
  ARGS plan --daemonset ${_dp_ds} --nodes @CORPUS@/duplicate-nodes.json)
daemonplan_add_bad_input(bad-timestamp EXPECT "items[0].metadata.creationTimestamp: malformed timestamp \"2024-02-30T10:00:00Z\""
  ARGS explain --daemonset ${_dp_ds} --nodes @CORPUS@/bad-timestamp.json)
daemonplan_add_bad_input(wrong-kind EXPECT "kind: expected Node, NodeList or List, got \"PodList\""
  ARGS explain --daemonset ${_dp_ds} --nodes @CORPUS@/wrong-kind.json)
daemonplan_add_bad_input(no-daemonset EXPECT "no-daemonset.yaml: no DaemonSet in the file"
  ARGS validate @CORPUS@/no-daemonset.yaml)
daemonplan_add_bad_input(two-daemonsets EXPECT "holds 2 DaemonSets (monitoring/agent, monitoring/agent-2); pick one with --name"
  ARGS plan --daemonset @CORPUS@/two-daemonsets.yaml --nodes ${_dp_nodes})
daemonplan_add_bad_input(deeply-nested EXPECT "nested deeper than 512 levels"
  ARGS plan --daemonset ${_dp_ds} --nodes @CORPUS@/deeply-nested.json)
daemonplan_add_bad_input(deeply-nested-yaml GENERATE deep-yaml EXPECT "nested too deeply"
  ARGS plan --daemonset ${_dp_ds} --nodes @WORK@/deep.yaml)
daemonplan_add_bad_input(alias-bomb EXPECT "alias bomb"
  ARGS plan --daemonset ${_dp_ds} --nodes @CORPUS@/alias-bomb.yaml)
daemonplan_add_bad_input(empty-file EXPECT "empty.yaml: the file is empty"
  ARGS plan --daemonset @CORPUS@/empty.yaml --nodes ${_dp_nodes})
daemonplan_add_bad_input(binary-file EXPECT "binary data, not JSON or YAML"
  ARGS plan --daemonset ${_dp_ds} --nodes @CORPUS@/binary.bin)
daemonplan_add_bad_input(big-label-value GENERATE big-label EXPECT "node \"worker-1\": metadata.labels: Invalid value"
  ARGS plan --daemonset ${_dp_ds} --nodes @WORK@/big-label-nodes.json)
daemonplan_add_bad_input(missing-file EXPECT "no-such-file.yaml: cannot open the file"
  ARGS plan --daemonset @CORPUS@/no-such-file.yaml --nodes ${_dp_nodes})
daemonplan_add_bad_input(unknown-flag EXPECT "--frobnicate"
  ARGS plan --daemonset ${_dp_ds} --nodes ${_dp_nodes} --frobnicate)
daemonplan_add_bad_input(missing-nodes-flag EXPECT "--nodes is required"
  ARGS plan --daemonset ${_dp_ds})
daemonplan_add_bad_input(no-command EXPECT "subcommand is required" ARGS --now)
daemonplan_add_bad_input(bad-output-format EXPECT "--output" ARGS validate ${_dp_ds} -o yaml)
daemonplan_add_bad_input(bad-now EXPECT "--now: malformed timestamp \"yesterday\""
  ARGS plan --daemonset ${_dp_ds} --nodes ${_dp_nodes} --now yesterday)
daemonplan_add_bad_input(two-stdin EXPECT "only one input can be read from standard input"
  ARGS plan --daemonset - --nodes -)

# ---- Fuzzing (tests/fuzz) -----------------------------------------------------------------------
# A libFuzzer target over the JSON and YAML readers, built with Clang when DAEMONPLAN_BUILD_FUZZERS
# is ON (scripts/test.sh runs it for 60 s, seeded from tests/bad-input and the examples). The
# tool's reader sources are compiled into it, so they are instrumented too. CTest replays the
# seed corpus once (`fuzz.readers.corpus`), which keeps every past finding fixed.

option(DAEMONPLAN_BUILD_FUZZERS "Build the libFuzzer targets (needs Clang)" OFF)
if(DAEMONPLAN_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DAEMONPLAN_BUILD_FUZZERS needs Clang (-fsanitize=fuzzer), not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  set(_dp_cli_dir "${PROJECT_SOURCE_DIR}/examples/daemonplan")
  add_executable(fuzz_readers fuzz/fuzz_readers.cpp
    "${_dp_cli_dir}/input.cpp" "${_dp_cli_dir}/output.cpp" "${_dp_cli_dir}/yaml.cpp")
  target_include_directories(fuzz_readers PRIVATE "${_dp_cli_dir}")
  target_link_libraries(fuzz_readers PRIVATE daemonplan::json daemonplan::format yaml-cpp daemonplan_dev)
  set(_dp_fuzz_flags -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_options(fuzz_readers PRIVATE ${_dp_fuzz_flags})
  target_link_options(fuzz_readers PRIVATE ${_dp_fuzz_flags})
  add_test(NAME fuzz.readers.corpus
    COMMAND fuzz_readers -runs=0 "${CMAKE_CURRENT_SOURCE_DIR}/bad-input" "${CMAKE_CURRENT_SOURCE_DIR}/golden/inputs"
            "${PROJECT_SOURCE_DIR}/examples")
  set_tests_properties(fuzz.readers.corpus PROPERTIES LABELS "fuzz")
endif()
