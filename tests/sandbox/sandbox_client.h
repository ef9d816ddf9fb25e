// Test-side HTTP helpers for chorus-sandbox: a libcurl keep-alive client, the
// OAuth + cpro-account conventions, and shortcuts for the sign-up workflow.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/sandbox_process.h"

namespace sbtest {

using Json = nlohmann::json;

struct Response {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  int curl_code = 0;                           // CURLcode; 0 = a response arrived
  double seconds = 0;
  Json json() const;
  int code() const { return json().value("codeRetour", -1); }
  std::string libelle() const { return json().value("libelle", ""); }
};

// One libcurl easy handle: connections are kept alive between calls.
class Http {
 public:
  Http();
  ~Http();
  Http(const Http&) = delete;
  Http& operator=(const Http&) = delete;
  Response Get(const std::string& url, const std::vector<std::string>& headers = {});
  Response Post(const std::string& url, const std::string& body,
                const std::vector<std::string>& headers = {});

 private:
  Response Perform(const std::string& url, const std::string* body,
                   const std::vector<std::string>& headers);
  void* curl_;
};

struct Login {
  std::string login;
  std::string password;
};

std::string Base64(const std::string& in);
// A Luhn-valid SIRET distinct for each n (not in the demo seed's range).
std::string TestSiret(int n);
// A password that satisfies the activation policy.
inline const char* kGoodPassword = "Motdepasse-Solide1!";

// A sandbox plus a client with a token: the common fixture of the tests.
class Portal {
 public:
  explicit Portal(std::vector<std::string> extra_args = {}, std::string data_dir = "");
  const std::string& url() const { return process_->url(); }
  chorus::testing::SandboxProcess& process() { return *process_; }
  int Stop() { return process_->Stop(); }
  Http& http() { return http_; }

  std::string Token(const std::string& id = "sandbox", const std::string& secret = "sandbox");
  // POST /cpro<path> with the current token (fetched on first use) and, if
  // given, the cpro-account header.
  Response Call(const std::string& path, const Json& body, const std::optional<Login>& as = {});
  // The same with the body sent byte for byte as given (a real client's body).
  Response CallRaw(const std::string& path, const std::string& body, const std::optional<Login>& as = {});
  Response Admin(const std::string& path_and_query);  // GET /_sandbox/...
  Json Mails(const std::string& to);
  std::string ActivationToken(const std::string& to);  // from the last activation mail

  // Sign-up 2a (new structure) + activation; returns the login.
  Login CreateManager(const std::string& email, const std::string& siret,
                      const std::string& raison_sociale,
                      std::vector<std::string> spaces = {"SOLLICITATIONS_EMISES"});
  // Sign-up 2b (known SIRET) + activation; returns the login and the request id.
  std::pair<Login, long long> CreateRequester(const std::string& email, const std::string& siret);
  void Activate(const std::string& email, const std::string& password = kGoodPassword);
  long long StructureId(const std::string& siret, const Login& as);

  Json SignUpBody(const std::string& email, const std::string& siret,
                  const std::string& raison_sociale = "");

 private:
  std::unique_ptr<chorus::testing::SandboxProcess> process_;
  Http http_;
  std::string token_;
};

}  // namespace sbtest
