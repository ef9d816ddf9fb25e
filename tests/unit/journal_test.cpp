#include "chorus/journal.h"
#include "chorus/rate_limiter.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "support/fakes.h"
#include "support/process.h"

TEST_CASE("journal: appended items survive a reopen; torn lines are ignored") {
  chorus::testing::TempDir dir;
  std::string path = dir.File("state/chorus/journals/j.jsonl");
  {
    auto j = chorus::Journal::Open(path);
    REQUIRE(j.ok());
    CHECK((*j)->size() == 0);
    REQUIRE((*j)->Append("73282932000074", R"({"key":"73282932000074","result":"requested"})").ok());
    REQUIRE((*j)->Append("35600000000048", R"({"key":"35600000000048","result":"already_pending"})").ok());
  }
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // A process killed in the middle of a line leaves a torn tail.
  {
    std::string content = chorus::testing::ReadFile(path) + R"({"key":"3560000)";
    chorus::testing::WriteFile(path, content, 0600);
  }
  auto again = chorus::Journal::Open(path);
  REQUIRE(again.ok());
  CHECK((*again)->size() == 2);
  REQUIRE((*again)->Find("35600000000048"));
  CHECK((*again)->Find("35600000000048")->find("already_pending") != std::string::npos);
  CHECK((*again)->Find("35600000049837") == nullptr);
  REQUIRE((*again)->Remove().ok());
  CHECK(stat(path.c_str(), &st) != 0);
}

TEST_CASE("journal: a torn last line is cut off, so the next append starts a line of its own") {
  chorus::testing::TempDir dir;
  std::string path = dir.File("j.jsonl");
  chorus::testing::WriteFile(path, std::string(R"({"key":"a","records":[]})") + "\n" + R"({"key":"b","rec)", 0600);
  {
    auto j = chorus::Journal::Open(path);
    REQUIRE(j.ok());
    CHECK((*j)->size() == 1);
    REQUIRE((*j)->Append("c", R"({"key":"c","records":[]})").ok());
    REQUIRE((*j)->Append("d", R"({"key":"d","records":[]})").ok());
  }
  CHECK(chorus::testing::ReadFile(path) ==
        std::string(R"({"key":"a","records":[]})") + "\n" + R"({"key":"c","records":[]})" + "\n" +
            R"({"key":"d","records":[]})" + "\n");
  auto again = chorus::Journal::Open(path);
  REQUIRE(again.ok());
  CHECK((*again)->size() == 3);
  for (const char* key : {"a", "c", "d"}) CHECK((*again)->Find(key) != nullptr);
  CHECK((*again)->Find("b") == nullptr);  // torn: done again by the next run
}

TEST_CASE("journal: a second run on the same journal is refused while the first holds it") {
  chorus::testing::TempDir dir;
  std::string path = dir.File("j.jsonl");
  auto first = chorus::Journal::Open(path);
  REQUIRE(first.ok());
  auto second = chorus::Journal::Open(path);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().kind() == chorus::ErrorKind::kFailedPrecondition);
  CHECK(second.status().message().find("another chorus run") != std::string::npos);
  first->reset();
  CHECK(chorus::Journal::Open(path).ok());  // released with the first
}

TEST_CASE("journal path depends on the command and the run's identity") {
  auto a = chorus::JournalPath("/s", "attach request", {"http://x/cpro", "m@x", "1"});
  auto b = chorus::JournalPath("/s", "attach request", {"http://x/cpro", "m@x", "2"});
  auto c = chorus::JournalPath("/s", "attach status", {"http://x/cpro", "m@x", "1"});
  CHECK(a.rfind("/s/chorus/journals/attach-request-", 0) == 0);
  CHECK(a != b);
  CHECK(a != c);
  CHECK(a == chorus::JournalPath("/s", "attach request", {"http://x/cpro", "m@x", "1"}));
}

TEST_CASE("rate limiter spaces requests 1/rate apart") {
  chorus::testing::FakeClock clock;
  chorus::RateLimiter limiter(10.0, clock);
  auto start = clock.Now();
  for (int i = 0; i < 5; ++i) CHECK(limiter.Acquire());
  // The first goes at once, the next four wait 100 ms each.
  CHECK(clock.Now() - start == std::chrono::milliseconds(400));
  std::stop_source stop;
  stop.request_stop();
  CHECK_FALSE(limiter.Acquire(stop.get_token()));  // a stop request wakes the wait
  chorus::RateLimiter unlimited(0, clock);
  auto before = clock.Now();
  for (int i = 0; i < 100; ++i) unlimited.Acquire();
  CHECK(clock.Now() == before);
}
