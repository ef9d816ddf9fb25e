// Typed operations on the Chorus Pro API (PISTE) and on chorus-sandbox, over a
// PortalConnection. Field names of the wire format stay in client.cpp; the
// contract is docs/sandbox-api.md and the reference's §2.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chorus/http.h"
#include "chorus/portal.h"
#include "chorus/status.h"

namespace chorus {

// The spaces ("espaces") a structure can open, by portal code.
const std::vector<std::string>& SpaceCodes();
inline constexpr std::string_view kTicSpace = "DEMANDE_REMBOURSEMENT_TIC";
// "demande-remboursement-tic", "Demande_Remboursement_TIC" → the portal code;
// kInvalidArgument naming the known codes otherwise.
StatusOr<std::string> NormalizeSpaceCode(std::string_view text);

struct Person {
  std::string first_name;
  std::string last_name;
  std::string email;
};

struct StructureSummary {
  std::int64_t id = 0;          // idStructureCPP
  std::string identifier;       // identifiantStructure (the SIRET)
  std::string identifier_type;  // typeIdentifiantStructure
  std::string designation;      // designationStructure
  std::string status;           // statut
};

struct StructureDetails {
  std::int64_t id = 0;
  std::string identifier;
  std::string identifier_type;
  std::string name;  // raisonSocialeStructure
  std::string email;
  std::string address, postal_code, city, country, phone;
  // dateExpirationMotPasseCompteTech as YYYY-MM-DD: the portal's format is not
  // documented, and a bare date or a timestamp (2028-01-30T09:12:00Z) both
  // read as their date. Empty when absent; the text as sent when unreadable.
  std::string tech_password_expiry;
  // chorus-sandbox extensions (absent on PISTE).
  std::optional<bool> centre_de_gestion;
  std::optional<std::vector<std::string>> spaces;
  std::optional<bool> tic_space_open;
  std::optional<Person> main_manager;
};

// A service of a structure (rechercher/services: listeServices).
struct Service {
  std::int64_t id = 0;         // idService
  std::string code;            // codeService
  std::string name;            // libelleService
  std::string status;          // statutService: ACTIF, INACTIF
  std::optional<bool> active;  // estActif
};

// An attachment of the calling account to a structure (listeStructureRattachement).
struct Attachment {
  std::int64_t id = 0;  // idRattachementStructure
  std::int64_t structure_id = 0;
  std::string identifier, identifier_type, designation;
  std::string role;         // GESTIONNAIRE_PRINCIPAL, GESTIONNAIRE, UTILISATEUR
  std::string status;       // ACTIF (PISTE lists active ones), EN_ATTENTE, REFUSE
  std::string user_status;
  std::optional<bool> tic_space_open;  // sandbox extension
  std::optional<bool> ready_for_tic;   // sandbox extension
};

// A request for attachment ("demande de rattachement"), seen by its author or
// by a manager of the structure.
struct AttachmentRequest {
  std::int64_t id = 0;  // idDemandeRattachement
  std::int64_t structure_id = 0;
  std::string identifier, designation;
  std::string status;  // EN_ATTENTE, ACTIF, REFUSE
  std::string role;
  std::string comment;
  std::string requested_at, decided_at;
  // Manager view: who asked.
  std::int64_t user_id = 0;
  std::string user_email, user_first_name, user_last_name, user_status;
  std::optional<bool> tic_space_open, ready_for_tic;
  std::optional<Person> main_manager;  // in the answer to a new request
};

struct NewStructure {
  std::string name;  // raison sociale
  std::string address, postal_code, city;
  std::string country = "FR";
};

struct SignupRequest {
  std::string email;
  std::string first_name, last_name, phone;
  std::string siret;
  bool payment_requests = false;  // "Déposer des demandes de paiement"
  std::vector<std::string> spaces;
  std::optional<NewStructure> new_structure;  // case 2a
};

struct SignupResult {
  bool created_structure = false;  // 2a; false: 2b, an attachment request
  std::int64_t user_id = 0;
  std::string email, user_status;
  std::int64_t structure_id = 0;
  std::string siret, designation, role;
  std::vector<std::string> spaces_opened;
  std::optional<std::int64_t> request_id;
  std::string request_status;
  std::optional<Person> main_manager;
  std::string message;
};

struct ActivationRequest {
  std::string token, password, secret_question, secret_answer;
};

struct Account {
  std::int64_t id = 0;
  std::string email, first_name, last_name, phone, status, secret_question;
  bool payment_requests = false;
  std::string created_at, activated_at;
};

struct PendingFilter {
  std::optional<std::int64_t> structure_id;
  std::string user_email;
};

struct Decision {
  std::int64_t request_id = 0;
  std::int64_t structure_id = 0;
  std::string status, comment;
};

// Answers to RequestAttachment that mean "nothing to do": the request exists
// or the attachment is active.
bool IsAlreadyPending(const Status& status);
bool IsAlreadyAttached(const Status& status);
// codeRetour 70005: the request was already validated or refused.
bool IsAlreadyDecided(const Status& status);
// The existing request an error names (70001/70002/70005), when it does.
std::optional<std::int64_t> ExistingRequestId(const Status& status);
// What an already-decided request became ("ACTIF", "REFUSE"), when the portal says; else "".
std::string DecidedStatus(const Status& status);

class Client {
 public:
  explicit Client(PortalConnection& connection) : connection_(connection) {}

