// chorus-sandbox: a local, persistent, Chorus-Pro-compatible portal.
// Subcommands: serve (the HTTP portal) and mail (print the outbox).
#include <signal.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <optional>

#include "../cmd/tr.h"  // TrFormat: translated text with fmt placeholders
#include "chorus/i18n.h"
#include "clidoc/parse_error.h"
#include "clock.h"
#include "credentials.h"
#include "mail.h"
#include "manual.h"  // hidden __man DIR: chorus-sandbox(1) from this tree
#include "portal.h"
#include "server.h"

#ifndef CHORUS_VERSION
#define CHORUS_VERSION "dev"
#endif

namespace {

using chorus::Tr;
using chorus::cli::TrFormat;

int Serve(sandbox::ServerOptions options, const std::vector<std::string>& clients,
          std::optional<int64_t> fake_clock, const std::string& seed, int farms,
          int pending_requests, const std::string& hash_cost, const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    fmt::print(stderr, "chorus-sandbox: {}\n", TrFormat("--listen expects HOST:PORT, got '{}'", listen));
    return 2;
  }
  options.host = listen.substr(0, colon);
  if (options.host.size() > 1 && options.host.front() == '[') options.host = options.host.substr(1, options.host.size() - 2);
  try {
    options.port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    options.port = -1;
  }
  if (options.port < 0 || options.port > 65535) {
    fmt::print(stderr, "chorus-sandbox: {}\n", TrFormat("bad port in --listen '{}'", listen));
    return 2;
  }
  for (const auto& c : clients) {
    auto sep = c.find(':');
    if (sep == std::string::npos || sep == 0) {
      fmt::print(stderr, "chorus-sandbox: {}\n", TrFormat("--client expects ID:SECRET, got '{}'", c));
      return 2;
    }
    options.clients[c.substr(0, sep)] = c.substr(sep + 1);
  }
  if (options.clients.empty()) options.clients["sandbox"] = "sandbox";

  // Block the stop signals before any thread starts; the server waits for them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    fmt::print(stderr, "chorus-sandbox: {}\n", TrFormat("cannot create {}: {}", options.data_dir, ec.message()));
    return 1;
  }
  sandbox::InitCrypto();
  sandbox::Clock clock = fake_clock ? sandbox::Clock(*fake_clock) : sandbox::Clock();
  sandbox::HashCost cost = hash_cost == "min"        ? sandbox::HashCost::kMin
                           : hash_cost == "moderate" ? sandbox::HashCost::kModerate
                                                     : sandbox::HashCost::kInteractive;
  sandbox::Portal portal(options.data_dir + "/sandbox.db", clock, cost);
  if (seed == "demo") {
    auto start = std::chrono::steady_clock::now();
    portal.SeedDemo(farms, options.data_dir, pending_requests);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                        .count();
    // Labels before the counts: no plural to agree with (there may be 1 farm).
    if (pending_requests > 0)
      fmt::print(stderr, "chorus-sandbox: {}\n",
                 TrFormat("demo world ready in {} ms ({}/demo-accounts.json): farms: {}, pending requests on "
                          "the first farm: {}",
                          ms, options.data_dir, farms, pending_requests));
    else
      fmt::print(stderr, "chorus-sandbox: {}\n",
                 TrFormat("demo world ready in {} ms ({}/demo-accounts.json): farms: {}", ms, options.data_dir,
                          farms));
  }
  return sandbox::RunServer(portal, options);
}

// CLI11's help with the headings punctuated for the user's language:
// "Options :" and "Utilisation : chorus-sandbox ..." in French.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override {
    const std::string help = CLI::Formatter::make_help(app, std::move(name), mode);
    std::string out;
    std::size_t start = 0;
    while (start < help.size()) {
      std::size_t end = help.find('\n', start);
      if (end == std::string::npos) end = help.size();
      std::string line = help.substr(start, end - start);
      for (const char* heading : {"Usage", "Options", "Subcommands", "Positionals"}) {
        const std::string label = heading == std::string("Usage") ? get_label("Usage") : Tr(heading);
        if (line.rfind(label + ":", 0) == 0) {
          line = TrFormat("{}:", label) + line.substr(label.size() + 1);
          break;
        }
      }
      out += line;
      if (end < help.size()) out += '\n';
      start = end + 1;
    }
    return out;
  }
};

}  // namespace

