// Services ("services") of a structure, as on PISTE: every structure has at
// least one, the default one it is created with. The sandbox attaches users
// to a structure as a whole, i.e. to all its active services.
#pragma once

#include <cstdint>
#include <string>

namespace sandbox {

class Db;

// The service every structure is created with.
inline constexpr const char* kDefaultServiceCode = "SERVICE_GENERAL";

void AddService(Db& db, int64_t structure, const std::string& code, const std::string& name,
                const std::string& description, int64_t now, bool active = true);
// The default service of a new structure (sign-up 2a, the demo seed).
void AddDefaultService(Db& db, int64_t structure, int64_t now);
// The default service for every structure that has none (data directories
// made before services existed), dated as the structure.
void AddDefaultServices(Db& db);

// The end date PISTE writes for a service still in use ("2050-12-31 00:00"
// in the real answer quoted in OCA's code).
inline constexpr const char* kOpenEndedService = "2050-12-31 00:00";

}  // namespace sandbox
