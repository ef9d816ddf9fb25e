// chorus against a hostile portal (see hostile_server.h). For each scenario,
// every command that talks to the portal must: exit 1 or 7 (never a signal,
// never 0 on garbage), say what went wrong on stderr, finish within the
// profile's timeout (3 s a request here) times its attempts, never follow a
// redirect to another host, and never print the client secret, the password,
// the cpro-account value or the bearer token, at -vv included.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hostile_server.h"
#include "support/process.h"

#include "chorus/portal.h"

namespace chorus::testing {
namespace {

constexpr const char* kClientId = "hostile-client";
constexpr const char* kClientSecret = "Cl1ent-Secret-h0stile-7Qz";
constexpr const char* kLogin = "marie.martin@cg-beauce.example";
constexpr const char* kPassword = "Pa55word-h0stile-9Xw";
constexpr const char* kToken = "hostile-bearer-T0ken-4f9c1e";
constexpr int kTimeoutSeconds = 3;

std::string Base64(const std::string& in) { return chorus::Base64Encode(in); }

const std::string& CproAccount() {
  static const std::string value = Base64(std::string(kLogin) + ":" + kPassword);
  return value;
}

using Handler = HostileServer::Handler;

// The token endpoint of a well-behaved PISTE.
bool GoodToken(const RawRequest& req, RawConnection& conn) {
  if (req.path != "/api/oauth/token") return false;
  conn.Respond(200, std::string(R"({"access_token":")") + kToken +
                        R"(","token_type":"Bearer","expires_in":3600,"scope":"openid"})");
  return true;
}

// Answers the token endpoint properly and everything else with `api`.
Handler ApiOnly(Handler api) {
  return [api](const RawRequest& req, RawConnection& conn) {
    if (!GoodToken(req, conn)) api(req, conn);
  };
}

Handler Json200(std::string body) {
  return [body](const RawRequest&, RawConnection& conn) { conn.Respond(200, body); };
}

struct Command {
  std::vector<std::string> args;
};

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> commands = {
      {{"doctor"}},
      {{"whoami"}},
      {{"structure", "search", "--siret", "73282932000074"}},
      {{"attach", "list"}},
      {{"-vv", "-o", "json", "structure", "search", "--siret", "73282932000074"}},
      {{"-vv", "whoami"}},
  };
  return commands;
}

struct Outcome {
  ProcessResult result;
  double seconds = 0;
};

class Portal {
 public:
  // timeout_seconds: the profile's `timeout`; 0 leaves chorus's defaults.
  explicit Portal(int timeout_seconds = kTimeoutSeconds) : timeout_seconds_(timeout_seconds), other_("127.0.0.2") {
    other_.set_handler([](const RawRequest&, RawConnection& conn) {
      conn.Respond(200, R"({"codeRetour":0,"libelle":"TRA_MSG_00.000"})");
    });
  }
  HostileServer& server() { return server_; }
  HostileServer& other() { return other_; }

  // extra_env: "KEY=VALUE" entries that replace the defaults below.
  Outcome Run(const std::vector<std::string>& args,
              std::chrono::milliseconds limit = std::chrono::seconds(60),
              const std::vector<std::string>& extra_env = {}) {
    WriteFile(dir_.File("config/chorus/config.toml"),
              "default_profile = \"hostile\"\n\n[profiles.hostile]\n"
              "environment = \"sandbox\"\n"
              "api_url = \"" + server_.url() + "/cpro\"\n"
              "oauth_url = \"" + server_.url() + "/api/oauth/token\"\n"
              "client_id = \"" + kClientId + "\"\n"
              "login = \"" + kLogin + "\"\n" +
              (timeout_seconds_ > 0 ? "timeout = \"" + std::to_string(timeout_seconds_) + "s\"\n" : ""),
              0600);
    std::vector<std::string> argv = {CHORUS_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessOptions o;
    o.env = {"XDG_CONFIG_HOME=" + dir_.File("config"),
             "XDG_STATE_HOME=" + dir_.File("state"),
             "XDG_CACHE_HOME=" + dir_.File("cache"),
             "HOME=" + dir_.path(),
             "CHORUS_API_URL=" + server_.url() + "/cpro",
             "CHORUS_OAUTH_URL=" + server_.url() + "/api/oauth/token",
             std::string("CHORUS_CLIENT_ID=") + kClientId,
             std::string("CHORUS_CLIENT_SECRET=") + kClientSecret,
             std::string("CHORUS_LOGIN=") + kLogin,
             std::string("CHORUS_PASSWORD=") + kPassword};
    for (const auto& entry : extra_env) {
      const std::string key = entry.substr(0, entry.find('=') + 1);
      std::erase_if(o.env, [&](const std::string& e) { return e.rfind(key, 0) == 0; });
      o.env.push_back(entry);
    }
    o.unset_env = {"CHORUS_PROFILE", "CHORUS_CONFIG", "CHORUS_ENVIRONMENT", "NO_COLOR",
                   "CLICOLOR_FORCE", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                   "all_proxy", "ALL_PROXY"};
    o.timeout = limit;
    auto start = std::chrono::steady_clock::now();
    Outcome out;
    out.result = RunProcess(argv, o);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
  }

 private:
  int timeout_seconds_;
  TempDir dir_;
  HostileServer server_;
  HostileServer other_;
};

std::string Joined(const std::vector<std::string>& args) {
  std::string s = "chorus";
  for (const auto& a : args) s += " " + a;
  return s;
}

// The first non-trace line of stderr that reads like an error.
std::string ErrorLine(const std::string& err) {
  size_t pos = 0;
  std::string fallback;
  while (pos < err.size()) {
    size_t end = err.find('\n', pos);
    if (end == std::string::npos) end = err.size();
    std::string line = err.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line[0] == '>' || line[0] == '<' || line[0] == '*' || line[0] == ' ')
      continue;
    if (line.find("rror") != std::string::npos || line.find("FAIL") != std::string::npos ||
        line.find("fail") != std::string::npos || line.find("chorus:") == 0)
      return line;
    if (fallback.empty()) fallback = line;
  }
  return fallback;
}

