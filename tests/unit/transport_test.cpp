// The libcurl transport against a tiny loopback HTTP/1.1 server written here
// on raw sockets, so each behaviour (keep-alive, timeouts, redirects, size
// cap) is observable from the server side.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "chorus/http.h"
#include "chorus/portal.h"
#include "chorus/token.h"
#include "chorus/trace.h"

using namespace chorus;
using std::chrono::milliseconds;

namespace {

// Serves one connection at a time. The handler gets the raw request and
// returns the raw response, or "" to never answer.
class LoopbackServer {
 public:
  using Handler = std::function<std::string(const std::string& request)>;

  explicit LoopbackServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listen_fd_, 8) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Run(); });
  }
  ~LoopbackServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }

  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int connections() const { return connections_; }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  // Waits for `fd` to be readable, checking for stop(); false when stopping.
  bool WaitReadable(int fd) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) return true;
    }
    return false;
  }

  void Run() {
    while (WaitReadable(listen_fd_)) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      Serve(fd);
      ::close(fd);
    }
  }

  void Serve(int fd) {
    std::string buffer;
    char chunk[4096];
    for (;;) {
      // Read one request: headers, then Content-Length bytes of body.
      size_t header_end;
      while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!WaitReadable(fd)) return;
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      size_t body_length = 0;
      if (size_t cl = buffer.find("Content-Length: "); cl != std::string::npos && cl < header_end) {
        body_length = std::stoul(buffer.substr(cl + 16));
      }
      while (buffer.size() < header_end + 4 + body_length) {
        if (!WaitReadable(fd)) return;
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      std::string request = buffer.substr(0, header_end + 4 + body_length);
      buffer.erase(0, request.size());
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(request);
      }
      std::string response = handler_(request);
      if (response.empty()) {
        // Never answer: wait until the client gives up and closes.
        while (WaitReadable(fd)) {
          if (::recv(fd, chunk, sizeof chunk, 0) <= 0) return;
        }
        return;
      }
      if (::send(fd, response.data(), response.size(), MSG_NOSIGNAL) < 0) return;
      if (response.find("Connection: close") != std::string::npos) return;
    }
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

std::string HttpAnswer(int status, const std::string& body, const std::string& extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

TransportOptions FastOptions() {
  TransportOptions options;
  options.connect_timeout = milliseconds(1000);
  options.total_timeout = milliseconds(1500);
  return options;
}

}  // namespace

TEST_CASE("IsAllowedUrl: plain http only to loopback, https always") {
  for (std::string url : {"http://127.0.0.1:8080/cpro", "http://127.0.0.1", "http://127.1.2.3/x",
                          "http://localhost:1234/", "HTTP://LOCALHOST", "http://[::1]:8080/cpro",
                          "https://api.piste.gouv.fr/cpro", "https://example.com",
                          "https://127.0.0.1.evil.com/"}) {
    CAPTURE(url);
    CHECK(IsAllowedUrl(url));
  }
  for (std::string url : {"http://example.com/", "http://127.0.0.1.evil.com/", "http://128.0.0.1/",
                          "http://127.0.0.1@evil.com/", "http://[::2]/", "http://localhost.evil.com",
                          "http://0x7f000001/", "ftp://127.0.0.1/", "file:///etc/passwd",
                          "127.0.0.1:8080", "http://", "https://", ""}) {
    CAPTURE(url);
    CHECK_FALSE(IsAllowedUrl(url));
  }
}

TEST_CASE("FindHeader ignores case") {
  Headers headers = {{"Content-Type", "a"}, {"retry-after", "5"}};
  REQUIRE(FindHeader(headers, "content-type") != nullptr);
  CHECK(*FindHeader(headers, "CONTENT-TYPE") == "a");
  CHECK(*FindHeader(headers, "Retry-After") == "5");
  CHECK(FindHeader(headers, "Location") == nullptr);
}

TEST_CASE("plain http to a non-loopback host is refused before any network call") {
  auto transport = MakeCurlTransport(FastOptions());
  HttpRequest request;
  request.url = "http://example.com/cpro/x";
  const auto start = std::chrono::steady_clock::now();
  auto result = transport->Send(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().kind() == ErrorKind::kInvalidArgument);
  CHECK(result.status().message().find("https") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(50));
}

