// Reading request bodies: the fields of a JSON POST body as the portal's
// operations want them. A field of the wrong type is a 400 (ApiError
// kBadValue naming the field), never an exception from nlohmann::json.
//
// Liberal, as the real portal's known clients need: null, a number 0 and a
// string that is empty once trimmed all mean "absent". Typed clients (Go,
// Java) send every field of their request struct, unset ones as their zero
// value: {"idUtilisateur": 0, "adresseEmailConnexionUtilisateur": ""} means
// "not given", never "user 0". false stays a value: absent and false mean the
// same wherever false is the default, and modifier needs it to clear a flag.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sandbox {

using Json = nlohmann::json;

// The field `name` of `body`, or nullptr when absent (or null, 0, "").
const Json* Field(const Json& body, const char* name);
// A string (integers are accepted and written in decimal), trimmed; "" when
// absent. required: absent or empty is a 400 kMissingField.
std::string Str(const Json& body, const char* name, bool required = false);
// An integer, as a number or a string of digits; 0 is absent.
std::optional<int64_t> OptInt(const Json& body, const char* name);
int64_t ReqInt(const Json& body, const char* name);
// true/false, or the strings "true"/"false"/"oui"/"non".
std::optional<bool> OptBool(const Json& body, const char* name);

bool IsValidEmail(const std::string& email);
// The portal's typeIdentifiantStructure values (recupererTypeIdentifiantStructure).
const std::vector<std::string>& IdentifierTypes();
// typeIdentifiantStructure (or `name`): SIRET when absent; 400 kBadIdentifierType
// for a value outside the portal's list.
std::string IdentifierType(const Json& body, const char* name = "typeIdentifiantStructure");
// 400 kUnknownSpace unless `code` is one of the portal's space codes.
void CheckSpaceCode(const std::string& code);
// A structure identifier as typed by people: spaces and dots removed.
std::string CompactIdentifier(std::string identifier);

}  // namespace sandbox