// doctor's first failed check ("account\tfail\t...", or the table form).
std::string FailLine(const std::string& out) {
  size_t pos = 0;
  while (pos < out.size()) {
    size_t end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    std::string line = out.substr(pos, end - pos);
    pos = end + 1;
    if (line.find("\tfail\t") != std::string::npos || line.find(" fail ") != std::string::npos)
      return line;
  }
  return "";
}

struct Expect {
  std::set<int> exit_codes = {1, 7};
  // Per-command bound on the run time: attempts × timeout plus backoff.
  double max_seconds = 4 * kTimeoutSeconds + 8;
  // Past this the run is killed (and fails as timed out).
  std::chrono::milliseconds kill_after = std::chrono::seconds(60);
  // Whether stderr (or doctor's report) must carry an error line.
  bool error_line = true;
};

void CheckNoSecret(const std::string& where, const std::string& text) {
  for (const std::string& secret : {std::string(kClientSecret), std::string(kPassword),
                                   CproAccount(), std::string(kToken)}) {
    INFO(where << " must not contain a secret");
    CHECK_MESSAGE(text.find(secret) == std::string::npos, "found " << secret.substr(0, 6) << "…");
  }
}

// `make` gets the port of the other host (127.0.0.2), for redirects.
void RunScenario(const char* name, const std::function<Handler(int)>& make, Expect expect = {},
                 const std::vector<Command>& commands = AllCommands()) {
  Portal portal;
  portal.server().set_handler(make(portal.other().port()));
  for (const auto& command : commands) {
    Outcome o = portal.Run(command.args, expect.kill_after);
    const auto& r = o.result;
    // `chorus doctor` prints its report (with a "fail" line) on stdout.
    std::string error = ErrorLine(r.err);
    if (error.empty() && command.args[0] == "doctor") error = FailLine(r.out);
    MESSAGE("[" << std::string(name) << "] " << Joined(command.args) << " -> exit " << r.exit_code << " in "
                << o.seconds << " s: " << error);
    INFO("scenario " << std::string(name) << ": " << Joined(command.args) << "\nexit " << r.exit_code
                     << "\nstdout:\n" << r.out.substr(0, 2000) << "\nstderr:\n"
                     << r.err.substr(0, 4000));
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_code < 128);  // no crash signal
    CHECK(expect.exit_codes.count(r.exit_code) == 1);
    if (expect.error_line) CHECK_FALSE(error.empty());
    CHECK(o.seconds <= expect.max_seconds);
    CheckNoSecret("stdout", r.out);
    CheckNoSecret("stderr", r.err);
  }
  CHECK_MESSAGE(portal.other().connections() == 0, "a redirect to another host was followed");
}

void RunScenario(const char* name, Handler handler, Expect expect = {},
                 const std::vector<Command>& commands = AllCommands()) {
  RunScenario(name, [&handler](int) { return handler; }, expect, commands);
}

}  // namespace

