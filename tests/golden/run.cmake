# tests/golden/run.cmake: runs the `daemonplan` tool once and compares what it prints with a golden
# file. Called by CTest (see tests/cli.cmake) as
#   cmake -DTOOL=<daemonplan> -DARGS=<a|b|c> -DGOLDEN=<file> -DEXIT=<status> [-DREDACT_PODS=ON]
#         [-DSTDIN=<file>] [-DACTUAL_DIR=<dir>] -P run.cmake
# in the source tree (so paths in the arguments are relative and the output does not depend on
# where the tree is). The test fails on another exit status, on anything written to stderr, or on
# any byte of difference; the actual output is then left in ACTUAL_DIR for a `diff`.
#
# REDACT_PODS (plan -o json on the third-party fixtures): each created pod, which is the fixture's
# pod template plus what the controller adds, is replaced by "sha256:<hash of the pod's JSON>", so
# the golden file holds the tool's decisions and a checksum of each pod, not a copy of the fixture.
#
# To regenerate every golden file after an intended change of output, run the tests with
# DAEMONPLAN_UPDATE_GOLDEN=1 in the environment (tests/golden/README.md), then review `git diff`.

cmake_minimum_required(VERSION 3.23)  # policies of the project (CMP0053: @VAR@ is plain text)

foreach(var TOOL ARGS GOLDEN EXIT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake: -D${var}=... is required")
  endif()
endforeach()

string(REPLACE "|" ";" ARGS "${ARGS}")  # `|`-separated, as `;` would split the -D argument
set(input)
if(DEFINED STDIN)
  set(input INPUT_FILE "${STDIN}")
endif()
execute_process(COMMAND "${TOOL}" ${ARGS}
  ${input}
  RESULT_VARIABLE status
  OUTPUT_VARIABLE actual
  ERROR_VARIABLE errors)

if(NOT status STREQUAL EXIT)
  message(FATAL_ERROR "daemonplan ${ARGS}: exit status ${status}, expected ${EXIT}\nstderr: ${errors}")
endif()
if(NOT errors STREQUAL "")
  message(FATAL_ERROR "daemonplan ${ARGS}: unexpected output on stderr:\n${errors}")
endif()

if(REDACT_PODS)
  string(JSON creates LENGTH "${actual}" create)
  if(creates GREATER 0)
    math(EXPR last "${creates} - 1")
    foreach(i RANGE ${last})
      string(JSON pod GET "${actual}" create ${i} pod)
      string(SHA256 digest "${pod}")
      string(JSON actual SET "${actual}" create ${i} pod "\"sha256:${digest}\"")
    endforeach()
    string(APPEND actual "\n")
  endif()
endif()

if("$ENV{DAEMONPLAN_UPDATE_GOLDEN}" STREQUAL "1")
  file(WRITE "${GOLDEN}" "${actual}")
  message(STATUS "updated ${GOLDEN}")
  return()
endif()

if(NOT EXISTS "${GOLDEN}")
  message(FATAL_ERROR "${GOLDEN} does not exist; create it with DAEMONPLAN_UPDATE_GOLDEN=1 (tests/golden/README.md)")
endif()
file(READ "${GOLDEN}" expected)
if(NOT actual STREQUAL expected)
  get_filename_component(name "${GOLDEN}" NAME)
  if(NOT DEFINED ACTUAL_DIR)
    set(ACTUAL_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  file(WRITE "${ACTUAL_DIR}/${name}" "${actual}")
  message(FATAL_ERROR "daemonplan ${ARGS}: output differs from ${GOLDEN}\n"
                      "  actual output: ${ACTUAL_DIR}/${name}\n"
                      "  compare: diff -u ${GOLDEN} ${ACTUAL_DIR}/${name}")
endif()
