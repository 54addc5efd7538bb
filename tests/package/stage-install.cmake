# cmake -DBUILD_DIR=<daemonplan build> -DPREFIX=<staging prefix> -P stage-install.cmake
# A fresh `cmake --install` into PREFIX (emptied first, so no stale file can hide a missing one).
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${PREFIX} failed: ${result}")
endif()
