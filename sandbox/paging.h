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

// The wrapper object `wrapper` of `body` (absent fields: the defaults). Pages
// of more than 1000 results are cut to 1000, as PISTE does (OCA asks for
// 10,000 and is answered); a negative size or page is a 400 kBadPaging.
Paging ParsePaging(const Json& body, const char* wrapper, int64_t default_per_page = 20);
// parametresRetour {pageCourante, pages, nbResultatsParPage, total}.
Json PagingResult(const Paging& p, int64_t total);

// " ORDER BY ... LIMIT ... OFFSET ..." from a whitelist {triColonne in lower
// case -> SQL expression}; the first entry is the default. Ties are broken by
// the first selected column, then by `tiebreak` (an SQL expression) if the
// first column can repeat, so that pages never overlap.
using SortColumns = std::vector<std::pair<std::string, std::string>>;
std::string OrderBy(const Paging& p, const SortColumns& cols, const std::string& tiebreak = "");

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
