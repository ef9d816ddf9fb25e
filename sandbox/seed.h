// The demo world: farm structures with valid SIRETs, each with an active main
// manager, most with the TIC space open. Idempotent: farms already seeded in
// this data directory are kept (their passwords too), only missing ones are
// added, and DIR/demo-accounts.json is rewritten from the database.
#pragma once

#include <cstdint>
#include <string>

namespace sandbox {

class Db;

void SeedDemoWorld(Db& db, int64_t now, int farms, const std::string& data_dir);

}  // namespace sandbox
