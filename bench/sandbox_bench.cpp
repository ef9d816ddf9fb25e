// Load generator for chorus-sandbox: several threads, one libcurl easy handle
// each (keep-alive, TCP_NODELAY is libcurl's default), calling
// structures/v1/consulter and structures/v1/rechercher for a fixed time.
// Starts its own seeded sandbox unless --url is given. Prints key=value lines.
#include <curl/curl.h>
#include <fmt/format.h>
#include <signal.h>
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
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "chorus/portal.h"

using Json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string url;           // empty: start a sandbox
  std::string accounts;      // demo-accounts.json (with --url)
  std::string client = "sandbox:sandbox";
  int threads = 4;
  double seconds = 3;
  int farms = 200;
  std::string sandbox_bin = CHORUS_SANDBOX_BIN;
};

[[noreturn]] void Usage(int code) {
  std::fprintf(code ? stderr : stdout,
               "usage: sandbox_bench [--threads N] [--seconds S] [--farms N]\n"
               "                     [--url URL --accounts DIR/demo-accounts.json] [--client ID:SECRET]\n"
               "Starts `chorus-sandbox serve --seed demo` in a temporary directory (unless --url),\n"
               "then loads structures/v1/consulter and structures/v1/rechercher with keep-alive\n"
               "connections and prints key=value lines (requests_per_s, p50_ms, p99_ms, errors).\n");
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
    else if (a == "--threads") o.threads = std::max(1, std::atoi(value().c_str()));
    else if (a == "--seconds") o.seconds = std::max(0.1, std::atof(value().c_str()));
    else if (a == "--farms") o.farms = std::max(1, std::atoi(value().c_str()));
    else if (a == "--sandbox") o.sandbox_bin = value();
    else Usage(2);
  }
  if (!o.url.empty() && o.accounts.empty()) Usage(2);
  return o;
}

// A sandbox child process in its own temporary data directory.
struct Sandbox {
  pid_t pid = -1;
  std::string dir, url;
  Sandbox(const Options& o) {
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

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::string Base64(const std::string& in) { return chorus::Base64Encode(in); }

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

struct Result {
  std::vector<double> latencies_ms;
  long errors = 0;
};

// Runs `threads` workers for `seconds`, each posting body_for(thread, i).
template <typename BodyFn>
Result Load(const Options& o, const std::string& url, const std::string& path,
            const std::string& token, const Json& accounts, BodyFn body_for, double* elapsed) {
  std::vector<Result> per_thread(static_cast<size_t>(o.threads));
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  auto start = SteadyClock::now();
  for (int t = 0; t < o.threads; ++t) {
    workers.emplace_back([&, t] {
      Result& r = per_thread[static_cast<size_t>(t)];
      const Json& me = accounts[static_cast<size_t>(t) % accounts.size()];
      std::string account = Base64(me["login"].get<std::string>() + ":" + me["password"].get<std::string>());
      CURL* c = curl_easy_init();
      curl_slist* headers = nullptr;
      headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
      headers = curl_slist_append(headers, ("cpro-account: " + account).c_str());
      headers = curl_slist_append(headers, "Content-Type: application/json;charset=utf-8");
      std::string full = url + "/cpro" + path, response, body;
      curl_easy_setopt(c, CURLOPT_URL, full.c_str());
      curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
      curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
      curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
      for (long i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        body = body_for(t, i).dump();
        response.clear();
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
        auto t0 = SteadyClock::now();
        CURLcode rc = curl_easy_perform(c);
        auto t1 = SteadyClock::now();
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (rc != CURLE_OK || status != 200) ++r.errors;
        r.latencies_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
      curl_slist_free_all(headers);
      curl_easy_cleanup(c);
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& w : workers) w.join();
  *elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
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

void Report(const std::string& name, const Result& r, double elapsed) {
  fmt::print("{}.requests={}\n", name, r.latencies_ms.size());
  fmt::print("{}.requests_per_s={:.0f}\n", name, static_cast<double>(r.latencies_ms.size()) / elapsed);
  fmt::print("{}.p50_ms={:.3f}\n", name, Percentile(r.latencies_ms, 0.50));
  fmt::print("{}.p99_ms={:.3f}\n", name, Percentile(r.latencies_ms, 0.99));
  fmt::print("{}.errors={}\n", name, r.errors);
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
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
    fmt::print("url={}\nthreads={}\nseconds={}\nfarms={}\n", url, o.threads, o.seconds, accounts.size());
    double elapsed = 0;
    Result consult = Load(o, url, "/structures/v1/consulter", token, accounts,
                          [&](int t, long i) {
                            const Json& a = accounts[(static_cast<size_t>(i) * 7 + static_cast<size_t>(t)) % accounts.size()];
                            return Json{{"idStructureCPP", a["idStructureCPP"]}, {"codeLangue", "fr"}};
                          },
                          &elapsed);
    Report("consulter", consult, elapsed);
    Result search = Load(o, url, "/structures/v1/rechercher", token, accounts,
                         [&](int t, long i) {
                           const Json& a = accounts[(static_cast<size_t>(i) * 7 + static_cast<size_t>(t)) % accounts.size()];
                           return Json{{"structure", {{"identifiantStructure", a["siret"]},
                                                      {"typeIdentifiantStructure", "SIRET"}}},
                                       {"parametres", {{"nbResultatsParPage", 10}, {"pageResultatDemandee", 1}}}};
                         },
                         &elapsed);
    Report("rechercher", search, elapsed);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sandbox_bench: %s\n", e.what());
    return 1;
  }
  curl_global_cleanup();
  return 0;
}
