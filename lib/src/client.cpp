#include "chorus/client.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>

#include "chorus/i18n.h"
#include "chorus/text.h"

namespace chorus {
namespace {

using nlohmann::json;

// Portal pages: large enough to keep the call count down on big lists, within
// the 1..1000 the portal accepts.
constexpr int kPageSize = 500;

// Codes of the sandbox contract (docs/sandbox-api.md) for "nothing to do".
constexpr int kCodeAlreadyPending = 70001;
constexpr int kCodeAlreadyAttached = 70002;
constexpr int kCodeAlreadyDecided = 70005;

const std::vector<std::string> kSpaces = {
    "SOLLICITATIONS_EMISES", "SOLLICITATIONS_RECUES",   "FACTURES_EMISES",
    "FACTURES_RECUES",       "FACTURES_TRAVAUX",        "ENGAGEMENTS_JURIDIQUES",
    "MEMOIRES_FRAIS_JUSTICE", std::string(kTicSpace)};

// Every Chorus Pro answer carries the codeRetour envelope; an object without
// it is not an answer to trust (a proxy page, a misrouted call).
StatusOr<json> ParseObject(const std::string& body, std::string_view what) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return Status(ErrorKind::kProtocol, Msg("{}: the portal's answer is not a JSON object", std::string(what)));
  if (!doc.contains("codeRetour"))
    return Status(ErrorKind::kProtocol, Msg("{}: the portal's answer has no codeRetour", std::string(what)));
  return doc;
}

// The list of a listing answer: absent means empty; anything but an array of
// objects is a malformed answer.
StatusOr<const json*> ListOf(const json& doc, const char* key, std::string_view what) {
  static const json kEmpty = json::array();
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return &kEmpty;
  if (!it->is_array())
    return Status(ErrorKind::kProtocol, Msg("{}: {} is not a list", std::string(what), key));
  for (const auto& item : *it)
    if (!item.is_object())
      return Status(ErrorKind::kProtocol, Msg("{}: an element of {} is not an object", std::string(what), key));
  return &*it;
}

// An identifier the answer must carry.
Status Require(const json& doc, const char* key, std::string_view what) {
  auto it = doc.find(key);
  if (it == doc.end() || !(it->is_number_integer() || (it->is_string() && !it->get_ref<const std::string&>().empty())))
    return Status(ErrorKind::kProtocol, Msg("{}: the answer lacks {}", std::string(what), key));
  return OkStatus();
}

// Where in `value` a string (or key) is not UTF-8: "raisonSociale" or "" for
// the top level; nullopt when there is none.
std::optional<std::string> FindNonUtf8(const json& value, const std::string& where, std::size_t* offset,
                                       std::string* text) {
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    *offset = FindInvalidUtf8(s);
    if (*offset == std::string::npos) return std::nullopt;
    *text = s;
    return where;
  }
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if ((*offset = FindInvalidUtf8(key)) != std::string::npos) {
        *text = key;
        return where;
      }
      if (auto found = FindNonUtf8(item, key, offset, text)) return found;
    }
  } else if (value.is_array()) {
    for (const auto& item : value)
      if (auto found = FindNonUtf8(item, where, offset, text)) return found;
  }
  return std::nullopt;
}

// A request body as text. dump() throws (type_error.316) on a string that is
// not UTF-8, and a caller's text may be anything: checked first, and refused
// as an invalid argument naming the field, since a replaced byte would send
// something else than what was asked.
StatusOr<std::string> BodyText(const json& body) {
  std::size_t offset = 0;
  std::string text;
  if (auto field = FindNonUtf8(body, "", &offset, &text)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[offset]));
    if (field->empty())
      return Status(ErrorKind::kInvalidArgument, Msg("a value is not UTF-8 (byte {} at position {})", byte, offset + 1));
    return Status(ErrorKind::kInvalidArgument,
                  Msg("the value of {} is not UTF-8 (byte {} at position {})", *field, byte, offset + 1));
  }
  return body.dump();
}

// A portal that keeps announcing more pages, or keeps sending full pages
// without a count, is not followed forever.
constexpr int kMaxPages = 10'000;
constexpr std::size_t kMaxItems = 1'000'000;
// FindStructure looks this far into an answer for the SIRET it asked for.
constexpr std::size_t kMaxStructureHits = 100;

// Lenient readers: a missing or mistyped field reads as empty, so that a
// portal adding or dropping fields degrades a column rather than a command.
std::string Str(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return "";
}

