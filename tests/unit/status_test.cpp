#include "chorus/status.h"

#include <doctest/doctest.h>

using chorus::ErrorKind;
using chorus::Status;
using chorus::StatusOr;

TEST_CASE("error kinds map onto the documented exit codes") {
  CHECK(chorus::ExitCodeFor(ErrorKind::kOk) == 0);
  CHECK(chorus::ExitCodeFor(ErrorKind::kUnknown) == 1);
  CHECK(chorus::ExitCodeFor(ErrorKind::kInvalidArgument) == 2);
  CHECK(chorus::ExitCodeFor(ErrorKind::kUnauthenticated) == 4);
  CHECK(chorus::ExitCodeFor(ErrorKind::kPermissionDenied) == 4);
  CHECK(chorus::ExitCodeFor(ErrorKind::kNotFound) == 5);
  CHECK(chorus::ExitCodeFor(ErrorKind::kNotAvailable) == 6);
  CHECK(chorus::ExitCodeFor(ErrorKind::kUnavailable) == 7);
  CHECK(chorus::ExitCodeFor(ErrorKind::kResourceExhausted) == 7);
  CHECK(chorus::ExitCodeFor(ErrorKind::kDeadlineExceeded) == 7);
  CHECK(chorus::ExitCodeFor(ErrorKind::kCancelled) == 130);
}

TEST_CASE("Status carries HTTP status, envelope and retry-after") {
  Status s(ErrorKind::kResourceExhausted, "quota exceeded");
  s.set_http_status(429).set_envelope(20003, "GCU_MSG_QUOTA").set_retry_after(
      std::chrono::milliseconds(2000));
  CHECK_FALSE(s.ok());
  CHECK(s.http_status() == 429);
  REQUIRE(s.code_retour().has_value());
  CHECK(*s.code_retour() == 20003);
  CHECK(s.libelle() == "GCU_MSG_QUOTA");
  CHECK(s.retry_after()->count() == 2000);
  CHECK(s.ToString() ==
        "resource_exhausted: quota exceeded (HTTP 429, codeRetour 20003 GCU_MSG_QUOTA, retry "
        "after 2000 ms)");
  CHECK(Status().ok());
  CHECK(Status().ToString() == "ok");
}

TEST_CASE("StatusOr holds a value or an error") {
  StatusOr<int> v = 42;
  REQUIRE(v.ok());
  CHECK(*v == 42);
  CHECK(v.status().ok());
  StatusOr<int> e = Status(ErrorKind::kNotFound, "no such thing");
  CHECK_FALSE(e.ok());
  CHECK(e.status().kind() == ErrorKind::kNotFound);
}
