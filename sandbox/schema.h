// The tables of DIR/sandbox.db. Created on open if missing, so a data
// directory of an older sandbox keeps working.
#pragma once

namespace sandbox {

class Db;

void CreateSchema(Db& db);

}  // namespace sandbox
