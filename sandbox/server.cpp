#include "server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "../cmd/tr.h"
#include "answer_memo.h"
#include "api_error.h"
#include "connections.h"
#include "credentials.h"
#include "portal.h"
#include "request.h"
#include "routes.h"

namespace sandbox {

namespace {

using httplib::Request;
using httplib::Response;

constexpr const char* kSuccessLabel = "TRA_MSG_00.000";

double Roll() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

Json ErrorBody(const ApiError& e) {
  Json body{{"codeRetour", e.def().code}, {"libelle", e.def().libelle}, {"message", e.what()}};
  if (!e.field().empty()) body["champ"] = e.field();
  if (e.request_id() != 0) body["idDemandeRattachement"] = e.request_id();
  if (!e.request_status().empty()) body["statut"] = e.request_status();
  return body;
}

constexpr const char* kJsonType = "application/json;charset=utf-8";
constexpr size_t kMaxMemoisedBody = 4096;  // larger bodies are not what clients repeat

void WriteJson(Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), kJsonType);
}

// The envelope {"codeRetour":0,"libelle":...} followed by the fields of
// `body`, an object: written as text, where merging the fields into a new
// object would copy the whole answer.
std::string SuccessText(const Json& body) {
  if (!body.is_object()) throw std::logic_error("a reply with an envelope must be an object");
  std::string text = fmt::format(R"({{"codeRetour":0,"libelle":"{}")", kSuccessLabel);
  if (!body.empty()) {
    std::string fields = body.dump();
    text += ',';
    text.append(fields, 1);  // without its '{'
  } else {
    text += '}';
  }
  return text;
}

void WriteSuccess(Response& res, const std::string& text) {
  res.status = 200;
  res.set_content(text, kJsonType);
}

class Server {
 public:
  Server(Portal& portal, const ServerOptions& options) : portal_(portal), options_(options) {
    BuildRoutes();
  }

  int Run();

 private:
  void BuildRoutes();
  void Handle(const Route& route, const Request& req, Response& res);
  void Authorise(const Route& route, Call& call);
  void CheckQuota(const std::string& client_id);
  // 404 60005, counted in the statistics under its path.
  void AnswerUnknownRoute(const Request& req, Response& res) {
    {
      std::lock_guard lock(stats_mu_);
      ++unknown_calls_by_path_[req.path];
    }
    WriteJson(res, 404,
              ErrorBody(ApiError(errors::kUnknownRoute,
                                 fmt::format("Route inconnue : {} {}.", req.method, req.path))));
  }
  Reply IssueToken(Call& call);
  Json Stats();
  Json RouteList() const;

  Portal& portal_;
  ServerOptions options_;
  std::vector<Route> routes_;
  // Calls per route (routes_[i]), counted without a lock; unknown paths apart.
  std::unique_ptr<std::atomic<int64_t>[]> calls_;
  std::mutex stats_mu_;
  std::map<std::string, int64_t> unknown_calls_by_path_;
  AnswerMemo memo_;
  std::mutex quota_mu_;
  std::unordered_map<std::string, std::pair<int64_t, int>> quota_windows_;  // client -> second, n
};

