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

// The first demo account's farm receives a request from each of the next
// `count` demo accounts, made as the request route makes them (pending, dated
// now, the farm's managers told by mail). Each account's request is seeded
// once per data directory (table demo_requests): a restart, even after the
// request was decided, makes no other; a larger count adds the missing ones.
// An account already attached to that farm, or with a request pending there,
// is left alone. Seeded requests are not counted in /_sandbox/stats.
void SeedDemoRequests(Db& db, int count, int64_t now);

}  // namespace sandbox