int main(int argc, char** argv) {
  chorus::InitTranslations(argc > 0 ? argv[0] : "chorus-sandbox");
  CLI::App app{Tr("chorus-sandbox: a local, persistent, Chorus-Pro-compatible portal (PISTE OAuth "
                  "token endpoint + /cpro API) for the chorus CLI, its tests and demos.\n"
                  "The API contract is docs/sandbox-api.md.")};
  // CLI11's own words in the user's language; subcommands inherit the help
  // flag and the options' group.
  app.name("chorus-sandbox");  // not argv[0]'s path
  app.formatter(std::make_shared<HelpFormatter>());
  auto labels = app.get_formatter();
  labels->label("Usage", Tr("Usage"));
  labels->label("OPTIONS", Tr("OPTIONS"));
  labels->label("SUBCOMMAND", Tr("SUBCOMMAND"));
  labels->label("SUBCOMMANDS", Tr("SUBCOMMANDS"));
  labels->label("REQUIRED", Tr("REQUIRED"));
  labels->label("Needs", Tr("Needs"));
  labels->label("Excludes", Tr("Excludes"));
  app.option_defaults()->group(Tr("Options"));
  app.set_help_flag("-h,--help", Tr("Print this help message and exit"));
  app.set_version_flag("--version", std::string("chorus-sandbox ") + CHORUS_VERSION,
                       Tr("Display program version information and exit"));
  app.require_subcommand(1);

  sandbox::ServerOptions options;
  std::string listen = "127.0.0.1:8787";
  std::vector<std::string> clients;
  std::optional<int64_t> fake_clock;
  std::string seed;
  int farms = 200;
  int pending_requests = 0;
  std::string hash_cost = "interactive";
  auto* serve = app.add_subcommand(
      "serve", Tr("Run the portal. Prints the base URL as the first stdout line and writes it to DIR/url."));
  serve->group(Tr("Subcommands"));
  serve->set_help_flag("-h,--help", Tr("Print this help message and exit"));  // in the group "Options" above
  serve->footer(
      Tr("Examples:\n"
         "  chorus-sandbox serve --data ./sandbox-data --seed demo           # 200 demo farms on :8787\n"
         "  chorus-sandbox serve --data DIR --seed demo --farms 50 --pending-requests 20  # 20 to approve\n"
         "  chorus-sandbox serve --listen 127.0.0.1:0 --data DIR --fake-clock 1700000000\n"
         "  chorus-sandbox serve --data DIR --latency 50 --fail-rate 0.05 --quota 20\n"
         "Admin endpoints (loopback only): GET /_sandbox/mail, /_sandbox/stats, /_sandbox/routes,\n"
         "GET|POST /_sandbox/clock. SIGTERM or SIGINT stop the server (exit 0)."));
  serve->add_option("--listen", listen, Tr("HOST:PORT to listen on; port 0 picks a free port"))
      ->capture_default_str();
  serve->add_option("--data", options.data_dir, Tr("data directory (SQLite sandbox.db, url, mails)"))
      ->required();
  serve->add_option("--client", clients,
                    Tr("register an OAuth client ID:SECRET (repeatable; default sandbox:sandbox)"));
  serve->add_option("--token-ttl", options.token_ttl, Tr("access token lifetime in seconds"))
      ->capture_default_str()->check(CLI::PositiveNumber);
  serve->add_option("--fake-clock", fake_clock,
                    Tr("start a settable clock at EPOCH seconds; enables POST /_sandbox/clock"));
  serve->add_option("--latency", options.latency_ms, Tr("milliseconds added to every API request"))
      ->check(CLI::NonNegativeNumber);
  serve->add_option("--fail-rate", options.fail_rate,
                    Tr("probability [0,1] of answering an API request with HTTP 500"))
      ->check(CLI::Range(0.0, 1.0));
  serve->add_option("--reset-rate", options.reset_rate,
                    Tr("probability [0,1] of dropping the connection without an answer"))
      ->check(CLI::Range(0.0, 1.0));
  serve->add_option("--quota", options.quota,
                    Tr("requests per second allowed per OAuth client id (HTTP 429 beyond); 0 = none"))
      ->check(CLI::NonNegativeNumber);
  auto* seed_option = serve->add_option("--seed", seed, Tr("populate a world at start-up (idempotent)"))
      ->check(CLI::IsMember({"demo"}));
  serve->add_option("--farms", farms, Tr("number of demo farms for --seed demo"))
      ->capture_default_str()->check(CLI::Range(1, 100000));
  auto* pending_option = serve->add_option(
      "--pending-requests", pending_requests,
      Tr("with --seed demo: demo accounts 2..K+1 each have a pending request on farm 1, for the "
         "first account of demo-accounts.json to approve (K at most --farms minus 1; seeded once "
         "per data directory; not counted in the requestsCreated of /_sandbox/stats)"));
  pending_option->type_name("K")->needs(seed_option)->check(CLI::Range(0, 99999));
  serve->add_option("--password-hash-cost", hash_cost,
                    Tr("argon2id cost for passwords and secret answers set at activation "
                       "(interactive: libsodium's interactive limits; min: for fast tests)"))
      ->capture_default_str()->check(CLI::IsMember({"interactive", "moderate", "min"}));
  serve->add_option("--threads", options.threads, Tr("worker threads (each holds one keep-alive connection)"))
      ->capture_default_str()->check(CLI::Range(1, 1024));

  std::string mail_dir, mail_to;
  bool mail_last = false, mail_json = false;
  auto* mail = app.add_subcommand("mail", Tr("Print the mails the portal sent (activation links, "
                                             "attachment requests (demandes de rattachement), decisions)."));
  mail->group(Tr("Subcommands"));
  mail->set_help_flag("-h,--help", Tr("Print this help message and exit"));  // in the group "Options" above
  mail->footer(Tr("Example: chorus-sandbox mail --data DIR --to marie@cg.example --last"));
  mail->add_option("--data", mail_dir, Tr("data directory of the sandbox"))->required();
  mail->add_option("--to", mail_to, Tr("only mails to this address"));
  mail->add_flag("--last", mail_last, Tr("only the most recent matching mail"));
  mail->add_flag("--json", mail_json, Tr("print a JSON array instead of text"));

  chorus::clidoc::AddManCommand(app, sandbox::ManualInfo(CHORUS_VERSION));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string command = "chorus-sandbox";
    for (const auto* sub : app.get_subcommands()) command += " " + sub->get_name();
    const chorus::Message message = chorus::clidoc::DescribeParseError(e.what());
    fmt::print(stderr, "chorus-sandbox: {}\n{}\n", message.localized.empty() ? message.english : message.localized,
               TrFormat("Run \"{} --help\" for its usage.", command));
    return 2;
  }
  try {
    if (*serve) {
      if (pending_requests > farms - 1) {
        fmt::print(stderr, "chorus-sandbox: {}\n",
                   TrFormat("--pending-requests {} needs more farms: demo accounts 2..K+1 "
                            "ask farm 1, so K is at most --farms minus 1 ({})",
                            pending_requests, farms - 1));
        return 2;
      }
      return Serve(options, clients, fake_clock, seed, farms, pending_requests, hash_cost, listen);
    }
    return sandbox::PrintMails(mail_dir, mail_to, mail_last, mail_json);
  } catch (const std::exception& e) {
    fmt::print(stderr, "chorus-sandbox: {}\n", e.what());
    return 1;
  }
}
