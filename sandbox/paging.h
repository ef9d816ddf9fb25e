// Listings: the pagination wrapper of a request (parametres,
// parametresRecherche, ...) in, parametresRetour out, and the SQL of one page.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sandbox {

using Json = nlohmann::json;
class Db;
class Stmt;

struct Paging {
  int64_t page = 1;
  int64_t per_page = 20;
  std::string column;  // triColonne as sent
  bool descending = false;
};

// The wrapper object `wrapper` of `body` (absent: the defaults); 400
// kBadPaging when out of range.
Paging ParsePaging(const Json& body, const char* wrapper);
// parametresRetour {pageCourante, pages, nbResultatsParPage, total}.
Json PagingResult(const Paging& p, int64_t total);

// " ORDER BY ... LIMIT ... OFFSET ..." from a whitelist {triColonne in lower
// case -> SQL expression}; the first entry is the default. Ties are broken by
// the first selected column.
using SortColumns = std::vector<std::pair<std::string, std::string>>;
std::string OrderBy(const Paging& p, const SortColumns& cols);

// A value bound to a `?` of a query built at run time.
using SqlArg = std::variant<int64_t, std::string>;

// One page of a listing: how many rows match in all, and the query that
// steps through this page's rows.
struct PageQuery {
  int64_t total = 0;
  std::unique_ptr<Stmt> rows;
};

// "SELECT COUNT(*)" then "SELECT columns" over the same `from_where`
// (" FROM ... WHERE ...") and arguments; `order` is an OrderBy() clause.
PageQuery CountAndSelect(Db& db, const std::string& columns, const std::string& from_where,
                         const std::vector<SqlArg>& args, const std::string& order);

}  // namespace sandbox