TEST_SUITE("hostile portal") {

TEST_CASE("wrong JSON types: codeRetour an object, lists as strings, numbers as objects") {
  RunScenario("wrong-types", ApiOnly(Json200(
      R"({"codeRetour":{"valeur":0},"libelle":["TRA_MSG_00.000"],)"
      R"("listeStructures":"aucune","listeStructureRattachement":{"a":1},)"
      R"("parametresRetour":"1","idStructureCPP":{"x":1},"adresseEmail":42,)"
      R"("espaces":"DEMANDE_REMBOURSEMENT_TIC","gestionnairePrincipal":[1,2]})")));
}

// List items that are not objects make the whole answer malformed (exit 7),
// not a list of empty rows.
TEST_CASE("wrong JSON types inside list items") {
  RunScenario("wrong-item-types", ApiOnly(Json200(
      R"({"codeRetour":0,"libelle":"TRA_MSG_00.000",)"
      R"("listeStructures":[42,"x",null,{"idStructureCPP":"abc","identifiantStructure":{"a":1}}],)"
      R"("listeStructureRattachement":[[],{"idStructureCPP":[1]}],)"
      R"("parametresRetour":{"pages":{"n":1}}})")));
}

// `{}` has no codeRetour envelope: not a Chorus Pro answer (exit 7).
TEST_CASE("missing fields: an empty object on every call") {
  RunScenario("missing-fields", ApiOnly(Json200("{}")));
}

TEST_CASE("a 50 MB body") {
  RunScenario("50MB-body", ApiOnly([](const RawRequest&, RawConnection& conn) {
                std::string body = R"({"codeRetour":0,"libelle":")";
                body.append(50u << 20, 'A');
                body += "\"}";
                conn.Respond(200, body);
              }));
}

TEST_CASE("invalid UTF-8 in strings") {
  RunScenario("invalid-utf8", ApiOnly(Json200(
      "{\"codeRetour\":0,\"libelle\":\"TRA\xff\",\"listeStructures\":[{\"idStructureCPP\":42,"
      "\"identifiantStructure\":\"73282932000074\",\"designationStructure\":\"EARL \xc3\x28\xfe\","
      "\"statut\":\"ACTIF\"}],\"listeStructureRattachement\":[{\"idStructureCPP\":42,"
      "\"designationStructure\":\"\xed\xa0\x80\"}],\"adresseEmail\":\"\xc0\xaf\",\"nom\":\"\xff\"}")));
}

TEST_CASE("a trickle of one byte a second") {
  RunScenario("trickle", ApiOnly([](const RawRequest&, RawConnection& conn) {
                std::string body = R"({"codeRetour":0,"libelle":"TRA_MSG_00.000","padding":")" +
                                   std::string(200, ' ') + "\"}";
                std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                   "Content-Length: " + std::to_string(body.size()) +
                                   "\r\nConnection: close\r\n\r\n";
                if (!conn.Write(head)) return;
                for (char c : body) {
                  if (!conn.Write(std::string(1, c)) || !conn.Sleep(std::chrono::seconds(1))) return;
                }
              }),
              Expect{},
              {{{"doctor"}}, {{"structure", "search", "--siret", "73282932000074"}}});
}

TEST_CASE("at the defaults, a portal that trickles or stops halfway fails within 90 s with exit 7") {
  const std::string body = R"({"codeRetour":0,"libelle":"TRA_MSG_00.000","padding":")" + std::string(400, ' ') + "\"}";
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  Handler trickle = ApiOnly([=](const RawRequest&, RawConnection& conn) {
    if (!conn.Write(head)) return;
    for (char c : body)
      if (!conn.Write(std::string(1, c)) || !conn.Sleep(std::chrono::seconds(1))) return;
  });
  Handler halfway = ApiOnly([=](const RawRequest&, RawConnection& conn) {
    if (!conn.Write(head) || !conn.Write(body.substr(0, body.size() / 2))) return;
    conn.Sleep(std::chrono::seconds(600));  // silent, the connection open
  });
  // Both at once: each takes about a minute (the default 60 s timeout).
  Outcome outcomes[2];
  std::vector<std::thread> runs;
  for (int i = 0; i < 2; ++i)
    runs.emplace_back([&, i] {
      Portal portal(/*timeout_seconds=*/0);
      portal.server().set_handler(i == 0 ? trickle : halfway);
      outcomes[i] = portal.Run({"structure", "show", "73282932000074"}, std::chrono::seconds(150));
    });
  for (auto& t : runs) t.join();
  for (int i = 0; i < 2; ++i) {
    const auto& o = outcomes[i];
    INFO((i == 0 ? "trickle" : "halfway") << ": exit " << o.result.exit_code << " in " << o.seconds << " s\n"
                                          << o.result.err);
    CHECK_FALSE(o.result.timed_out);
    CHECK(o.result.exit_code == 7);
    CHECK(o.seconds < 90);
  }
}

