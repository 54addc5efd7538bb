# Install and export rules (included when DAEMONPLAN_INSTALL is ON).
# Everything goes under DATADIR: a header-only package has no architecture.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(DAEMONPLAN_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/daemonplan" CACHE STRING
    "Where daemonplan-config.cmake is installed, relative to the prefix")
mark_as_advanced(DAEMONPLAN_INSTALL_CMAKEDIR)

install(TARGETS ${DAEMONPLAN_TARGETS}
  EXPORT daemonplan-targets
  FILE_SET HEADERS DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")

install(EXPORT daemonplan-targets
  NAMESPACE daemonplan::
  DESTINATION "${DAEMONPLAN_INSTALL_CMAKEDIR}")

# The config looks for an adapter's dependency only if that adapter was exported.
set(DAEMONPLAN_EXPORTS_JSON OFF)
set(DAEMONPLAN_EXPORTS_FORMAT OFF)
if(TARGET daemonplan_json)
  set(DAEMONPLAN_EXPORTS_JSON ON)
endif()
if(TARGET daemonplan_format)
  set(DAEMONPLAN_EXPORTS_FORMAT ON)
endif()

configure_package_config_file(cmake/daemonplan-config.cmake.in
  "${PROJECT_BINARY_DIR}/daemonplan-config.cmake"
  INSTALL_DESTINATION "${DAEMONPLAN_INSTALL_CMAKEDIR}")

# 0.x: a minor version may break; from 1.0 on this becomes SameMajorVersion.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/daemonplan-config-version.cmake"
  COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)

install(FILES
  "${PROJECT_BINARY_DIR}/daemonplan-config.cmake"
  "${PROJECT_BINARY_DIR}/daemonplan-config-version.cmake"
  DESTINATION "${DAEMONPLAN_INSTALL_CMAKEDIR}")

install(FILES LICENSE README.md DESTINATION "${CMAKE_INSTALL_DOCDIR}")

# Build-tree package (as fmt does): find_package(daemonplan) with daemonplan_DIR=<build dir>
# uses the headers in place, without installing.
export(EXPORT daemonplan-targets
  NAMESPACE daemonplan::
  FILE "${PROJECT_BINARY_DIR}/daemonplan-targets.cmake")
