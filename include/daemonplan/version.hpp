// daemonplan/version.hpp: the library version, the single source CMake parses.
#pragma once

/// daemonplan's semantic version. CMake reads these three lines for project(VERSION);
/// the installed package's version file is generated from them.
#define DAEMONPLAN_VERSION_MAJOR 0
#define DAEMONPLAN_VERSION_MINOR 1
#define DAEMONPLAN_VERSION_PATCH 0
