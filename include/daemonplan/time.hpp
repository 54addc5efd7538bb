// daemonplan/time.hpp: the API's timestamp (RFC 3339, one-second resolution) as a std::chrono value.
#pragma once

#include <chrono>

namespace daemonplan {

/// metav1.Time: seconds since the Unix epoch, UTC. A zero (unset) API timestamp is std::nullopt
/// wherever the field is nullable.
using timestamp = std::chrono::sys_seconds;

}  // namespace daemonplan
