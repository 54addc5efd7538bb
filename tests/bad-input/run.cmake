# tests/bad-input/run.cmake: runs `daemonplan` on one bad input and checks that it fails the way
# the command-line contract says: exit status 2 with nothing on stdout and exactly one line on
# stderr, "daemonplan: ..." naming the problem (EXPECT must occur in it). With -DEXIT=1 (validate
# finding errors) stderr must be empty and EXPECT must occur on stdout instead. Called by CTest
# (tests/cli.cmake) as
#   cmake -DTOOL=<daemonplan> -DARGS=<a|b|c> -DEXIT=<1|2> -DEXPECT=<text> -DWORK=<dir>
#         [-DGENERATE=big-label|deep-yaml] -P run.cmake
# `@CORPUS@` in ARGS is this folder, `@WORK@` the scratch folder WORK. GENERATE writes a large
# input into WORK at test time instead of keeping it in the repository.

cmake_minimum_required(VERSION 3.23)  # policies of the project (CMP0053: @VAR@ is plain text)

foreach(var TOOL ARGS EXIT EXPECT WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake: -D${var}=... is required")
  endif()
endforeach()

file(MAKE_DIRECTORY "${WORK}")
if(GENERATE STREQUAL "big-label")
  # a node whose label value is 50 MB (the API allows 63 bytes)
  string(REPEAT "x" 52428800 value)
  file(WRITE "${WORK}/big-label-nodes.json"
       "{\"kind\": \"NodeList\", \"apiVersion\": \"v1\", \"items\": [{\"metadata\": {\"name\": \"worker-1\", "
       "\"labels\": {\"example.com/blob\": \"${value}\"}}}]}\n")
elseif(GENERATE STREQUAL "deep-yaml")
  string(REPEAT "[" 100000 open)
  string(REPEAT "]" 100000 close)
  file(WRITE "${WORK}/deep.yaml" "kind: NodeList\nitems: ${open}${close}\n")
elseif(DEFINED GENERATE)
  message(FATAL_ERROR "run.cmake: unknown GENERATE=${GENERATE}")
endif()

string(REPLACE "|" ";" ARGS "${ARGS}")
string(REPLACE "@CORPUS@" "${CMAKE_CURRENT_LIST_DIR}" ARGS "${ARGS}")
string(REPLACE "@WORK@" "${WORK}" ARGS "${ARGS}")
execute_process(COMMAND "${TOOL}" ${ARGS}
  RESULT_VARIABLE status
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)

string(LENGTH "${err}" err_length)
if(err_length GREATER 2000)
  string(SUBSTRING "${err}" 0 2000 err)
  string(APPEND err "... (${err_length} bytes)")
endif()
if(NOT status STREQUAL EXIT)
  message(FATAL_ERROR "exit status ${status}, expected ${EXIT}\nstderr: ${err}")
endif()

if(EXIT STREQUAL "1")
  if(NOT err STREQUAL "")
    message(FATAL_ERROR "validate wrote to stderr: ${err}")
  endif()
  string(FIND "${out}" "${EXPECT}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "stdout does not mention \"${EXPECT}\":\n${out}")
  endif()
  return()
endif()

if(NOT out STREQUAL "")
  message(FATAL_ERROR "a failing run printed on stdout:\n${out}")
endif()
string(REGEX MATCHALL "\n" newlines "${err}")
list(LENGTH newlines lines)
if(NOT lines EQUAL 1 OR NOT err MATCHES "^daemonplan: [^\n]+\n$")
  message(FATAL_ERROR "stderr is not one line \"daemonplan: ...\":\n${err}")
endif()
string(FIND "${err}" "${EXPECT}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "stderr does not mention \"${EXPECT}\": ${err}")
endif()
message(STATUS "${err}")