std::int64_t Int(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return 0;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (!s.empty() && s.size() < 19 && std::all_of(s.begin(), s.end(), ::isdigit)) return std::stoll(s);
  }
  return 0;
}

std::optional<bool> OptBool(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

const json& Obj(const json& o, const char* key) {
  static const json kEmpty = json::object();
  auto it = o.find(key);
  return it != o.end() && it->is_object() ? *it : kEmpty;
}

const json& Arr(const json& o, const char* key) {
  static const json kEmpty = json::array();
  auto it = o.find(key);
  return it != o.end() && it->is_array() ? *it : kEmpty;
}

// YYYY-MM-DD of a bare date or of a timestamp ("2028-01-30T09:12:00Z",
// "2028-01-30 09:12"); anything else is returned as sent.
std::string DateOf(const std::string& text) {
  auto digits = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    return true;
  };
  bool date = text.size() >= 10 && digits(0, 4) && text[4] == '-' && digits(5, 2) &&
              text[7] == '-' && digits(8, 2);
  if (date && (text.size() == 10 || text[10] == 'T' || text[10] == ' ')) return text.substr(0, 10);
  return text;
}

std::optional<Person> PersonFrom(const json& o) {
  if (!o.is_object() || o.empty()) return std::nullopt;
  return Person{Str(o, "prenom"), Str(o, "nom"), Str(o, "adresseEmail")};
}

// parametresRetour.pages, bounded to [0, kMaxPages]; nullopt when the answer
// does not say.
std::optional<int> Pages(const json& doc) {
  const json& paging = Obj(doc, "parametresRetour");
  if (!paging.contains("pages")) return std::nullopt;
  return static_cast<int>(std::clamp<std::int64_t>(Int(paging, "pages"), 0, kMaxPages));
}

json Paging(int page) {
  return json{{"nbResultatsParPage", kPageSize}, {"pageResultatDemandee", page}};
}

AttachmentRequest RequestFrom(const json& o) {
  AttachmentRequest r;
  r.id = Int(o, "idDemandeRattachement");
  r.structure_id = Int(o, "idStructureCPP");
  r.identifier = Str(o, "identifiantStructure");
  r.designation = Str(o, "designationStructure");
  r.status = Str(o, "statut");
  r.role = Str(o, "roleUtilisateur");
  r.comment = Str(o, "commentaire");
  r.requested_at = Str(o, "dateDemande");
  r.decided_at = Str(o, "dateDecision");
  r.user_id = Int(o, "idUtilisateur");
  r.user_email = Str(o, "adresseEmailUtilisateur");
  r.user_first_name = Str(o, "prenomUtilisateur");
  r.user_last_name = Str(o, "nomUtilisateur");
  r.user_status = Str(o, "statutUtilisateur");
  r.tic_space_open = OptBool(o, "espaceTICOuvert");
  r.ready_for_tic = OptBool(o, "pretPourTIC");
  if (auto it = o.find("gestionnairePrincipal"); it != o.end()) r.main_manager = PersonFrom(*it);
  return r;
}

using PostFn = std::function<StatusOr<std::string>(StatusOr<std::string> body)>;

// Posts `body` for page 1, 2, ... (the paging object under paging_key) and
// calls visit on each element of list_key, up to the last page or until visit
// returns false. The last page is the one parametresRetour.pages names or,
// when the answer has no page count, the first that is not full.
Status ForEachPage(const PostFn& post, std::string_view what, json body, const char* paging_key,
                   const char* list_key, const std::function<bool(const json&)>& visit) {
  std::size_t items = 0;
  for (int page = 1;; ++page) {
    if (page > kMaxPages)
      return Status(ErrorKind::kProtocol, Msg("{}: more than {} pages", std::string(what), kMaxPages));
    body[paging_key] = Paging(page);
    auto text = post(BodyText(body));
    if (!text.ok()) return text.status();
    auto doc = ParseObject(*text, what);
    if (!doc.ok()) return doc.status();
    auto list = ListOf(*doc, list_key, what);
    if (!list.ok()) return list.status();
    for (const auto& item : **list) {
      if (++items > kMaxItems)
        return Status(ErrorKind::kProtocol, Msg("{}: more than {} items", std::string(what), kMaxItems));
      if (!visit(item)) return OkStatus();
    }
    // An empty page ends the listing whatever "pages" claims.
    if ((*list)->empty()) return OkStatus();
    std::optional<int> pages = Pages(*doc);
    if (pages ? page >= *pages : (*list)->size() < static_cast<std::size_t>(kPageSize)) return OkStatus();
  }
}

}  // namespace

