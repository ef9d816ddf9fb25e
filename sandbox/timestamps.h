// How the portal writes instants (epoch seconds) in its answers.
#pragma once

#include <cstdint>
#include <string>

namespace sandbox {

// ISO 8601 UTC: "2024-05-01T09:30:00Z".
std::string IsoTime(int64_t epoch);
// "2016-10-25 17:42" (UTC, to the minute): the services' dates as PISTE
// writes them (a real answer quoted in OCA's code) and as go-choruspro's
// Datetime type parses them.
std::string MinuteTime(int64_t epoch);

}  // namespace sandbox
