// Business errors as the portal reports them: an HTTP status plus the Chorus
// Pro envelope (codeRetour, libelle) and a human message. The catalogue below
// is the contract documented in docs/sandbox-api.md; keep them in step.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace sandbox {

struct ErrorDef {
  int http;
  int code;
  const char* libelle;
};

namespace errors {
// 401: Bearer token (PISTE layer).
inline constexpr ErrorDef kTokenMissing{401, 10001, "SBX_AUTH_JETON_ABSENT"};
inline constexpr ErrorDef kTokenUnknown{401, 10002, "SBX_AUTH_JETON_INCONNU"};
inline constexpr ErrorDef kTokenExpired{401, 10003, "SBX_AUTH_JETON_EXPIRE"};
// 403: cpro-account header (Chorus Pro layer).
inline constexpr ErrorDef kAccountMissing{403, 20001, "SBX_CPRO_ACCOUNT_ABSENT"};
inline constexpr ErrorDef kAccountUnreadable{403, 20002, "SBX_CPRO_ACCOUNT_ILLISIBLE"};
// 401: refused cpro-account credentials, the PISTE way (its gateway answers a
// wrong technical-account password with 401 and WWW-Authenticate
// error="Unauthorized"; see RefusedCredentialsChallenge).
inline constexpr ErrorDef kBadCredentials{401, 20003, "SBX_IDENTIFIANTS_INVALIDES"};
// Reserved: an account not activated yet answers kBadCredentials, like an
// unknown login, so that the answer does not tell which logins exist.
inline constexpr ErrorDef kAccountNotActivated{401, 20004, "SBX_COMPTE_NON_ACTIVE"};
inline constexpr ErrorDef kAccountLocked{401, 20005, "SBX_COMPTE_BLOQUE"};
// 400: validation.
inline constexpr ErrorDef kBadRequest{400, 30001, "SBX_REQUETE_INVALIDE"};
inline constexpr ErrorDef kMissingField{400, 30002, "SBX_CHAMP_OBLIGATOIRE"};
inline constexpr ErrorDef kBadSiret{400, 30003, "SBX_SIRET_INVALIDE"};
inline constexpr ErrorDef kBadEmail{400, 30004, "SBX_EMAIL_INVALIDE"};
inline constexpr ErrorDef kWeakPassword{400, 30005, "SBX_MOT_DE_PASSE_NON_CONFORME"};
inline constexpr ErrorDef kUnknownSpace{400, 30006, "SBX_ESPACE_INCONNU"};
inline constexpr ErrorDef kBadIdentifierType{400, 30007, "SBX_TYPE_IDENTIFIANT_INVALIDE"};
inline constexpr ErrorDef kBadPaging{400, 30008, "SBX_PAGINATION_INVALIDE"};
inline constexpr ErrorDef kTokenActivationExpired{400, 30009, "SBX_JETON_ACTIVATION_EXPIRE"};
inline constexpr ErrorDef kBadValue{400, 30010, "SBX_VALEUR_INVALIDE"};
// 400: business rules.
inline constexpr ErrorDef kCgCannotOpenTic{400, 40001, "SBX_CG_ESPACE_TIC_INTERDIT"};
inline constexpr ErrorDef kTicOpenCannotBecomeCg{400, 40002, "SBX_ESPACE_TIC_OUVERT_CG_INTERDIT"};
inline constexpr ErrorDef kClockNotFake{400, 40003, "SBX_HORLOGE_NON_SIMULEE"};
// 403: rights.
inline constexpr ErrorDef kNotManager{403, 50001, "SBX_NON_GESTIONNAIRE"};
inline constexpr ErrorDef kNotAllowed{403, 50002, "SBX_ACCES_REFUSE"};
inline constexpr ErrorDef kLoopbackOnly{403, 50003, "SBX_ADMIN_LOOPBACK_UNIQUEMENT"};
// 404: unknown things.
inline constexpr ErrorDef kUnknownStructure{404, 60001, "SBX_STRUCTURE_INCONNUE"};
inline constexpr ErrorDef kUnknownRequest{404, 60002, "SBX_DEMANDE_INCONNUE"};
inline constexpr ErrorDef kUnknownActivationToken{404, 60003, "SBX_JETON_ACTIVATION_INCONNU"};
inline constexpr ErrorDef kUnknownUser{404, 60004, "SBX_UTILISATEUR_INCONNU"};
inline constexpr ErrorDef kUnknownRoute{404, 60005, "SBX_ROUTE_INCONNUE"};
inline constexpr ErrorDef kUnknownService{404, 60006, "SBX_SERVICE_INCONNU"};
// consulter/information/siret: the sandbox has no INSEE register, only its own
// structures; any other SIRET gets this "not simulated" answer.
inline constexpr ErrorDef kSiretNotSimulated{404, 60007, "SBX_SIRET_NON_SIMULE"};
// 409: conflicts.
inline constexpr ErrorDef kAlreadyPending{409, 70001, "SBX_DEMANDE_DEJA_EN_ATTENTE"};
inline constexpr ErrorDef kAlreadyAttached{409, 70002, "SBX_DEJA_RATTACHE"};
inline constexpr ErrorDef kAccountExists{409, 70003, "SBX_COMPTE_EXISTANT"};
inline constexpr ErrorDef kActivationTokenUsed{409, 70004, "SBX_JETON_ACTIVATION_DEJA_UTILISE"};
inline constexpr ErrorDef kAlreadyDecided{409, 70005, "SBX_DEMANDE_DEJA_TRAITEE"};
inline constexpr ErrorDef kAlreadyActivated{409, 70006, "SBX_COMPTE_DEJA_ACTIVE"};
// 429 / 500.
inline constexpr ErrorDef kQuota{429, 80001, "SBX_QUOTA_DEPASSE"};
inline constexpr ErrorDef kInjectedFailure{500, 90001, "SBX_ERREUR_SIMULEE"};
inline constexpr ErrorDef kInternal{500, 90002, "SBX_ERREUR_INTERNE"};
}  // namespace errors

// The WWW-Authenticate header of a 401. Refused credentials get PISTE's own
// challenge, which says the login or password is wrong; token errors get
// OAuth's invalid_token, which tells a client to fetch a new token. A client
// tells the two apart by the error, since both are 401.
inline const char* WwwAuthenticate(const ErrorDef& def) {
  if (def.code / 1000 == 20)
    return R"(Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects")";
  return R"(Bearer realm="PISTE",error="invalid_token")";
}

class ApiError : public std::runtime_error {
 public:
  ApiError(const ErrorDef& def, const std::string& message, std::string field = "",
           long long request_id = 0, std::string request_status = "")
      : std::runtime_error(message), def_(def), field_(std::move(field)),
        request_id_(request_id), request_status_(std::move(request_status)) {}
  const ErrorDef& def() const { return def_; }
  const std::string& field() const { return field_; }  // the offending field, if any
  // For "already pending/attached/decided": the existing request, so a client
  // can treat a retried POST as done.
  long long request_id() const { return request_id_; }
  // For "already decided": what the request became (ACTIF or REFUSE), so a
  // client can tell a repeated decision from a contrary one.
  const std::string& request_status() const { return request_status_; }

 private:
  ErrorDef def_;
  std::string field_;
  long long request_id_;
  std::string request_status_;
};

}  // namespace sandbox
