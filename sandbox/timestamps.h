// How the portal writes instants (epoch seconds) in its answers.
#pragma once

#include <cstdint>
#include <string>

namespace sandbox {

// ISO 8601 UTC: "2024-05-01T09:30:00Z".
std::string IsoTime(int64_t epoch);

}  // namespace sandbox
