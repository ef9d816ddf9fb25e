#include "sandbox_client.h"

#include <curl/curl.h>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <stdexcept>

#include "chorus/portal.h"

namespace sbtest {

namespace {
size_t OnBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}
size_t OnHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}
}  // namespace

Json Response::json() const {
  Json j = Json::parse(body, nullptr, false);
  return j.is_discarded() ? Json::object() : j;
}

Http::Http() : curl_(curl_easy_init()) {}
Http::~Http() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

Response Http::Get(const std::string& url, const std::vector<std::string>& headers) {
  return Perform(url, nullptr, headers);
}
Response Http::Post(const std::string& url, const std::string& body,
                    const std::vector<std::string>& headers) {
  return Perform(url, &body, headers);
}

Response Http::Perform(const std::string& url, const std::string* body,
                       const std::vector<std::string>& headers) {
  CURL* c = static_cast<CURL*>(curl_);
  Response r;
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  if (body) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  auto start = std::chrono::steady_clock::now();
  r.curl_code = curl_easy_perform(c);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(list);
  return r;
}

std::string Base64(const std::string& in) { return chorus::Base64Encode(in); }

std::string TestSiret(int n) {
  auto luhn_digit = [](const std::string& prefix) {
    for (char d = '0'; d <= '9'; ++d) {
      std::string s = prefix + d;
      int sum = 0;
      bool dbl = false;
      for (auto it = s.rbegin(); it != s.rend(); ++it) {
        int v = *it - '0';
        if (dbl) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
        dbl = !dbl;
      }
      if (sum % 10 == 0) return d;
    }
    return '0';
  };
  std::string siren = fmt::format("{:08}", 41000000 + n * 37);
  siren += luhn_digit(siren);
  std::string siret = siren + "0002";
  return siret + luhn_digit(siret);
}

Portal::Portal(std::vector<std::string> extra_args, std::string data_dir) {
  bool has_cost = false;
  for (const auto& a : extra_args) has_cost = has_cost || a == "--password-hash-cost";
  if (!has_cost) {  // argon2 at interactive cost is slow under sanitizers
    extra_args.push_back("--password-hash-cost");
    extra_args.push_back("min");
  }
  process_ = std::make_unique<chorus::testing::SandboxProcess>(extra_args, data_dir);
}

std::string Portal::Token(const std::string& id, const std::string& secret) {
  Response r = http_.Post(url() + "/api/oauth/token",
                          fmt::format("grant_type=client_credentials&client_id={}&client_secret={}"
                                      "&scope=openid",
                                      id, secret),
                          {"Content-Type: application/x-www-form-urlencoded"});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return r.json().at("access_token").get<std::string>();
}

Response Portal::Call(const std::string& path, const Json& body, const std::optional<Login>& as) {
  return CallRaw(path, body.dump(), as);
}

Response Portal::CallRaw(const std::string& path, const std::string& body,
                         const std::optional<Login>& as) {
  if (token_.empty()) token_ = Token();
  std::vector<std::string> headers = {"Authorization: Bearer " + token_,
                                      "Content-Type: application/json;charset=utf-8"};
  if (as) headers.push_back("cpro-account: " + Base64(as->login + ":" + as->password));
  return http_.Post(url() + "/cpro" + path, body, headers);
}

Response Portal::Admin(const std::string& path_and_query) {
  return http_.Get(url() + "/_sandbox" + path_and_query);
}

Json Portal::Mails(const std::string& to) {
  Response r = Admin("/mail?to=" + to);
  REQUIRE(r.status == 200);
  return r.json().at("mails");
}

std::string Portal::ActivationToken(const std::string& to) {
  Json mails = Mails(to);
  for (auto it = mails.rbegin(); it != mails.rend(); ++it)
    if (it->contains("jetonActivation")) return (*it)["jetonActivation"].get<std::string>();
  FAIL("no activation mail for " << to);
  return "";
}

Json Portal::SignUpBody(const std::string& email, const std::string& siret,
                        const std::string& raison_sociale) {
  Json body{{"adresseEmailConnexion", email},
            {"nom", "Martin"},
            {"prenom", "Marie"},
            {"telephone", "0237000000"},
            {"identifiantStructure", siret},
            {"typeIdentifiantStructure", "SIRET"},
            {"deposerDemandesPaiement", true}};
  if (!raison_sociale.empty()) {
    body["raisonSociale"] = raison_sociale;
    body["adresse"] = {{"adresse", "1 rue de la Gare"},
                       {"codePostal", "28000"},
                       {"ville", "Chartres"},
                       {"pays", "FR"}};
  }
  return body;
}

void Portal::Activate(const std::string& email, const std::string& password) {
  Response r = Call("/utilisateurs/v1/activer/compte",
                    {{"jetonActivation", ActivationToken(email)},
                     {"motDePasse", password},
                     {"questionSecrete", "Ville natale ?"},
                     {"reponseSecrete", "Chartres"}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
}

Login Portal::CreateManager(const std::string& email, const std::string& siret,
                            const std::string& raison_sociale, std::vector<std::string> spaces) {
  Json body = SignUpBody(email, siret, raison_sociale);
  body["listeEspacesAOuvrir"] = spaces;
  Response r = Call("/utilisateurs/v1/creer/compte", body);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  REQUIRE(r.json()["cas"] == "CREATION_STRUCTURE");
  Activate(email);
  return {email, kGoodPassword};
}

std::pair<Login, long long> Portal::CreateRequester(const std::string& email,
                                                    const std::string& siret) {
  Response r = Call("/utilisateurs/v1/creer/compte", SignUpBody(email, siret));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  REQUIRE(r.json()["cas"] == "DEMANDE_RATTACHEMENT");
  Activate(email);
  return {{email, kGoodPassword}, r.json()["idDemandeRattachement"].get<long long>()};
}

long long Portal::StructureId(const std::string& siret, const Login& as) {
  Response r = Call("/structures/v1/rechercher",
                    {{"structure", {{"identifiantStructure", siret},
                                    {"typeIdentifiantStructure", "SIRET"}}}},
                    as);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  REQUIRE(r.json()["listeStructures"].size() == 1);
  return r.json()["listeStructures"][0]["idStructureCPP"].get<long long>();
}

}  // namespace sbtest
