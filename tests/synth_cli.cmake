# cmake -DTOOL=<daemonplan> -DWORK=<dir> -P tests/synth_cli.cmake
# `daemonplan synth` writes three JSON lines (NodeList, DaemonSetList, PodList) that the tool reads
# back; the same arguments give the same bytes; and for a converged cluster `plan` has nothing to
# create or delete, while mid-rollout it has.
cmake_minimum_required(VERSION 3.23)

function(synth out_var)
  execute_process(COMMAND "${TOOL}" synth ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "daemonplan synth ${ARGN}: exit ${rc}: ${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# Writes the three lines of `text` to nodes.json, daemonsets.json and pods.json under `dir`.
function(split_lines text dir)
  file(MAKE_DIRECTORY "${dir}")
  foreach(file IN ITEMS nodes daemonsets pods)
    string(FIND "${text}" "\n" end)
    if(end EQUAL -1)
      message(FATAL_ERROR "synth output has fewer than three lines")
    endif()
    string(SUBSTRING "${text}" 0 ${end} line)
    math(EXPR next "${end} + 1")
    string(SUBSTRING "${text}" ${next} -1 text)
    file(WRITE "${dir}/${file}.json" "${line}")
  endforeach()
  if(NOT text STREQUAL "")
    message(FATAL_ERROR "synth output has more than three lines")
  endif()
endfunction()

# Runs `plan -o json` for DaemonSet `name` and stores the output in `out_var`.
function(plan dir name out_var)
  execute_process(COMMAND "${TOOL}" plan --daemonset "${dir}/daemonsets.json" --name "${name}"
                          --nodes "${dir}/nodes.json" --pods "${dir}/pods.json" --now 2025-06-01T00:00:00Z -o json
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "plan ${name}: exit ${rc}: ${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

set(args --nodes 80 --seed 5 --workload-pods 40)
synth(first ${args})
synth(second ${args})
if(NOT first STREQUAL second)
  message(FATAL_ERROR "the same arguments gave different output")
endif()
foreach(kind NodeList DaemonSetList PodList)
  string(FIND "${first}" "\"kind\":\"${kind}\"" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "no ${kind} in the output")
  endif()
endforeach()

split_lines("${first}" "${WORK}/converged")
foreach(name security/falco kube-system/kube-proxy gpu-operator/nvidia-device-plugin-daemonset logging/fluent-bit)
  plan("${WORK}/converged" ${name} out)
  if(NOT out MATCHES "\"create\": \\[\\]" OR NOT out MATCHES "\"delete\": \\[\\]")
    message(FATAL_ERROR "converged cluster, ${name}: the plan is not empty:\n${out}")
  endif()
endforeach()

synth(rollout --nodes 80 --seed 5 --daemonsets 1 --state rollout)
split_lines("${rollout}" "${WORK}/rollout")
plan("${WORK}/rollout" security/falco out)
if(NOT out MATCHES "\"reason\": \"RollingUpdate\"")
  message(FATAL_ERROR "mid-rollout cluster: no RollingUpdate delete planned:\n${out}")
endif()
message(STATUS "synth output reads back; converged plans are empty, the rollout deletes old pods")