TEST_CASE("PISTE's 401 for a stale password: sent in at most 2 calls over three commands, then the right one works") {
  // A fake PISTE: the token endpoint works; the API answers a wrong
  // cpro-account the way PISTE does (with the challenge, or, second variant,
  // a bare 401 that looks like an expired token).
  for (bool with_challenge : {true, false}) {
    CAPTURE(with_challenge);
    std::atomic<int> stale_calls{0};
    const std::string stale = Base64(std::string(kLogin) + ":stale-Passw0rd!");
    Portal portal;
    portal.server().set_handler(ApiOnly([&](const RawRequest& req, RawConnection& conn) {
      if (req.head.find("cpro-account: " + stale) != std::string::npos) {
        ++stale_calls;
        std::vector<std::string> headers;
        if (with_challenge)
          headers.push_back(R"(WWW-Authenticate: Bearer realm="PISTE",error="Unauthorized",)"
                            R"(error_description="login or password incorrects")");
        conn.Respond(401, "", "application/json", headers);
        return;
      }
      conn.Respond(200, R"({"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStructureRattachement":[],)"
                        R"("listeStructures":[],"parametresRetour":{"pages":1,"pageCourante":1,"total":0}})");
    }));
    const std::vector<std::string> env = {"CHORUS_ENVIRONMENT=qualification", "CHORUS_PASSWORD=stale-Passw0rd!"};
    int after_first = -1;
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"whoami"}, {"attach", "list"}, {"structure", "show", "73282932000074"}}) {
      Outcome o = portal.Run(args, std::chrono::seconds(60), env);
      INFO(Joined(args) << ": " << o.result.err);
      CHECK(o.result.exit_code == 4);
      CHECK(o.result.err.find("--retry-login") != std::string::npos);
      if (after_first < 0) after_first = stale_calls;
      CHECK(stale_calls == after_first);  // nothing sent after the first command
    }
    CHECK(stale_calls >= 1);
    CHECK(stale_calls <= 2);
    Outcome right = portal.Run({"attach", "list"}, std::chrono::seconds(60), {"CHORUS_ENVIRONMENT=qualification"});
    INFO(right.result.err);
    CHECK(right.result.exit_code == 0);
  }
}

TEST_CASE("a redirect to another host") {
  // The other host is 127.0.0.2 (another loopback address, so the transport
  // would allow it): the redirect must not be followed.
  RunScenario("redirect", std::function<Handler(int)>([](int other_port) -> Handler {
    return ApiOnly([other_port](const RawRequest& req, RawConnection& conn) {
      std::string where = "http://127.0.0.2:" + std::to_string(other_port) + req.path;
      conn.Respond(302, R"({"codeRetour":0,"libelle":"moved"})", "application/json",
                   {"Location: " + where});
    });
  }));
}

TEST_CASE("a reset in the middle of the body") {
  RunScenario("reset-mid-body", ApiOnly([](const RawRequest&, RawConnection& conn) {
                std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                   "Content-Length: 5000\r\nConnection: close\r\n\r\n";
                conn.Write(head + R"({"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStructures":[)");
                conn.Sleep(std::chrono::milliseconds(100));
                conn.ResetOnClose();
              }));
}

TEST_CASE("a 200 that is not JSON") {
  RunScenario("not-json", ApiOnly([](const RawRequest&, RawConnection& conn) {
                conn.Respond(200, "<html><body>Maintenance en cours</body></html>",
                             "text/html");
              }));
}

