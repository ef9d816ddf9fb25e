#include "paging.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "api_error.h"
#include "chorus/text.h"
#include "db.h"
#include "request.h"

namespace sandbox {

using chorus::Lower;

Paging ParsePaging(const Json& body, const char* wrapper, int64_t default_per_page) {
  constexpr int64_t kMaxPerPage = 1000;
  Paging p;
  p.per_page = default_per_page;
  const Json* w = Field(body, wrapper);
  if (!w) return p;
  if (!w->is_object())
    throw ApiError(errors::kBadPaging, fmt::format("{} doit être un objet.", wrapper), wrapper);
  if (auto n = OptInt(*w, "nbResultatsParPage")) p.per_page = *n;
  if (auto n = OptInt(*w, "pageResultatDemandee")) p.page = *n;
  if (p.per_page < 1 || p.page < 1)
    throw ApiError(errors::kBadPaging,
                   "nbResultatsParPage et pageResultatDemandee doivent être positifs.", wrapper);
  p.per_page = std::min(p.per_page, kMaxPerPage);
  p.column = Str(*w, "triColonne");
  std::string sens = Lower(Str(*w, "triSens"));
  if (sens.empty()) sens = Lower(Str(*w, "triSense"));  // go-choruspro's spelling
  p.descending = sens.rfind("desc", 0) == 0;
  return p;
}

Json PagingResult(const Paging& p, int64_t total) {
  return Json{{"pageCourante", p.page},
              {"pages", (total + p.per_page - 1) / p.per_page},
              {"nbResultatsParPage", p.per_page},
              {"total", total}};
}

std::string OrderBy(const Paging& p, const SortColumns& cols, const std::string& tiebreak) {
  std::string sql = cols.front().second;
  for (const auto& [api, col] : cols)
    if (Lower(p.column) == api) sql = col;
  const char* dir = p.descending ? "DESC" : "ASC";
  return fmt::format(" ORDER BY {} {}, 1 {}{} LIMIT {} OFFSET {}", sql, dir, dir,
                     tiebreak.empty() ? "" : fmt::format(", {} {}", tiebreak, dir), p.per_page,
                     std::min<int64_t>(p.page - 1, INT64_MAX / p.per_page) * p.per_page);
}

namespace {
void BindAll(Stmt& stmt, const std::vector<SqlArg>& args) {
  int i = 0;
  for (const auto& a : args) std::visit([&](const auto& v) { stmt.Bind(++i, v); }, a);
}
}  // namespace

PageQuery CountAndSelect(Db& db, const std::string& columns, const std::string& from_where,
                         const std::vector<SqlArg>& args, const std::string& order) {
  PageQuery page;
  {
    auto count = db.Query("SELECT COUNT(*)" + from_where);
    BindAll(*count, args);
    count->Step();
    page.total = count->Int(0);
  }
  page.rows = db.Query("SELECT " + columns + from_where + order);
  BindAll(*page.rows, args);
  return page;
}

}  // namespace sandbox
