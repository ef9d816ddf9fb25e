// The bulk engine (chorus/bulk.h) against a fake portal: order, bounds,
// stops, cancellation, the journal and exceptions, with no network.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "chorus/bulk.h"
#include "chorus/client.h"
#include "chorus/journal.h"
#include "chorus/session.h"
#include "support/fakes.h"
#include "bulk/reorder_buffer.h"
#include "support/process.h"

using namespace chorus;
using namespace chorus::testing;
using std::chrono::milliseconds;

namespace {

// A portal that answers the token endpoint, and attachment requests through
// `answer(siret, n)` (n: 1-based rank of the request).
struct FakePortal {
  std::function<StatusOr<HttpResponse>(const std::string& siret, int n)> answer = [](const std::string&, int n) {
    return OkEnvelope(R"("idDemandeRattachement":)" + std::to_string(n) + R"(,"idStructureCPP":1)");
  };
  std::atomic<int> calls{0};
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};

  StatusOr<HttpResponse> Handle(const HttpRequest& request) {
    if (request.url.find("/token") != std::string::npos)
      return Reply(200, R"({"access_token":"t","token_type":"Bearer","expires_in":3600})");
    const int n = ++calls;
    const int now = ++in_flight;
    for (int seen = max_in_flight; now > seen && !max_in_flight.compare_exchange_weak(seen, now);) {
    }
    auto body = nlohmann::json::parse(request.body, nullptr, false);
    std::string siret = body.is_object() ? body.value("identifiantStructure", "") : "";
    auto reply = answer(siret, n);
    --in_flight;
    return reply;
  }
};

struct EngineFixture {
  FakeClock clock;
  TempDir state;
  FakePortal portal;

  std::unique_ptr<Session> Open(int max_attempts = 4) {
    SessionOptions o;
    o.profile.name = "test";
    o.profile.api_url = "http://127.0.0.1:9/cpro";
    o.profile.oauth_url = "http://127.0.0.1:9/token";
    o.profile.client_id = "c";
    o.client_secret = "s";
    o.account = AccountCredentials{"m@x.fr", "pw"};
    o.state_dir = state.File("chorus");
    o.retry.max_attempts = max_attempts;
    o.transport_factory = [this] {
      return std::make_unique<FunctionTransport>([this](const HttpRequest& r) { return portal.Handle(r); });
    };
    auto session = Session::Open(o, clock);
    REQUIRE(session.ok());
    return std::move(*session);
  }

  std::unique_ptr<bulk::ItemSpool> Items(int n) {
    auto spool = bulk::ItemSpool::Create();
    REQUIRE(spool.ok());
    for (int i = 0; i < n; ++i) REQUIRE((*spool)->Add("s" + std::to_string(i), "{}").ok());
    return std::move(*spool);
  }
};

void Request(Client& client, const bulk::Item& item, bulk::ItemResult& out) {
  auto result = client.RequestAttachment(item.key);
  if (result.ok()) {
    out.records.push_back(R"({"result":"requested"})");
    out.done = true;
  } else {
    out.error = result.status();
  }
}

HttpResponse Locked() {
  return Reply(403, R"({"codeRetour":20005,"libelle":"SBX_COMPTE_BLOQUE"})");
}

}  // namespace

