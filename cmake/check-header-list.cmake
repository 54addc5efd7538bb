# cmake -P cmake/check-header-list.cmake
# Fails when a header under include/daemonplan is missing from cmake/headers.cmake (such a header
# would be neither verified nor installed). Globbing here only checks the explicit list.
cmake_minimum_required(VERSION 3.23)
include("${CMAKE_CURRENT_LIST_DIR}/headers.cmake")

set(_root "${CMAKE_CURRENT_LIST_DIR}/../include/daemonplan")
file(GLOB_RECURSE _present RELATIVE "${_root}" "${_root}/*.hpp" "${_root}/*.h")
set(_unlisted "")
foreach(_header IN LISTS _present)
  if(NOT _header IN_LIST DAEMONPLAN_ALL_HEADER_NAMES)
    list(APPEND _unlisted "${_header}")
  endif()
endforeach()

if(_unlisted)
  list(JOIN _unlisted "\n  " _unlisted)
  message(FATAL_ERROR "headers missing from cmake/headers.cmake:\n  ${_unlisted}")
endif()
list(LENGTH _present _count)
message(STATUS "all ${_count} headers under include/daemonplan are listed in cmake/headers.cmake")
