// Asks to be attached to every structure whose SIRET is on stdin, through the
// chorus library's bulk engine: 8 workers, a journal that makes a rerun skip
// what was done, results in input order, and a stop at the first refusal of
// the account (the portal locks it after 5 failed logins).
//
// Usage: CHORUS_PASSWORD=... bulk_attach BASE_URL LOGIN JOURNAL < sirets.txt
//   BASE_URL: a chorus-sandbox (http://127.0.0.1:8787) or a PISTE gateway.
#include <chorus/bulk.h>
#include <chorus/client.h>
#include <chorus/session.h>
#include <chorus/siret.h>

#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  const char* password = std::getenv("CHORUS_PASSWORD");
  if (argc != 4 || password == nullptr) {
    std::cerr << "usage: CHORUS_PASSWORD=... bulk_attach BASE_URL LOGIN JOURNAL < sirets.txt\n";
    return 2;
  }
  const std::string base = argv[1];

  // The items: valid SIRETs only, checked before anything is sent.
  auto items = chorus::bulk::ItemSpool::Create();
  if (!items.ok()) return 1;
  for (std::string line; std::getline(std::cin, line);) {
    if (line.empty()) continue;
    auto siret = chorus::Siret::Parse(line);
    if (!siret.ok()) {
      std::cerr << "skipped \"" << line << "\": " << siret.status().message() << "\n";
      continue;
    }
    if (auto s = (*items)->Add(siret->digits(), ""); !s.ok()) return 1;
  }

  chorus::SessionOptions options;
  options.profile.name = "example";
  options.profile.api_url = base + "/cpro";
  options.profile.oauth_url = base + "/api/oauth/token";
  options.profile.client_id = "sandbox";
  options.client_secret = "sandbox";
  options.account = chorus::AccountCredentials{argv[2], password};
  auto session = chorus::Session::Open(options);
  if (!session.ok()) {
    std::cerr << session.status().ToString() << "\n";
    return 1;
  }

  // The operation on one item, run by each worker with its own Client.
  chorus::bulk::Work work = [](chorus::Client& client, const chorus::bulk::Item& item,
                               chorus::bulk::ItemResult& out) {
    auto request = client.RequestAttachment(item.key);
    const chorus::Status& s = request.status();
    if (request.ok() || chorus::IsAlreadyPending(s) || chorus::IsAlreadyAttached(s)) {
      out.records.push_back(R"({"siret":")" + item.key + R"(","result":"done"})");
      out.done = true;  // journaled: a rerun does not send it again
    } else {
      out.error = s;
    }
  };
  chorus::bulk::Options run;
  run.concurrency = 8;
  run.journal_path = argv[3];
  chorus::bulk::Callbacks callbacks;
  callbacks.on_result = [](const chorus::bulk::Item& item, const chorus::bulk::ItemResult& result) {
    std::cout << item.key << " " << (result.error.ok() ? "done" : result.error.ToString())
              << (result.from_journal ? " (journal)" : "") << "\n";
  };

  auto summary = chorus::bulk::Run(**session, **items, work, run, callbacks);
  if (!summary.ok()) {
    std::cerr << summary.status().ToString() << "\n";
    return 1;
  }
  std::cerr << summary->counts.done << " done, " << summary->counts.from_journal << " from the journal, "
            << summary->counts.failed << " failed, " << summary->not_started << " not started\n";
  if (!summary->stopped.ok()) std::cerr << "stopped: " << summary->stopped.ToString() << "\n";
  return summary->stopped.ok() && summary->counts.failed == 0 ? 0 : 1;
}