  // Mutations go to `sink` (for --dry-run) instead of the portal; reads still
  // go out, since a dry run must resolve SIRETs to structures to show the
  // requests it would send.
  void set_dry_run(std::function<void(const HttpRequest&)> sink) { dry_run_ = std::move(sink); }
  bool dry_run() const { return static_cast<bool>(dry_run_); }
  void set_cancel(const CancelToken& cancel) { call_options_.cancel = cancel; }
  void set_breaker(CircuitBreaker* breaker) { call_options_.breaker = breaker; }
  void set_on_retry(std::function<void(const RetryNotice&)> on_retry) { call_options_.on_retry = std::move(on_retry); }
  // Shared by the workers of a bulk run: each request waits its turn.
  void set_rate_limiter(RateLimiter* limiter) { call_options_.rate_limiter = limiter; }

  // --- On PISTE and the sandbox.
  Status HealthCheck();
  // Every page, up to max_results (0: all).
  StatusOr<std::vector<StructureSummary>> SearchStructures(const std::string& siret,
                                                           const std::string& name,
                                                           std::size_t max_results = 0);
  // The structure with this SIRET (14 digits); kNotFound when the portal has
  // none, or answers only structures with another SIRET.
  StatusOr<StructureSummary> FindStructure(const std::string& siret);
  StatusOr<StructureDetails> ConsultStructure(std::int64_t id);
  // The structure's services, every page (structures/v1/rechercher/services).
  // The portal shows them to the users attached to the structure only.
  StatusOr<std::vector<Service>> StructureServices(std::int64_t structure_id);
  StatusOr<std::vector<Attachment>> MyAttachments();

  // --- chorus-sandbox only (portal-only steps on PISTE).
  StatusOr<SignupResult> Signup(const SignupRequest& request);
  // Returns the activated account's login.
  StatusOr<std::string> Activate(const ActivationRequest& request);
  StatusOr<Account> MyAccount();
  Status SetCentreDeGestion(std::int64_t structure_id, bool value);
  Status ChangeSpace(std::int64_t structure_id, const std::string& code, bool open);
  // Attachment to the structure with this SIRET; IsAlreadyPending /
  // IsAlreadyAttached errors when there is nothing to do.
  StatusOr<AttachmentRequest> RequestAttachment(const std::string& siret);
  StatusOr<AttachmentRequest> RequestAttachment(std::int64_t structure_id);
  StatusOr<std::vector<AttachmentRequest>> MyRequests();
  StatusOr<std::vector<AttachmentRequest>> PendingForManager(const PendingFilter& filter);
  // The same, page by page, without holding the list; visit returns false to stop.
  Status ForEachPending(const PendingFilter& filter, const std::function<bool(const AttachmentRequest&)>& visit);
  StatusOr<Decision> Decide(std::int64_t request_id, bool approve, const std::string& comment);

 private:
  Status ForEachStructure(const std::string& siret, const std::string& name,
                          const std::function<bool(StructureSummary)>& visit);
  StatusOr<AttachmentRequest> RequestAttachmentWith(StatusOr<std::string> body);
  // body: the JSON text, or why it could not be made (text that is not UTF-8).
  StatusOr<std::string> Post(std::string_view path, StatusOr<std::string> body, bool mutation,
                             bool with_account = true, bool idempotent = true);

  PortalConnection& connection_;
  std::function<void(const HttpRequest&)> dry_run_;
  CallOptions call_options_;
};

}  // namespace chorus
