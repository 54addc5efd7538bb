// A program that uses daemonplan the way a user's project does, and prints its version.
#include <cstdio>

#include <daemonplan/version.hpp>
#ifdef DAEMONPLAN_CONSUMER_UMBRELLA
#include <daemonplan/daemonplan.hpp>
#endif
#ifdef DAEMONPLAN_CONSUMER_ADAPTERS
#include <daemonplan/format.hpp>
#include <daemonplan/json.hpp>
#endif

int main() {
  std::printf("consumer: daemonplan %d.%d.%d via %s\n", DAEMONPLAN_VERSION_MAJOR, DAEMONPLAN_VERSION_MINOR,
              DAEMONPLAN_VERSION_PATCH, DAEMONPLAN_CONSUME);
}
