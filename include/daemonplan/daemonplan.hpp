// daemonplan/daemonplan.hpp: the umbrella header, the whole std-only core in one include. The
// optional adapters (json.hpp: nlohmann_json, format.hpp: fmt) are never included from here.
#pragma once

#include <daemonplan/version.hpp>

#include <daemonplan/affinity.hpp>
#include <daemonplan/cluster.hpp>
#include <daemonplan/daemon_pod.hpp>
#include <daemonplan/daemonset.hpp>
#include <daemonplan/int_or_percent.hpp>
#include <daemonplan/labels.hpp>
#include <daemonplan/node_classes.hpp>
#include <daemonplan/placement.hpp>
#include <daemonplan/plan.hpp>
#include <daemonplan/raw_fields.hpp>
#include <daemonplan/reconcile.hpp>
#include <daemonplan/result.hpp>
#include <daemonplan/rollout.hpp>
#include <daemonplan/selector.hpp>
#include <daemonplan/synth.hpp>
#include <daemonplan/taint.hpp>
#include <daemonplan/time.hpp>
#include <daemonplan/types.hpp>
#include <daemonplan/validate.hpp>