TEST_CASE("two requests reuse one connection; headers, body and User-Agent go out") {
  LoopbackServer server([](const std::string&) { return HttpAnswer(200, R"({"codeRetour":0})", "X-Trace: t1\r\n"); });
  auto transport = MakeCurlTransport(FastOptions());
  HttpRequest request;
  request.url = server.url("/cpro/structures/v1/rechercher");
  request.headers = {{"Content-Type", "application/json;charset=utf-8"}, {"cpro-account", "abc"}};
  request.body = R"({"a":1})";
  auto first = transport->Send(request);
  REQUIRE(first.ok());
  CHECK(first->status == 200);
  CHECK(first->body == R"({"codeRetour":0})");
  REQUIRE(FindHeader(first->headers, "x-trace") != nullptr);
  CHECK(*FindHeader(first->headers, "x-trace") == "t1");

  HttpRequest get;
  get.method = "GET";
  get.url = server.url("/cpro/transverses/v1/health-check");
  auto second = transport->Send(get);
  REQUIRE(second.ok());
  CHECK(second->status == 200);

  CHECK(server.connections() == 1);
  auto seen = server.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].rfind("POST /cpro/structures/v1/rechercher HTTP/1.1\r\n", 0) == 0);
  CHECK(seen[0].find("User-Agent: chorus/") != std::string::npos);
  CHECK(seen[0].find("cpro-account: abc\r\n") != std::string::npos);
  CHECK(seen[0].size() >= 7);
  CHECK(seen[0].substr(seen[0].size() - 7) == R"({"a":1})");
  CHECK(seen[1].rfind("GET /cpro/transverses/v1/health-check HTTP/1.1\r\n", 0) == 0);
  CHECK(seen[1].find("Content-Length") == std::string::npos);
}

TEST_CASE("the total timeout is honoured when the server never answers") {
  LoopbackServer server([](const std::string&) { return std::string(); });
  TransportOptions options = FastOptions();
  options.total_timeout = milliseconds(300);
  auto transport = MakeCurlTransport(options);
  HttpRequest request;
  request.url = server.url();
  const auto start = std::chrono::steady_clock::now();
  auto result = transport->Send(request);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().kind() == ErrorKind::kDeadlineExceeded);
  CHECK(elapsed >= milliseconds(250));
  CHECK(elapsed < milliseconds(1500));
}

TEST_CASE("a transfer that stalls mid-body fails as a network error after the stall limit") {
  // Headers and the start of the body, then silence with the socket open.
  LoopbackServer server([](const std::string&) {
    return std::string("HTTP/1.1 200 X\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\"");
  });
  TransportOptions options = FastOptions();
  options.total_timeout = milliseconds(10'000);
  options.stall_timeout = milliseconds(1000);
  HttpRequest request;
  request.url = server.url();
  const auto start = std::chrono::steady_clock::now();
  auto result = MakeCurlTransport(options)->Send(request);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().kind() == ErrorKind::kUnavailable);  // retried like a network error
  CHECK(result.status().message().find("no data from the portal") != std::string::npos);
  // curl measures the speed over its last 5 s: the stall shows within limit + 5 s.
  CHECK(elapsed < milliseconds(8000));
}

TEST_CASE("a request's own timeout, shorter than the transport's, wins") {
  LoopbackServer server([](const std::string&) { return std::string(); });
  TransportOptions options = FastOptions();
  options.total_timeout = milliseconds(10'000);
  HttpRequest request;
  request.url = server.url();
  request.timeout = milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  auto result = MakeCurlTransport(options)->Send(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().kind() == ErrorKind::kDeadlineExceeded);
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(1500));
}

TEST_CASE("a redirect is returned, not followed") {
  std::string location;
  LoopbackServer server([&location](const std::string&) {
    return HttpAnswer(302, "", "Location: " + location + "\r\n");
  });
  location = server.url("/elsewhere");
  auto transport = MakeCurlTransport(FastOptions());
  HttpRequest request;
  request.url = server.url("/cpro/x");
  auto result = transport->Send(request);
  REQUIRE(result.ok());
  CHECK(result->status == 302);
  REQUIRE(FindHeader(result->headers, "Location") != nullptr);
  CHECK(server.requests().size() == 1);
}