void Server::BuildRoutes() {
  routes_ = {{"POST", "/api/oauth/token", Access::kPublic,
              [this](Call& c, const Json&) { return IssueToken(c); }}};
  for (auto& route : PortalRoutes(portal_)) routes_.push_back(std::move(route));
  std::vector<Route> admin = {
      {"GET", "/_sandbox/mail", Access::kLoopback,
       [this](Call& c, const Json&) {
         return Reply{{{"mails", portal_.Mails(c.req.get_param_value("to"))}}};
       }},
      {"GET", "/_sandbox/stats", Access::kLoopback, [this](Call&, const Json&) { return Reply{Stats()}; }},
      {"GET", "/_sandbox/routes", Access::kLoopback,
       [this](Call&, const Json&) { return Reply{{{"routes", RouteList()}}}; }},
      {"GET", "/_sandbox/clock", Access::kLoopback,
       [this](Call&, const Json&) {
         return Reply{{{"epochSeconds", portal_.clock().Now()}, {"fake", portal_.clock().fake()}}};
       }},
      {"POST", "/_sandbox/clock", Access::kLoopback,
       [this](Call&, const Json& b) {
         Clock& clock = portal_.clock();
         if (!clock.fake())
           throw ApiError(errors::kClockNotFake,
                          "L'horloge n'est réglable qu'avec serve --fake-clock EPOCH.");
         // As everywhere, 0 counts as absent: advancing by 0 is no request.
         auto advance = OptInt(b, "advanceSeconds");
         auto epoch = OptInt(b, "epochSeconds");
         if (!advance && !epoch)
           throw ApiError(errors::kMissingField, "advanceSeconds ou epochSeconds est obligatoire.",
                          "advanceSeconds");
         if (epoch) clock.Set(*epoch);
         if (advance) clock.Advance(*advance);
         return Reply{{{"epochSeconds", clock.Now()}, {"fake", true}}};
       }},
  };
  for (auto& route : admin) routes_.push_back(std::move(route));
  calls_ = std::make_unique<std::atomic<int64_t>[]>(routes_.size());
}

Json Server::RouteList() const {
  Json list = Json::array();
  for (const auto& r : routes_) {
    const char* access = r.access == Access::kPublic     ? "aucune"
                         : r.access == Access::kToken    ? "bearer"
                         : r.access == Access::kAccount  ? "bearer+cpro-account"
                                                         : "loopback";
    list.push_back({{"method", r.method}, {"path", r.path}, {"auth", access}});
  }
  return list;
}

Json Server::Stats() {
  Json out;
  {
    std::lock_guard lock(stats_mu_);
    out["callsByPath"] = Json::object();
    for (const auto& [path, n] : unknown_calls_by_path_) out["callsByPath"][path] = n;
  }
  for (size_t i = 0; i < routes_.size(); ++i)
    if (int64_t n = calls_[i].load(std::memory_order_relaxed); n > 0)
      out["callsByPath"][routes_[i].path] = out["callsByPath"].value(routes_[i].path, int64_t{0}) + n;
  out["requestsCreated"] = portal_.RequestsCreated();
  return out;
}

void Server::CheckQuota(const std::string& client_id) {
  if (options_.quota <= 0) return;
  int64_t second = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::steady_clock::now().time_since_epoch())
                       .count();
  std::lock_guard lock(quota_mu_);
  auto& [window, count] = quota_windows_[client_id];
  if (window != second) {
    window = second;
    count = 0;
  }
  if (++count > options_.quota)
    throw ApiError(errors::kQuota,
                   fmt::format("Quota de {} requêtes par seconde dépassé pour le client {}.",
                               options_.quota, client_id));
}

Reply Server::IssueToken(Call& call) {
  const Request& req = call.req;
  auto oauth_error = [&](int status, const char* error, const char* description) {
    call.res.status = status;
    return Reply{{{"error", error}, {"error_description", description}}, false};
  };
  std::string grant = req.get_param_value("grant_type");
  std::string id = req.get_param_value("client_id");
  std::string secret = req.get_param_value("client_secret");
  // RFC 6749 also allows the client credentials in HTTP Basic.
  std::string auth = req.get_header_value("Authorization");
  if (id.empty() && auth.rfind("Basic ", 0) == 0) {
    std::optional<std::string> decoded = DecodeBase64(auth.substr(6));
    auto colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon != std::string::npos) {
      id = decoded->substr(0, colon);
      secret = decoded->substr(colon + 1);
    }
  }
  if (grant != "client_credentials")
    return oauth_error(400, "unsupported_grant_type", "grant_type must be client_credentials");
  auto it = options_.clients.find(id);
  if (id.empty() || it == options_.clients.end() || it->second != secret)
    return oauth_error(401, "invalid_client", "unknown client or wrong secret");
  CheckQuota(id);
  std::string token = portal_.IssueAccessToken(id, options_.token_ttl);
  return Reply{{{"access_token", token},
                {"token_type", "Bearer"},
                {"expires_in", options_.token_ttl},
                {"scope", "openid"}},
               false};
}

