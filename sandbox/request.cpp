#include "request.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "api_error.h"
#include "chorus/client.h"
#include "chorus/text.h"

namespace sandbox {

using chorus::Lower;
using chorus::Trim;

const std::vector<std::string>& IdentifierTypes() {
  static const std::vector<std::string> types = {"SIRET", "UE_HORS_FRANCE", "HORS_UE", "RIDET",
                                                 "TAHITI", "AUTRE", "PARTICULIER"};
  return types;
}

namespace {
// A typed client's "unset": null, 0, or a string of blanks.
bool IsZeroValue(const Json& v) {
  if (v.is_null()) return true;
  if (v.is_number()) return v == 0;
  if (v.is_string()) return chorus::TrimView(v.get_ref<const std::string&>()).empty();
  return false;
}
}  // namespace

const Json* Field(const Json& body, const char* name) {
  if (!body.is_object()) return nullptr;
  auto it = body.find(name);
  if (it == body.end() || IsZeroValue(*it)) return nullptr;
  return &*it;
}

std::string Str(const Json& body, const char* name, bool required) {
  const Json* f = Field(body, name);
  std::string value;
  if (f) {
    if (f->is_string()) value = Trim(f->get<std::string>());
    else if (f->is_number_integer()) value = std::to_string(f->get<int64_t>());
    else throw ApiError(errors::kBadValue, fmt::format("Le champ {} doit être une chaîne.", name), name);
  }
  if (required && value.empty())
    throw ApiError(errors::kMissingField, fmt::format("Le champ {} est obligatoire.", name), name);
  return value;
}

std::optional<int64_t> OptInt(const Json& body, const char* name) {
  const Json* f = Field(body, name);
  if (!f) return std::nullopt;
  if (f->is_number_integer()) return f->get<int64_t>();
  if (f->is_string()) {
    std::string s = Trim(f->get<std::string>());
    if (s.find_first_not_of("0123456789") == std::string::npos && s.size() < 18) {
      int64_t v = std::stoll(s);
      if (v == 0) return std::nullopt;  // "0", like 0
      return v;
    }
  }
  throw ApiError(errors::kBadValue, fmt::format("Le champ {} doit être un entier.", name), name);
}

int64_t ReqInt(const Json& body, const char* name) {
  auto v = OptInt(body, name);
  if (!v) throw ApiError(errors::kMissingField, fmt::format("Le champ {} est obligatoire.", name), name);
  return *v;
}

std::optional<bool> OptBool(const Json& body, const char* name) {
  const Json* f = Field(body, name);
  if (!f) return std::nullopt;
  if (f->is_boolean()) return f->get<bool>();
  if (f->is_string()) {
    std::string s = Lower(Trim(f->get<std::string>()));
    if (s == "true" || s == "oui") return true;
    if (s == "false" || s == "non") return false;
  }
  throw ApiError(errors::kBadValue, fmt::format("Le champ {} doit être un booléen.", name), name);
}

bool IsValidEmail(const std::string& email) {
  auto at = email.find('@');
  if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos)
    return false;
  std::string domain = email.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == std::string::npos || dot == 0 || domain.back() == '.') return false;
  for (unsigned char c : email)
    if (std::isspace(c) || c < 0x21 || c == ',' || c == ';' || c == '<' || c == '>') return false;
  return email.size() <= 254;
}

std::string IdentifierType(const Json& body, const char* name) {
  std::string type = Str(body, name);
  if (type.empty()) return "SIRET";
  const std::vector<std::string>& types = IdentifierTypes();
  if (std::find(types.begin(), types.end(), type) == types.end())
    throw ApiError(errors::kBadIdentifierType,
                   fmt::format("Type d'identifiant inconnu : {}.", type), name);
  return type;
}

void CheckSpaceCode(const std::string& code) {
  // The space codes are chorus's own list: client and portal cannot disagree.
  const std::vector<std::string>& codes = chorus::SpaceCodes();
  if (std::find(codes.begin(), codes.end(), code) == codes.end())
    throw ApiError(errors::kUnknownSpace, fmt::format("Espace inconnu : {}.", code), "codeEspace");
}

std::string CompactIdentifier(std::string identifier) {
  identifier.erase(std::remove_if(identifier.begin(), identifier.end(),
                                  [](char c) { return c == ' ' || c == '.'; }),
                   identifier.end());
  return identifier;
}

}  // namespace sandbox
