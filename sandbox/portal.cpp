#include "portal.h"

#include "db.h"
#include "schema.h"

namespace sandbox {

Portal::Portal(const std::string& db_path, Clock& clock, HashCost hash_cost)
    : clock_(clock), hash_cost_(hash_cost), db_(std::make_unique<Db>(db_path)) {
  CreateSchema(*db_);
}

Portal::~Portal() = default;

}  // namespace sandbox