TEST_CASE("an endless chunked body") {
  RunScenario("endless-chunked", ApiOnly([](const RawRequest&, RawConnection& conn) {
                if (!conn.Write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"))
                  return;
                std::string piece = R"({"codeRetour":0,"libelle":"TRA_MSG_00.000","x":[)";
                std::string filler(8192, ' ');
                auto chunk = [](const std::string& s) {
                  char size[32];
                  std::snprintf(size, sizeof size, "%zx\r\n", s.size());
                  return size + s + "\r\n";
                };
                if (!conn.Write(chunk(piece))) return;
                while (conn.Write(chunk(filler))) {
                }
              }));
}

TEST_CASE("the token endpoint answers garbage") {
  RunScenario("token-garbage", [](const RawRequest& req, RawConnection& conn) {
    if (req.path == "/api/oauth/token")
      conn.Respond(200, R"({"access_token":{"v":1},"token_type":42,"expires_in":"soon"})");
    else
      conn.Respond(200, R"({"codeRetour":0,"libelle":"TRA_MSG_00.000"})");
  });
}

TEST_CASE("the token endpoint answers HTML") {
  RunScenario("token-html", [](const RawRequest& req, RawConnection& conn) {
    if (req.path == "/api/oauth/token") conn.Respond(200, "<html>login</html>", "text/html");
    else conn.Respond(200, R"({"codeRetour":0,"libelle":"TRA_MSG_00.000"})");
  });
}

TEST_CASE("the token endpoint redirects to another host") {
  RunScenario("token-redirect", std::function<Handler(int)>([](int other_port) -> Handler {
    return [other_port](const RawRequest& req, RawConnection& conn) {
      if (req.path == "/api/oauth/token")
        conn.Respond(302, "", "",
                     {"Location: http://127.0.0.2:" + std::to_string(other_port) +
                      "/api/oauth/token"});
      else
        conn.Respond(200, R"({"codeRetour":0,"libelle":"TRA_MSG_00.000"})");
    };
  }));
}

TEST_CASE("the token endpoint trickles") {
  RunScenario("token-trickle", [](const RawRequest& req, RawConnection& conn) {
    if (req.path != "/api/oauth/token") {
      conn.Respond(200, R"({"codeRetour":0,"libelle":"TRA_MSG_00.000"})");
      return;
    }
    if (!conn.Write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"))
      return;
    while (conn.Write("{") && conn.Sleep(std::chrono::seconds(1))) {
    }
  }, Expect{}, {{{"doctor"}}, {{"whoami"}}});
}

// Every message chorus prints goes through the redaction of the secrets it
// sends (client secret, password, cpro-account value, tokens).
TEST_CASE("an error message that echoes the credentials back") {
  // A portal (or a proxy) may quote the request in its error: chorus must not
  // print the secrets it recognises.
  RunScenario("echo-secrets", [](const RawRequest& req, RawConnection& conn) {
    std::string echoed = std::string("login ") + kLogin + " password " + kPassword +
                         " cpro-account " + CproAccount() + " secret " + kClientSecret +
                         " token " + kToken;
    if (req.path == "/api/oauth/token") {
      conn.Respond(200, std::string(R"({"access_token":")") + kToken +
                            R"(","token_type":"Bearer","expires_in":3600})");
      return;
    }
    conn.Respond(403, R"({"codeRetour":20003,"libelle":"SBX_IDENTIFIANTS_INVALIDES","message":")" +
                          echoed + "\"}");
  }, Expect{{1, 4}});
}

// An empty page ends a listing whatever parametresRetour.pages announces, so
// a portal claiming 2^31-1 pages of nothing is not followed for ever.
TEST_CASE("endless pagination: every page empty, pages = 2^31-1") {
  RunScenario("endless-pages", ApiOnly(Json200(
      R"({"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStructures":[],)"
      R"("listeStructureRattachement":[],"listeDemandes":[],)"
      R"("parametresRetour":{"pageCourante":1,"pages":2147483647,"total":0}})")),
      Expect{{0, 5}, 5, std::chrono::seconds(10), /*error_line=*/false},
      {{{"structure", "search", "--siret", "73282932000074"}}, {{"attach", "list"}}});
}

}  // TEST_SUITE

// Issue 16.3: PISTE's gateway can refuse with an empty or HTML body (OCA
// #410 logs a 403 with no content). That is a refusal, exit 4, that names the
// HTTP status and the gateway; never a JSON parse error.
TEST_CASE("a 401 or 403 from the gateway with an empty or HTML body: exit 4, the status and the gateway named") {
  for (int http : {401, 403})
    for (const char* body : {"", "<html><body>Forbidden</body></html>"}) {
      CAPTURE(http);
      CAPTURE(body);
      Portal portal;
      portal.server().set_handler(ApiOnly([&](const RawRequest&, RawConnection& conn) {
        conn.Respond(http, body, *body ? "text/html" : "application/json");
      }));
      Outcome o = portal.Run({"structure", "search", "--siret", "73282932000074"});
      INFO(o.result.err);
      CHECK(o.result.exit_code == 4);
      CHECK(o.result.err.find("HTTP " + std::to_string(http)) != std::string::npos);
      CHECK(o.result.err.find("gateway") != std::string::npos);
      CHECK(o.result.err.find("parse") == std::string::npos);
      CHECK(o.result.err.find("JSON") == std::string::npos);
    }
}

}  // namespace chorus::testing