TEST_CASE("a response over the size cap is a protocol error") {
  const std::string big(5000, 'x');
  TransportOptions options = FastOptions();
  options.max_response_bytes = 1000;
  SUBCASE("announced by Content-Length") {
    LoopbackServer server([&big](const std::string&) { return HttpAnswer(200, big); });
    auto result = MakeCurlTransport(options)->Send(HttpRequest{"GET", server.url(), {}, "", {}, {}});
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().kind() == ErrorKind::kProtocol);
  }
  SUBCASE("discovered while reading") {
    LoopbackServer server([&big](const std::string&) {
      return "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + big;
    });
    auto result = MakeCurlTransport(options)->Send(HttpRequest{"GET", server.url(), {}, "", {}, {}});
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().kind() == ErrorKind::kProtocol);
  }
}

TEST_CASE("a refused connection is unavailable") {
  // A port that was free a moment ago: nothing listens there now.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  auto result = MakeCurlTransport(FastOptions())->Send(
      HttpRequest{"GET", "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/", {}, "", {}, {}});
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().kind() == ErrorKind::kUnavailable);
}

TEST_CASE("an abort request cuts an in-flight transfer at once") {
  LoopbackServer server([](const std::string&) { return std::string(); });  // never answers
  std::stop_source abort;
  std::thread canceller([&abort] {
    std::this_thread::sleep_for(milliseconds(100));
    abort.request_stop();
  });
  HttpRequest request{"GET", server.url(), {}, "", abort.get_token(), {}};
  const auto start = std::chrono::steady_clock::now();
  auto result = MakeCurlTransport(FastOptions())->Send(request);
  const auto took = std::chrono::steady_clock::now() - start;
  canceller.join();
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().kind() == ErrorKind::kCancelled);
  // Woken by the stop request, not by curl's once-a-second progress tick.
  CHECK(took < milliseconds(600));
}

TEST_CASE("the whole stack over loopback: token, headers, envelope, trace") {
  LoopbackServer server([](const std::string& request) {
    if (request.rfind("POST /api/oauth/token ", 0) == 0) {
      // The server serves one connection at a time: let the API connection in.
      return HttpAnswer(200, R"({"access_token":"T-1","token_type":"Bearer","expires_in":3600})",
                        "Connection: close\r\n");
    }
    if (request.find("Authorization: Bearer T-1\r\n") == std::string::npos) return HttpAnswer(401, "");
    return HttpAnswer(200, R"({"codeRetour":0,"libelle":"TRA_MSG_00.000","listeStructures":[]})");
  });
  std::string trace;
  auto tracer = std::make_shared<Tracer>([&trace](std::string_view text) { trace += text; });
  auto traced_curl = [&] { return MakeTracingTransport(MakeCurlTransport(FastOptions()), tracer); };
  auto tokens = MakeClientCredentialsTokenProvider(
      {server.url("/api/oauth/token"), "client-id", "client-secret-value", "openid"}, traced_curl());
  PortalOptions options;
  options.api_base_url = server.url("/cpro");
  options.account = AccountCredentials{"TECH_1_x@cpro.fr", "account-password"};
  PortalConnection portal(options, tokens, traced_curl());

  auto reply = portal.Call("POST", "structures/v1/rechercher", R"({"parametres":{}})");
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
  CHECK(reply->body.find("listeStructures") != std::string::npos);
  REQUIRE(portal.Call("POST", "structures/v1/rechercher", "{}").ok());
  CHECK(server.requests().size() == 3);  // the token once, then two calls
  CHECK(trace.find("client-secret-value") == std::string::npos);
  CHECK(trace.find("T-1") == std::string::npos);
  CHECK(trace.find(Base64Encode("TECH_1_x@cpro.fr:account-password")) == std::string::npos);
  CHECK(trace.find("< HTTP 200") != std::string::npos);
}
