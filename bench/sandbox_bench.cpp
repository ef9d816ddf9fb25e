// Load generator for chorus-sandbox: keep-alive connections (16 by default)
// spread over a few threads (2), each connection sending one authenticated
// POST at a time, for a fixed time, on structures/v1/consulter and then
// structures/v1/rechercher. Starts its own seeded sandbox unless --url is given.
// Prints key=value lines.
//
// The connections are plain sockets with prebuilt requests, polled like wrk
// does, not libcurl handles: on a 2-core machine the load generator shares the
// cores with the server, and a client that costs as much CPU per request as
// the server measures itself (with 16 libcurl threads it took a third of the
// machine). The client's and the server's CPU time per request are printed,
// so what each costs can be read off every run.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "chorus/portal.h"

using Json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string url;       // empty: start a sandbox
  std::string accounts;  // demo-accounts.json (with --url)
  std::string client = "sandbox:sandbox";
  int connections = 16;
  int threads = 2;
  double seconds = 3;
  int farms = 200;
  std::string sandbox_bin = CHORUS_SANDBOX_BIN;
  std::string only;  // consulter or rechercher; empty: both
};

[[noreturn]] void Usage(int code) {
  std::fprintf(code ? stderr : stdout,
               "usage: sandbox_bench [--connections N] [--threads N] [--seconds S] [--farms N]\n"
               "                     [--only consulter|rechercher]\n"
               "                     [--url URL --accounts DIR/demo-accounts.json] [--client ID:SECRET]\n"
               "Starts `chorus-sandbox serve --seed demo` in a temporary directory (unless --url),\n"
               "then loads structures/v1/consulter and structures/v1/rechercher, authenticated, with\n"
               "N keep-alive connections (default 16) over --threads threads (default 2), one request\n"
               "in flight per connection, and prints key=value lines: requests_per_s, p50_ms, p99_ms,\n"
               "errors, and the CPU time per request of this client and (when it started it) of the\n"
               "sandbox.\n");
  std::exit(code);
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(2);
      return argv[++i];
    };
    if (a == "--help" || a == "-h") Usage(0);
    else if (a == "--url") o.url = value();
    else if (a == "--accounts") o.accounts = value();
    else if (a == "--client") o.client = value();
    else if (a == "--connections") o.connections = std::max(1, std::atoi(value().c_str()));
    else if (a == "--threads") o.threads = std::max(1, std::atoi(value().c_str()));
    else if (a == "--seconds") o.seconds = std::max(0.1, std::atof(value().c_str()));
    else if (a == "--farms") o.farms = std::max(1, std::atoi(value().c_str()));
    else if (a == "--sandbox") o.sandbox_bin = value();
    else if (a == "--only") o.only = value();
    else Usage(2);
  }
  if (!o.url.empty() && o.accounts.empty()) Usage(2);
  o.threads = std::min(o.threads, o.connections);
  return o;
}