const std::vector<std::string>& SpaceCodes() { return kSpaces; }

StatusOr<std::string> NormalizeSpaceCode(std::string_view text) {
  std::string code;
  for (char c : text) {
    if (c == '-' || c == ' ') code.push_back('_');
    else code.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (std::find(kSpaces.begin(), kSpaces.end(), code) != kSpaces.end()) return code;
  std::string known;
  for (const auto& s : kSpaces) known += (known.empty() ? "" : ", ") + s;
  return Status(ErrorKind::kInvalidArgument,
                Msg("unknown space \"{}\" (known: {})", std::string(text), known));
}

bool IsAlreadyPending(const Status& s) {
  return s.kind() == ErrorKind::kAlreadyExists && s.code_retour() == kCodeAlreadyPending;
}

bool IsAlreadyAttached(const Status& s) {
  return s.kind() == ErrorKind::kAlreadyExists && s.code_retour() == kCodeAlreadyAttached;
}

bool IsAlreadyDecided(const Status& s) {
  return s.kind() == ErrorKind::kAlreadyExists && s.code_retour() == kCodeAlreadyDecided;
}

std::optional<std::int64_t> ExistingRequestId(const Status& s) {
  if (!IsAlreadyPending(s) && !IsAlreadyAttached(s) && !IsAlreadyDecided(s)) return std::nullopt;
  auto it = s.details().find("idDemandeRattachement");
  if (it == s.details().end()) return std::nullopt;
  const std::string& text = it->second;
  // A positive id in decimal; anything else names no request.
  if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const std::int64_t id = std::stoll(text);
  if (id <= 0) return std::nullopt;
  return id;
}

std::string DecidedStatus(const Status& s) {
  if (!IsAlreadyDecided(s)) return "";
  auto it = s.details().find("statut");
  if (it == s.details().end()) return "";
  return it->second == "ACTIF" || it->second == "REFUSE" ? it->second : "";
}

StatusOr<std::string> Client::Post(std::string_view path, StatusOr<std::string> body, bool mutation,
                                   bool with_account, bool idempotent) {
  if (!body.ok()) {
    const Status& s = body.status();
    const bool translated = s.localized_message() != s.message();
    return Status(s.kind(), Message{s.message(), translated ? s.localized_message() : ""}).WithContext(std::string(path));
  }
  CallOptions options = call_options_;
  options.with_account = with_account;
  options.idempotent = idempotent;
  if (mutation && dry_run_) {
    dry_run_(connection_.Prepare("POST", path, *body, options));
    return std::string("{}");
  }
  auto reply = connection_.Call("POST", path, *body, options);
  if (!reply.ok()) return reply.status();
  return std::move(reply->body);
}

Status Client::HealthCheck() {
  auto reply = connection_.Call("GET", "transverses/v1/health-check", "", call_options_);
  return reply.ok() ? OkStatus() : reply.status();
}

Status Client::ForEachStructure(const std::string& siret, const std::string& name,
                                const std::function<bool(StructureSummary)>& visit) {
  json criteria = json::object();
  if (!siret.empty()) {
    criteria["identifiantStructure"] = siret;
    criteria["typeIdentifiantStructure"] = "SIRET";
  }
  if (!name.empty()) criteria["raisonSocialeStructure"] = name;
  auto post = [this](StatusOr<std::string> body) { return Post("structures/v1/rechercher", std::move(body), false); };
  return ForEachPage(post, "structures/v1/rechercher", json{{"structure", criteria}}, "parametres", "listeStructures",
                     [&](const json& item) {
                       return visit(StructureSummary{Int(item, "idStructureCPP"), Str(item, "identifiantStructure"),
                                                     Str(item, "typeIdentifiantStructure"),
                                                     Str(item, "designationStructure"), Str(item, "statut")});
                     });
}

StatusOr<std::vector<StructureSummary>> Client::SearchStructures(const std::string& siret,
                                                                 const std::string& name,
                                                                 std::size_t max_results) {
  std::vector<StructureSummary> out;
  Status status = ForEachStructure(siret, name, [&](StructureSummary s) {
    out.push_back(std::move(s));
    return max_results == 0 || out.size() < max_results;
  });
  if (!status.ok()) return status;
  return out;
}

StatusOr<StructureSummary> Client::FindStructure(const std::string& siret) {
  // The hit must carry the SIRET asked for: a portal answering others (a
  // prefix match, a bug) must not make chorus decide requests of, or report
  // on, the wrong structure.
  std::optional<StructureSummary> found;
  std::size_t others = 0;
  Status status = ForEachStructure(siret, "", [&](StructureSummary s) {
    std::string digits = s.identifier;
    std::erase(digits, ' ');
    if (digits == siret) {
      found = std::move(s);
      return false;
    }
    return ++others < kMaxStructureHits;
  });
  if (!status.ok()) return status;
  if (!found)
    return others ? Status(ErrorKind::kNotFound,
                           MsgN("no structure with SIRET {} on the portal (its search answered {} structure with "
                                "another SIRET)",
                                "no structure with SIRET {} on the portal (its search answered {} structures with "
                                "another SIRET)",
                                others, siret, others))
                  : Status(ErrorKind::kNotFound, Msg("no structure with SIRET {} on the portal", siret));
  return *found;
}

StatusOr<StructureDetails> Client::ConsultStructure(std::int64_t id) {
  json body{{"idStructureCPP", id}, {"codeLangue", "fr"}};
  auto text = Post("structures/v1/consulter", BodyText(body), false);
  if (!text.ok()) return text.status();
  auto doc = ParseObject(*text, "structures/v1/consulter");
  if (!doc.ok()) return doc.status();
  if (!doc->contains("informationGenerales") || !(*doc)["informationGenerales"].is_object())
    return Status(ErrorKind::kProtocol, Msg("structures/v1/consulter: the answer lacks informationGenerales"));
  const json& info = Obj(*doc, "informationGenerales");
  const json& addr = Obj(*doc, "adressePostaleDuSiege");
  StructureDetails d;
  d.id = Int(info, "idStructureCPP");
  if (d.id == 0) d.id = id;
  d.identifier = Str(info, "identifiantStructure");
  d.identifier_type = Str(info, "typeIdentifiantStructure");
  d.name = Str(info, "raisonSocialeStructure");
  if (d.name.empty()) d.name = Str(info, "libelleStructure");
  d.email = Str(info, "emailStructure");
  d.tech_password_expiry = DateOf(Str(info, "dateExpirationMotPasseCompteTech"));
  d.address = Str(addr, "adresse");
  d.postal_code = Str(addr, "codePostal");
  d.city = Str(addr, "ville");
  d.country = Str(addr, "pays");
  d.phone = Str(addr, "telephone");
  if (auto it = doc->find("extensionSandbox"); it != doc->end() && it->is_object()) {
    d.centre_de_gestion = OptBool(*it, "estCentreDeGestionAgricole");
    d.tic_space_open = OptBool(*it, "espaceTICOuvert");
    std::vector<std::string> spaces;
    for (const auto& s : Arr(*it, "listeEspaces"))
      if (s.is_string()) spaces.push_back(s.get<std::string>());
      else if (s.is_object()) spaces.push_back(Str(s, "codeEspace"));
    d.spaces = std::move(spaces);
    if (auto m = it->find("gestionnairePrincipal"); m != it->end()) d.main_manager = PersonFrom(*m);
  }
  return d;
}

StatusOr<std::vector<Service>> Client::StructureServices(std::int64_t structure_id) {
  std::vector<Service> out;
  auto post = [this](StatusOr<std::string> body) {
    return Post("structures/v1/rechercher/services", std::move(body), false);
  };
  Status status = ForEachPage(post, "structures/v1/rechercher/services", json{{"idStructure", structure_id}},
                              "parametresRechercherServicesStructure", "listeServices",
                              [&](const json& item) {
                                out.push_back(Service{Int(item, "idService"), Str(item, "codeService"),
                                                      Str(item, "libelleService"), Str(item, "statutService"),
                                                      OptBool(item, "estActif")});
                                return true;
                              });
  if (!status.ok()) return status;
  return out;
}

StatusOr<std::vector<Attachment>> Client::MyAttachments() {
  std::vector<Attachment> out;
  auto post = [this](StatusOr<std::string> body) {
    return Post("utilisateurs/v1/monCompte/recuperer/rattachements", std::move(body), false);
  };
  Status status = ForEachPage(post, "monCompte/recuperer/rattachements", json::object(), "parametresRecherche",
                              "listeStructureRattachement", [&](const json& item) {
                                Attachment a;
                                a.id = Int(item, "idRattachementStructure");
                                a.structure_id = Int(item, "idStructure");
                                a.identifier = Str(item, "identifiantStructure");
                                a.identifier_type = Str(item, "typeIdentifiantStructure");
                                a.designation = Str(item, "designationStructure");
                                a.role = Str(item, "roleUtilisateur");
                                a.status = Str(item, "statutRattachementStructure");
                                a.user_status = Str(item, "statutUtilisateur");
                                a.tic_space_open = OptBool(item, "espaceTICOuvert");
                                a.ready_for_tic = OptBool(item, "pretPourTIC");
                                out.push_back(std::move(a));
                                return true;
                              });
  if (!status.ok()) return status;
  return out;
}

StatusOr<SignupResult> Client::Signup(const SignupRequest& r) {
  json body{{"adresseEmailConnexion", r.email},
            {"nom", r.last_name},
            {"prenom", r.first_name},
            {"identifiantStructure", r.siret},
            {"typeIdentifiantStructure", "SIRET"},
            {"deposerDemandesPaiement", r.payment_requests},
            {"listeEspacesAOuvrir", r.spaces}};
  if (!r.phone.empty()) body["telephone"] = r.phone;
  if (r.new_structure) {
    body["raisonSociale"] = r.new_structure->name;
    body["adresse"] = json{{"adresse", r.new_structure->address},
                           {"codePostal", r.new_structure->postal_code},
                           {"ville", r.new_structure->city},
                           {"pays", r.new_structure->country}};
  }
  // Not idempotent: a retried sign-up after a timeout would meet its own account.
  auto text = Post("utilisateurs/v1/creer/compte", BodyText(body), true, false, false);
  if (!text.ok()) return text.status();
  if (dry_run()) return SignupResult{};
  auto doc = ParseObject(*text, "utilisateurs/v1/creer/compte");
  if (!doc.ok()) return doc.status();
  if (Status s = Require(*doc, "idUtilisateur", "utilisateurs/v1/creer/compte"); !s.ok()) return s;
  SignupResult s;
  s.created_structure = Str(*doc, "cas") == "CREATION_STRUCTURE";
  s.user_id = Int(*doc, "idUtilisateur");
  s.email = Str(*doc, "adresseEmailConnexion");
  s.user_status = Str(*doc, "statutUtilisateur");
  s.structure_id = Int(*doc, "idStructureCPP");
  s.siret = Str(*doc, "identifiantStructure");
  s.designation = Str(*doc, "designationStructure");
  s.role = Str(*doc, "roleUtilisateur");
  for (const auto& sp : Arr(*doc, "listeEspacesOuverts"))
    if (sp.is_string()) s.spaces_opened.push_back(sp.get<std::string>());
  if (auto id = Int(*doc, "idDemandeRattachement")) s.request_id = id;
  s.request_status = Str(*doc, "statutRattachement");
  if (auto it = doc->find("gestionnairePrincipal"); it != doc->end()) s.main_manager = PersonFrom(*it);
  s.message = Str(*doc, "message");
  return s;
}

StatusOr<std::string> Client::Activate(const ActivationRequest& r) {
  json body{{"jetonActivation", r.token},
            {"motDePasse", r.password},
            {"questionSecrete", r.secret_question},
            {"reponseSecrete", r.secret_answer}};
  auto text = Post("utilisateurs/v1/activer/compte", BodyText(body), true, false, false);
  if (!text.ok()) return text.status();
  if (dry_run()) return std::string();
  auto doc = ParseObject(*text, "utilisateurs/v1/activer/compte");
  if (!doc.ok()) return doc.status();
  return Str(*doc, "adresseEmailConnexion");
}

StatusOr<Account> Client::MyAccount() {
  auto text = Post("utilisateurs/v1/monCompte/consulter", std::string("{}"), false);
  if (!text.ok()) return text.status();
  auto doc = ParseObject(*text, "utilisateurs/v1/monCompte/consulter");
  if (!doc.ok()) return doc.status();
  if (Status s = Require(*doc, "idUtilisateur", "utilisateurs/v1/monCompte/consulter"); !s.ok()) return s;
  Account a;
  a.id = Int(*doc, "idUtilisateur");
  a.email = Str(*doc, "adresseEmailConnexion");
  a.first_name = Str(*doc, "prenom");
  a.last_name = Str(*doc, "nom");
  a.phone = Str(*doc, "telephone");
  a.status = Str(*doc, "statutUtilisateur");
  a.secret_question = Str(*doc, "questionSecrete");
  a.payment_requests = OptBool(*doc, "deposerDemandesPaiement").value_or(false);
  a.created_at = Str(*doc, "dateCreation");
  a.activated_at = Str(*doc, "dateActivation");
  return a;
}

Status Client::SetCentreDeGestion(std::int64_t structure_id, bool value) {
  json body{{"idStructureCPP", structure_id}, {"estCentreDeGestionAgricole", value}};
  auto text = Post("structures/v1/modifier", BodyText(body), true);
  return text.ok() ? OkStatus() : text.status();
}

Status Client::ChangeSpace(std::int64_t structure_id, const std::string& code, bool open) {
  json body{{"idStructureCPP", structure_id}, {"codeEspace", code}};
  auto text = Post(open ? "structures/v1/ajouter/espace" : "structures/v1/supprimer/espace",
                   BodyText(body), true);
  return text.ok() ? OkStatus() : text.status();
}

StatusOr<AttachmentRequest> Client::RequestAttachment(const std::string& siret) {
  return RequestAttachmentWith(BodyText(json{{"identifiantStructure", siret}, {"typeIdentifiantStructure", "SIRET"}}));
}

StatusOr<AttachmentRequest> Client::RequestAttachment(std::int64_t structure_id) {
  return RequestAttachmentWith(BodyText(json{{"idStructureCPP", structure_id}}));
}

StatusOr<AttachmentRequest> Client::RequestAttachmentWith(StatusOr<std::string> body) {
  // Safe to retry: a repeat answers "already pending", which callers count as done.
  auto text = Post("utilisateurs/v1/monCompte/demander/rattachement", std::move(body), true);
  if (!text.ok()) return text.status();
  if (dry_run()) return AttachmentRequest{};
  auto doc = ParseObject(*text, "monCompte/demander/rattachement");
  if (!doc.ok()) return doc.status();
  if (Status s = Require(*doc, "idDemandeRattachement", "monCompte/demander/rattachement"); !s.ok()) return s;
  return RequestFrom(*doc);
}

StatusOr<std::vector<AttachmentRequest>> Client::MyRequests() {
  std::vector<AttachmentRequest> out;
  auto post = [this](StatusOr<std::string> body) {
    return Post("utilisateurs/v1/monCompte/recuperer/demandesRattachement", std::move(body), false);
  };
  Status status = ForEachPage(post, "monCompte/recuperer/demandesRattachement", json::object(),
                              "parametresRecherche", "listeDemandesRattachement", [&](const json& item) {
                                out.push_back(RequestFrom(item));
                                return true;
                              });
  if (!status.ok()) return status;
  return out;
}

Status Client::ForEachPending(const PendingFilter& filter,
                              const std::function<bool(const AttachmentRequest&)>& visit) {
  json body = json::object();
  if (filter.structure_id) body["idStructureCPP"] = *filter.structure_id;
  if (!filter.user_email.empty()) body["adresseEmailUtilisateur"] = filter.user_email;
  auto post = [this](StatusOr<std::string> body) {
    return Post("structures/v1/rechercher/demandesRattachement/enAttente", std::move(body), false);
  };
  return ForEachPage(post, "rechercher/demandesRattachement/enAttente", std::move(body), "parametresRecherche",
                     "listeDemandesRattachement", [&](const json& item) { return visit(RequestFrom(item)); });
}

StatusOr<std::vector<AttachmentRequest>> Client::PendingForManager(const PendingFilter& filter) {
  std::vector<AttachmentRequest> out;
  Status status = ForEachPending(filter, [&](const AttachmentRequest& r) {
    out.push_back(r);
    return true;
  });
  if (!status.ok()) return status;
  return out;
}

StatusOr<Decision> Client::Decide(std::int64_t request_id, bool approve, const std::string& comment) {
  json body{{"idDemandeRattachement", request_id}};
  if (!comment.empty()) body["commentaire"] = comment;
  auto text = Post(approve ? "structures/v1/valider/rattachement" : "structures/v1/refuser/rattachement",
                   BodyText(body), true);
  if (!text.ok()) return text.status();
  if (dry_run()) return Decision{request_id, 0, "", comment};
  auto doc = ParseObject(*text, "valider/refuser rattachement");
  if (!doc.ok()) return doc.status();
  Decision d;
  d.request_id = Int(*doc, "idDemandeRattachement");
  if (d.request_id == 0) d.request_id = request_id;
  d.structure_id = Int(*doc, "idStructureCPP");
  d.status = Str(*doc, "statut");
  d.comment = Str(*doc, "commentaire");
  return d;
}

}  // namespace chorus
