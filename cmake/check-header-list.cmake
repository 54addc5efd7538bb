# cmake -P cmake/check-header-list.cmake
# Fails when a header under include/daemonplan is missing from cmake/headers.cmake (it would be
# neither verified nor installed), or a listed header does not exist. Globbing here only checks the
# explicit list.
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

set(_absent "")
foreach(_header IN LISTS DAEMONPLAN_ALL_HEADER_NAMES)
  if(NOT _header IN_LIST _present)
    list(APPEND _absent "${_header}")
  endif()
endforeach()

set(_problems "")
if(_unlisted)
  list(JOIN _unlisted "\n  " _unlisted)
  string(APPEND _problems "headers missing from cmake/headers.cmake:\n  ${_unlisted}\n")
endif()
if(_absent)
  list(JOIN _absent "\n  " _absent)
  string(APPEND _problems "listed in cmake/headers.cmake but not in include/daemonplan:\n  ${_absent}\n")
endif()
if(_problems)
  message(FATAL_ERROR "${_problems}")
endif()
list(LENGTH _present _count)
message(STATUS "all ${_count} headers under include/daemonplan are listed in cmake/headers.cmake")