void Server::Authorise(const Route& route, Call& call) {
  const Request& req = call.req;
  if (route.access == Access::kPublic) return;
  if (route.access == Access::kLoopback) {
    if (!IsLoopback(req.remote_addr))
      throw ApiError(errors::kLoopbackOnly, "Point d'administration réservé à la boucle locale.");
    return;
  }
  std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) != 0 || auth.size() <= 7)
    throw ApiError(errors::kTokenMissing, "Jeton d'accès (Authorization: Bearer) absent.");
  switch (portal_.CheckAccessToken(auth.substr(7), &call.client_id)) {
    case Portal::TokenState::kUnknown:
      throw ApiError(errors::kTokenUnknown, "Jeton d'accès inconnu.");
    case Portal::TokenState::kExpired:
      throw ApiError(errors::kTokenExpired, "Jeton d'accès expiré.");
    case Portal::TokenState::kValid:
      break;
  }
  CheckQuota(call.client_id);
  if (route.access == Access::kToken) return;
  if (!req.has_header("cpro-account"))
    throw ApiError(errors::kAccountMissing, "En-tête cpro-account absent.");
  call.user = portal_.Authenticate(req.get_header_value("cpro-account"));
}

void Server::Handle(const Route& route, const Request& req, Response& res) {
  calls_[static_cast<size_t>(&route - routes_.data())].fetch_add(1, std::memory_order_relaxed);
  if (route.access != Access::kLoopback) {
    if (options_.latency_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(options_.latency_ms));
    if (options_.reset_rate > 0 && Roll() < options_.reset_rate) {
      DropConnection(req.local_port, req.remote_port);
      res.status = 500;
      return;
    }
  }
  try {
    if (route.access != Access::kLoopback && options_.fail_rate > 0 &&
        Roll() < options_.fail_rate)
      throw ApiError(errors::kInjectedFailure, "Erreur simulée (--fail-rate).");
    Call call{req, res, 0, {}};
    Authorise(route, call);
    // The same read by the same caller, with no change of the data since.
    std::string memo_key;
    const uint64_t version = portal_.DataVersion();
    const bool memoised = route.memo != Memo::kNo && req.body.size() <= kMaxMemoisedBody;
    if (memoised) {
      memo_key = fmt::format("{}\n{}\n{}", route.path,
                             route.memo == Memo::kPerCaller ? call.user : 0, req.body);
      if (auto answer = memo_.Find(memo_key, version)) return WriteSuccess(res, *answer);
    }
    Json body = Json::object();
    if (route.method == "POST" && route.access != Access::kPublic && !req.body.empty()) {
      body = Json::parse(req.body, nullptr, false);
      if (body.is_discarded())
        throw ApiError(errors::kBadRequest, "Le corps de la requête n'est pas du JSON valide.");
      if (body.is_null()) body = Json::object();
      if (!body.is_object())
        throw ApiError(errors::kBadRequest, "Le corps de la requête doit être un objet JSON.");
    }
    Reply reply = route.handler(call, body);
    if (!reply.envelope) {
      WriteJson(res, res.status > 0 ? res.status : 200, reply.body);
      return;
    }
    std::string answer = SuccessText(reply.body);
    WriteSuccess(res, answer);
    if (memoised && portal_.DataVersion() == version)
      memo_.Store(memo_key, version, std::move(answer));
  } catch (const ApiError& e) {
    if (e.def().http == 401) res.set_header("WWW-Authenticate", WwwAuthenticate(e.def()));
    if (e.def().http == 429) res.set_header("Retry-After", "1");
    WriteJson(res, e.def().http, ErrorBody(e));
  } catch (const std::exception& e) {
    WriteJson(res, 500, ErrorBody(ApiError(errors::kInternal, e.what())));
  }
}