TEST_CASE_FIXTURE(EngineFixture, "bulk: every item once, results in input order, concurrency honoured") {
  auto session = Open();
  auto items = Items(200);
  std::vector<std::size_t> order;
  bulk::Options options;
  options.concurrency = 4;
  options.journal_path = state.File("j.jsonl");
  bulk::Callbacks callbacks;
  callbacks.on_result = [&](const bulk::Item& item, const bulk::ItemResult& r) {
    CHECK(r.error.ok());
    order.push_back(item.seq);
  };
  auto summary = bulk::Run(*session, *items, Request, options, callbacks);
  REQUIRE(summary.ok());
  CHECK(summary->counts.done == 200);
  CHECK(summary->not_started == 0);
  CHECK(summary->stopped.ok());
  CHECK(portal.calls == 200);
  CHECK(portal.max_in_flight <= 4);
  REQUIRE(order.size() == 200);
  for (std::size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
  CHECK(summary->journal_path.empty());  // nothing left to do: removed
  CHECK_FALSE(std::filesystem::exists(state.File("j.jsonl")));
}

TEST_CASE_FIXTURE(EngineFixture, "bulk: a slow item holds the reader back instead of growing the reorder window") {
  auto session = Open();
  auto items = Items(100);
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> started_while_stuck{0};
  portal.answer = [&](const std::string& siret, int n) {
    if (siret == "s1") {  // the second item hangs until released
      std::unique_lock lock(mu);
      cv.wait_for(lock, std::chrono::seconds(2), [&] { return release; });
    } else if (!release) {
      ++started_while_stuck;
    }
    return OkEnvelope(R"("idDemandeRattachement":)" + std::to_string(n));
  };
  bulk::Options options;
  options.concurrency = 2;
  options.reorder_window = 6;
  std::size_t delivered = 0;
  bulk::Callbacks callbacks;
  callbacks.on_result = [&](const bulk::Item&, const bulk::ItemResult&) { ++delivered; };
  std::thread releaser([&] {
    std::this_thread::sleep_for(milliseconds(500));
    std::lock_guard lock(mu);
    release = true;
    cv.notify_all();
  });
  auto summary = bulk::Run(*session, *items, Request, options, callbacks);
  releaser.join();
  REQUIRE(summary.ok());
  CHECK(summary->counts.done == 100);
  CHECK(delivered == 100);
  // While s1 hung, only the items inside the window (seq < 1 + 6) could start.
  CHECK(started_while_stuck <= 6);
}

TEST_CASE_FIXTURE(EngineFixture, "bulk: an account refusal mid-run stops it at once") {
  auto session = Open();
  auto items = Items(500);
  std::atomic<int> locked_at{0};
  portal.answer = [&](const std::string&, int n) -> StatusOr<HttpResponse> {
    if (n >= 100) {
      int expected = 0;
      locked_at.compare_exchange_strong(expected, n);
      return Locked();
    }
    return OkEnvelope(R"("idDemandeRattachement":)" + std::to_string(n));
  };
  bulk::Options options;
  options.concurrency = 8;
  options.journal_path = state.File("j.jsonl");
  auto summary = bulk::Run(*session, *items, Request, options, {});
  REQUIRE(summary.ok());
  CHECK(summary->stopped.code_retour() == 20005);
  CHECK(bulk::StopsTheRun(summary->stopped));
  // The lock answered call `locked_at`; at most --concurrency calls after it.
  CHECK(portal.calls - locked_at <= 8);
  CHECK(summary->not_started > 300);
  CHECK(summary->counts.done == 99);
  CHECK(summary->journal_path == state.File("j.jsonl"));  // kept for the rerun
}

TEST_CASE_FIXTURE(EngineFixture, "bulk: with credentials not yet accepted, a wrong password is sent once") {
  auto session = Open();
  auto items = Items(50);
  portal.answer = [](const std::string&, int) -> StatusOr<HttpResponse> {
    return Reply(403, R"({"codeRetour":20003,"libelle":"SBX_IDENTIFIANTS_INVALIDES"})");
  };
  bulk::Options options;
  options.concurrency = 8;
  auto summary = bulk::Run(*session, *items, Request, options, {});
  REQUIRE(summary.ok());
  CHECK(portal.calls == 1);
  CHECK(summary->stopped.code_retour() == 20003);
  CHECK(summary->counts.failed == 1);
  CHECK(summary->not_started == 49);
}

TEST_CASE_FIXTURE(EngineFixture, "bulk: after a stop request nothing new is sent; the journal resumes the rest") {
  auto session = Open();
  auto items = Items(300);
  CancelSource cancel;
  std::atomic<int> calls_at_stop{0};
  portal.answer = [&](const std::string&, int n) {
    if (n == 40) {  // Ctrl-C while the 40th call is in flight
      // Counted when the stop lands, not when call 40 was numbered: a slow
      // thread (ASan) lets the others go on between the two.
      calls_at_stop = portal.calls.load();
      cancel.RequestStop();
    }
    return OkEnvelope(R"("idDemandeRattachement":)" + std::to_string(n));
  };
  bulk::Options options;
  options.concurrency = 4;
  options.cancel = cancel.token();
  options.journal_path = state.File("j.jsonl");
  auto first = bulk::Run(*session, *items, Request, options, {});
  REQUIRE(first.ok());
  CHECK(first->cancelled);
  // What was in flight, plus at most one call per other worker that had
  // passed its last check for a stop when the stop came; no more.
  CHECK(portal.calls <= calls_at_stop + 3);
  const int sent = portal.calls;
  CHECK(first->counts.done == static_cast<std::size_t>(sent));
  // A worker that took an item just as the stop came sees its call cancelled
  // before sending: that item counts as interrupted, not as not started.
  CHECK(first->counts.interrupted <= 3);
  CHECK(first->not_started + first->counts.interrupted == 300 - static_cast<std::size_t>(sent));

  bulk::Options again;
  again.concurrency = 4;
  again.journal_path = state.File("j.jsonl");
  std::size_t resumed = 0;
  bulk::Callbacks callbacks;
  callbacks.on_resume = [&](std::size_t n, const std::string&) { resumed = n; };
  auto second = bulk::Run(*session, *items, Request, again, callbacks);
  REQUIRE(second.ok());
  CHECK(resumed == static_cast<std::size_t>(sent));
  CHECK(second->counts.from_journal == static_cast<std::size_t>(sent));
  CHECK(second->counts.done == 300 - static_cast<std::size_t>(sent));
  CHECK(portal.calls == 300);  // every item sent exactly once over the two runs
}

TEST_CASE_FIXTURE(EngineFixture, "bulk: a dead portal trips the circuit breaker") {
  auto session = Open(/*max_attempts=*/10);
  auto items = Items(600);
  portal.answer = [](const std::string&, int n) -> StatusOr<HttpResponse> {
    if (n > 20) return Status(ErrorKind::kUnavailable, "could not connect");
    return OkEnvelope(R"("idDemandeRattachement":)" + std::to_string(n));
  };
  bulk::Options options;
  options.concurrency = 8;
  auto summary = bulk::Run(*session, *items, Request, options, {});
  REQUIRE(summary.ok());
  CHECK(summary->stopped.kind() == ErrorKind::kUnavailable);
  CHECK(summary->stopped.message().find("portal unreachable") != std::string::npos);
  CHECK(portal.calls <= 20 + 10 + 8);  // the streak, plus what was in flight
  CHECK(summary->not_started > 500);
}

TEST_CASE_FIXTURE(EngineFixture, "bulk: an exception in the work fails its item, the run goes on") {
  auto session = Open();
  auto items = Items(20);
  bulk::Work work = [](Client& client, const bulk::Item& item, bulk::ItemResult& out) {
    if (item.key == "s7") throw std::runtime_error("boom");
    Request(client, item, out);
  };
  std::string error_of_s7;
  bulk::Callbacks callbacks;
  callbacks.on_result = [&](const bulk::Item& item, const bulk::ItemResult& r) {
    if (item.key == "s7") error_of_s7 = r.error.message();
  };
  auto summary = bulk::Run(*session, *items, work, bulk::Options{}, callbacks);
  REQUIRE(summary.ok());
  CHECK(summary->counts.done == 19);
  CHECK(summary->counts.failed == 1);
  CHECK(error_of_s7 == "internal error: boom");
}

TEST_CASE_FIXTURE(EngineFixture, "bulk: a journal in use by another run is refused") {
  auto session = Open();
  auto items = Items(3);
  auto holder = Journal::Open(state.File("j.jsonl"));
  REQUIRE(holder.ok());
  bulk::Options options;
  options.journal_path = state.File("j.jsonl");
  auto summary = bulk::Run(*session, *items, Request, options, {});
  REQUIRE_FALSE(summary.ok());
  CHECK(summary.status().kind() == ErrorKind::kFailedPrecondition);
  CHECK(portal.calls == 0);
}

TEST_CASE("reorder buffer: delivers in order, holds at most the window, skips what never comes") {
  std::vector<std::size_t> delivered;
  bulk::ReorderBuffer buffer(3, [&](const bulk::Item& item, const bulk::ItemResult&) { delivered.push_back(item.seq); });
  std::stop_source stop;
  CHECK(buffer.Admit(0, stop.get_token()));
  CHECK(buffer.Admit(2, stop.get_token()));
  buffer.Complete(bulk::Item{"c", "", 2}, {});
  buffer.Complete(bulk::Item{"b", "", 1}, {});
  CHECK(delivered.empty());  // 0 is due first
  CHECK(buffer.waiting() == 2);
  // seq 3 is outside the window (0 + 3) until 0 is done: a stop wakes the wait.
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    stop.request_stop();
  });
  CHECK_FALSE(buffer.Admit(3, stop.get_token()));
  stopper.join();
  buffer.Complete(bulk::Item{"a", "", 0}, {});
  CHECK(delivered == std::vector<std::size_t>{0, 1, 2});
  buffer.Skip(3);
  buffer.Complete(bulk::Item{"e", "", 5}, {});
  buffer.Flush();  // 4 never came
  CHECK(delivered == std::vector<std::size_t>{0, 1, 2, 5});
  CHECK(buffer.max_waiting() <= 3);
}
