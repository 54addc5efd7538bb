// daemonplan/raw_fields.hpp: the carrier for API fields daemonplan does not interpret.
#pragma once

#include <functional>
#include <map>
#include <string>

namespace daemonplan {

/// Fields of an API object that daemonplan does not model (containers, volumes, securityContext,
/// ...), keyed by their JSON field name, each holding that field's value as canonical JSON text.
/// The JSON adapter fills it on reading and writes it back unchanged, so a pod created from a
/// template keeps every field of the template. The core never parses it; it only copies, compares
/// and hashes it.
using raw_fields = std::map<std::string, std::string, std::less<>>;

}  // namespace daemonplan