std::string RegexEscape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

int Server::Run() {
  httplib::Server svr;
  svr.set_tcp_nodelay(true);  // without it keep-alive JSON calls stall on delayed ACKs
  svr.set_keep_alive_max_count(100000);
  svr.set_keep_alive_timeout(5);
  svr.set_payload_max_length(4 * 1024 * 1024);
  int threads = options_.threads;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  for (const auto& route : routes_) {
    auto handler = [this, &route](const Request& req, Response& res) { Handle(route, req, res); };
    if (route.method == "GET") svr.Get(RegexEscape(route.path), handler);
    else svr.Post(RegexEscape(route.path), handler);
  }
  // One TCP segment per answer. httplib writes the headers and the body with
  // two send() calls; with TCP_NODELAY each leaves as a segment of its own,
  // and the client wakes for both (perf: the two sends were a quarter of the
  // sandbox's CPU). httplib 0.11 calls the post-routing handler just before
  // it writes the headers and the logger just after the body: the socket is
  // corked in between, so the kernel sends the answer at once when uncorked.
  svr.set_post_routing_handler([](const Request& req, Response&) {
    CorkConnection(req.local_port, req.remote_port, true);
  });
  svr.set_logger([](const Request& req, const Response&) {
    CorkConnection(req.local_port, req.remote_port, false);
  });
  svr.set_error_handler(httplib::Server::HandlerWithResponse([this](const Request& req, Response& res) {
    if (!res.body.empty() || res.status != 404) return httplib::Server::HandlerResponse::Unhandled;
    AnswerUnknownRoute(req, res);
    return httplib::Server::HandlerResponse::Handled;
  }));

  int port = options_.port;
  if (port == 0) port = svr.bind_to_any_port(options_.host);
  else if (!svr.bind_to_port(options_.host, port)) port = -1;
  if (port <= 0) {
    fmt::print(stderr, "chorus-sandbox: {}\n", chorus::cli::TrFormat("cannot listen on {}:{}", options_.host, options_.port));
    return 1;
  }
  std::string host = options_.host == "0.0.0.0" ? "127.0.0.1" : options_.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  std::string url = fmt::format("http://{}:{}", host, port);
  portal_.SetBaseUrl(url);
  {
    std::ofstream out(options_.data_dir + "/url", std::ios::trunc);
    out << url << "\n";
  }
  std::printf("%s\n", url.c_str());
  std::fflush(stdout);

  // SIGTERM/SIGINT are blocked in every thread; this one waits for them. A
  // signal may arrive before listen_after_bind() runs, and stop() on a server
  // not yet running does nothing, so wait until it runs (or gave up).
  std::atomic<bool> listen_done{false}, got_signal{false};
  std::thread signals([&] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    sigwait(&set, &sig);
    got_signal = true;
    while (!svr.is_running() && !listen_done)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    svr.stop();
    // Idle keep-alive connections would hold their worker threads (and so the
    // exit) until their timeout: end them now.
    ForEachConnection(port, -1, [](int fd) { shutdown(fd, SHUT_RDWR); });
  });
  bool ok = svr.listen_after_bind();
  listen_done = true;
  if (!got_signal) pthread_kill(signals.native_handle(), SIGTERM);  // wake it to exit
  signals.join();
  if (!ok && !got_signal) {
    fmt::print(stderr, "chorus-sandbox: {}\n", chorus::Tr("the listener failed"));
    return 1;
  }
  return 0;
}

}  // namespace

int RunServer(Portal& portal, const ServerOptions& options) {
  Server server(portal, options);
  return server.Run();
}

}  // namespace sandbox
