// What attachment requests share with sign-up (case 2b) and the demo seed.
#pragma once

#include <cstdint>

#include "paging.h"

namespace sandbox {

class Db;

// A pending attachment request of `user` on `structure`, as the request
// routes create it (sign-up 2b, demander/rattachement): dated `now`, the
// structure's managers told by mail. Returns its id (idDemandeRattachement).
int64_t CreateAttachmentRequest(Db& db, int64_t user, int64_t structure, int64_t now);

// The triColonne values of the attachment listings (a = attachments,
// s = structures); the first is the default.
const SortColumns& AttachmentSortColumns();

}  // namespace sandbox