// A sandbox child process in its own temporary data directory.
struct Sandbox {
  pid_t pid = -1;
  std::string dir, url;
  explicit Sandbox(const Options& o) {
    char tmpl[] = "/tmp/sandbox-bench-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    std::string farms = std::to_string(o.farms);
    pid = fork();
    if (pid == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      execl(o.sandbox_bin.c_str(), o.sandbox_bin.c_str(), "serve", "--listen", "127.0.0.1:0",
            "--data", dir.c_str(), "--seed", "demo", "--farms", farms.c_str(), "--client",
            o.client.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') url += c;
    close(out[0]);
    if (url.rfind("http://", 0) != 0) throw std::runtime_error("the sandbox did not start");
  }
  ~Sandbox() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      int status = 0;
      waitpid(pid, &status, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

// CPU seconds (user + system) a process has used: /proc/PID/stat.
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::vector<std::string> fields;
  std::string field;
  for (size_t i = close_paren + 2; i <= stat.size(); ++i) {
    if (i == stat.size() || stat[i] == ' ') {
      fields.push_back(field);
      field.clear();
    } else {
      field += stat[i];
    }
  }
  // After "pid (comm)": state is field 0, utime field 11, stime field 12.
  if (fields.size() < 13) return 0;
  return static_cast<double>(std::stoull(fields[11]) + std::stoull(fields[12])) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

double SelfCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::string FetchToken(const std::string& url, const std::string& client) {
  auto colon = client.find(':');
  std::string form = fmt::format("grant_type=client_credentials&client_id={}&client_secret={}&scope=openid",
                                 client.substr(0, colon), client.substr(colon + 1));
  std::string body;
  CURL* c = curl_easy_init();
  std::string token_url = url + "/api/oauth/token";
  curl_easy_setopt(c, CURLOPT_URL, token_url.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_cleanup(c);
  Json j = Json::parse(body, nullptr, false);
  if (rc != CURLE_OK || !j.is_object() || !j.contains("access_token"))
    throw std::runtime_error("no token: " + body);
  return j["access_token"];
}

// host and port of "http://HOST:PORT".
sockaddr_in AddressOf(const std::string& url) {
  auto host_start = url.find("//") + 2;
  auto colon = url.find(':', host_start);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(std::atoi(url.c_str() + colon + 1)));
  if (inet_pton(AF_INET, url.substr(host_start, colon - host_start).c_str(), &sa.sin_addr) != 1)
    throw std::runtime_error("sandbox_bench needs an IPv4 URL: " + url);
  return sa;
}

// One keep-alive connection with one request in flight.
struct Connection {
  int fd = -1;
  std::vector<std::string> requests;  // sent in turn
  size_t next = 0;
  std::string in;
  SteadyClock::time_point sent;
};

struct Result {
  std::vector<double> latencies_ms;
  long errors = 0;
};

void Send(Connection& c) {
  const std::string& r = c.requests[c.next++ % c.requests.size()];
  c.in.clear();
  c.sent = SteadyClock::now();
  for (size_t done = 0; done < r.size();) {
    ssize_t n = ::send(c.fd, r.data() + done, r.size() - done, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    done += static_cast<size_t>(n);
  }
}

// Reads what is there; true when a whole response (headers + Content-Length
// bytes) is in; *status is its HTTP status.
bool Receive(Connection& c, int* status) {
  char buf[16384];
  ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
  if (n <= 0) throw std::runtime_error("the sandbox closed a connection");
  c.in.append(buf, static_cast<size_t>(n));
  auto end = c.in.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  auto cl = c.in.find("Content-Length: ");
  if (cl == std::string::npos || cl > end) throw std::runtime_error("no Content-Length");
  size_t length = std::strtoul(c.in.c_str() + cl + 16, nullptr, 10);
  if (c.in.size() < end + 4 + length) return false;
  *status = std::atoi(c.in.c_str() + 9);  // "HTTP/1.1 200"
  return true;
}

// Runs the connections for `seconds`; body_for(connection, i) gives the i-th
// body a connection sends (prebuilt in rounds of `variants`).
Result Load(const Options& o, const std::string& url, const std::string& path, const std::string& token,
            const Json& accounts, const std::function<Json(int, int)>& body_for, double* elapsed) {
  const sockaddr_in address = AddressOf(url);
  const int variants = 64;
  std::vector<Connection> connections(static_cast<size_t>(o.connections));
  for (int ci = 0; ci < o.connections; ++ci) {
    Connection& c = connections[static_cast<size_t>(ci)];
    const Json& me = accounts[static_cast<size_t>(ci) % accounts.size()];
    std::string account = chorus::Base64Encode(me["login"].get<std::string>() + ":" + me["password"].get<std::string>());
    for (int i = 0; i < variants; ++i) {
      std::string body = body_for(ci, i).dump();
      c.requests.push_back(fmt::format("POST /cpro{} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n"
                                       "cpro-account: {}\r\nContent-Type: application/json;charset=utf-8\r\n"
                                       "Content-Length: {}\r\n\r\n{}",
                                       path, url.substr(7), token, account, body.size(), body));
    }
    c.fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c.fd < 0) throw std::runtime_error("socket failed");
    int one = 1;  // as libcurl does: small requests must not wait for delayed ACKs
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
      throw std::runtime_error("cannot connect to " + url);
  }
  std::vector<Result> per_thread(static_cast<size_t>(o.threads));
  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::vector<std::thread> workers;
  auto start = SteadyClock::now();
  for (int t = 0; t < o.threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        Result& r = per_thread[static_cast<size_t>(t)];
        std::vector<Connection*> mine;
        std::vector<pollfd> fds;
        for (size_t ci = static_cast<size_t>(t); ci < connections.size(); ci += static_cast<size_t>(o.threads)) {
          mine.push_back(&connections[ci]);
          fds.push_back(pollfd{connections[ci].fd, POLLIN, 0});
          Send(connections[ci]);
        }
        while (!stop.load(std::memory_order_relaxed)) {
          if (poll(fds.data(), fds.size(), 100) < 0) throw std::runtime_error("poll failed");
          for (size_t i = 0; i < fds.size(); ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            int status = 0;
            if (!Receive(*mine[i], &status)) continue;
            r.latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(SteadyClock::now() - mine[i]->sent).count());
            if (status != 200) ++r.errors;
            Send(*mine[i]);
          }
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "sandbox_bench: %s\n", e.what());
        failed = true;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& w : workers) w.join();
  *elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  for (auto& c : connections) close(c.fd);
  if (failed) throw std::runtime_error("a connection failed");
  Result all;
  for (auto& r : per_thread) {
    all.errors += r.errors;
    all.latencies_ms.insert(all.latencies_ms.end(), r.latencies_ms.begin(), r.latencies_ms.end());
  }
  std::sort(all.latencies_ms.begin(), all.latencies_ms.end());
  return all;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

// Runs one load and prints its figures, with the CPU time per request of
// this process and, when known, of the sandbox.
void Measure(const std::string& name, pid_t server, const std::function<Result(double*)>& load) {
  double client_cpu = SelfCpuSeconds(), server_cpu = server > 0 ? ProcessCpuSeconds(server) : 0;
  double elapsed = 0;
  Result r = load(&elapsed);
  client_cpu = SelfCpuSeconds() - client_cpu;
  server_cpu = server > 0 ? ProcessCpuSeconds(server) - server_cpu : 0;
  const double n = static_cast<double>(r.latencies_ms.size());
  fmt::print("{}.requests={}\n", name, r.latencies_ms.size());
  fmt::print("{}.requests_per_s={:.0f}\n", name, n / elapsed);
  fmt::print("{}.p50_ms={:.3f}\n", name, Percentile(r.latencies_ms, 0.50));
  fmt::print("{}.p99_ms={:.3f}\n", name, Percentile(r.latencies_ms, 0.99));
  fmt::print("{}.errors={}\n", name, r.errors);
  if (n > 0) {
    fmt::print("{}.client_cpu_us_per_request={:.1f}\n", name, client_cpu * 1e6 / n);
    if (server > 0) fmt::print("{}.server_cpu_us_per_request={:.1f}\n", name, server_cpu * 1e6 / n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  try {
    std::unique_ptr<Sandbox> sandbox;
    std::string url = o.url, accounts_file = o.accounts;
    if (url.empty()) {
      sandbox = std::make_unique<Sandbox>(o);
      url = sandbox->url;
      accounts_file = sandbox->dir + "/demo-accounts.json";
    }
    std::ifstream in(accounts_file);
    Json accounts = Json::parse(in);
    if (!accounts.is_array() || accounts.empty()) throw std::runtime_error("no demo accounts");
    std::string token = FetchToken(url, o.client);
    fmt::print("url={}\nconnections={}\nthreads={}\nseconds={}\nfarms={}\n", url, o.connections, o.threads,
               o.seconds, accounts.size());
    const pid_t server = sandbox ? sandbox->pid : -1;
    auto farm = [&](int c, int i) -> const Json& {
      return accounts[(static_cast<size_t>(i) * 7 + static_cast<size_t>(c)) % accounts.size()];
    };
    if (o.only.empty() || o.only == "consulter") Measure("consulter", server, [&](double* elapsed) {
      return Load(o, url, "/structures/v1/consulter", token, accounts, [&](int c, int i) {
        return Json{{"idStructureCPP", farm(c, i)["idStructureCPP"]}, {"codeLangue", "fr"}};
      }, elapsed);
    });
    if (o.only.empty() || o.only == "rechercher") Measure("rechercher", server, [&](double* elapsed) {
      return Load(o, url, "/structures/v1/rechercher", token, accounts, [&](int c, int i) {
        return Json{{"structure", {{"identifiantStructure", farm(c, i)["siret"]}, {"typeIdentifiantStructure", "SIRET"}}},
                    {"parametres", {{"nbResultatsParPage", 10}, {"pageResultatDemandee", 1}}}};
      }, elapsed);
    });
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sandbox_bench: %s\n", e.what());
    return 1;
  }
  curl_global_cleanup();
  return 0;
}
