// Numbers and identifiers from the portal are checked, not trusted: page
// counts, listings without a count, the structure a search by SIRET returns,
// and text that is not UTF-8 in a request.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "support/client_fixture.h"

using namespace chorus;
using namespace chorus::testing;
using nlohmann::json;

namespace {

// A rechercher page of n structures numbered from `first`, with `paging`
// (a parametresRetour object, or nothing).
HttpResponse StructuresPage(int first, int n, const json& paging = nullptr) {
  json doc{{"codeRetour", 0}, {"libelle", "TRA_MSG_00.000"}, {"listeStructures", json::array()}};
  for (int i = first; i < first + n; ++i)
    doc["listeStructures"].push_back({{"idStructureCPP", i},
                                      {"identifiantStructure", "7328293200" + std::to_string(1000 + i % 1000)},
                                      {"designationStructure", "S" + std::to_string(i)}});
  if (!paging.is_null()) doc["parametresRetour"] = paging;
  return Reply(200, doc.dump());
}

HttpResponse OneStructure(std::int64_t id, const std::string& siret) {
  return Reply(200, json{{"codeRetour", 0},
                         {"listeStructures", {{{"idStructureCPP", id}, {"identifiantStructure", siret}}}}}
                        .dump());
}

}  // namespace

TEST_CASE_FIXTURE(ClientFixture, "without parametresRetour.pages, a listing goes on while pages are full") {
  transport.Push(StructuresPage(1, 500));
  transport.Push(StructuresPage(501, 500));
  transport.Push(StructuresPage(1001, 7));
  auto found = client.SearchStructures("", "EARL");
  REQUIRE(found.ok());
  CHECK(found->size() == 1007);
  CHECK(transport.sent() == 3);
  CHECK(json::parse(transport.requests()[2].body)["parametres"]["pageResultatDemandee"] == 3);
}

TEST_CASE_FIXTURE(ClientFixture, "with a page count, the count decides; absurd counts are bounded") {
  transport.Push(StructuresPage(1, 500, {{"pages", 1}}));
  auto one = client.SearchStructures("", "EARL");
  REQUIRE(one.ok());
  CHECK(one->size() == 500);
  CHECK(transport.sent() == 1);

  // A count past int, or negative, neither overflows nor loops: bounded, and an
  // empty page ends the listing.
  transport.Push(StructuresPage(1, 2, {{"pages", "99999999999999"}}));
  transport.Push(StructuresPage(3, 0, {{"pages", "99999999999999"}}));
  auto big = client.SearchStructures("", "EARL");
  REQUIRE(big.ok());
  CHECK(big->size() == 2);
  transport.Push(StructuresPage(1, 2, {{"pages", -5}}));
  auto negative = client.SearchStructures("", "EARL");
  REQUIRE(negative.ok());
  CHECK(negative->size() == 2);
  CHECK(transport.sent() == 4);
}

TEST_CASE_FIXTURE(ClientFixture, "FindStructure returns only the structure with the SIRET asked for") {
  transport.Push(OneStructure(7, "73282932000074"));
  auto exact = client.FindStructure("73282932000074");
  REQUIRE(exact.ok());
  CHECK(exact->id == 7);

  // A portal answering another structure first: skipped for the right one.
  transport.Push(Reply(200, json{{"codeRetour", 0},
                                 {"listeStructures",
                                  {{{"idStructureCPP", 8}, {"identifiantStructure", "73282932000066"}},
                                   {{"idStructureCPP", 9}, {"identifiantStructure", "732 829 320 00074"}}}}}
                                .dump()));
  auto second = client.FindStructure("73282932000074");
  REQUIRE(second.ok());
  CHECK(second->id == 9);

  // Only others: not found, saying so; never the wrong structure.
  transport.Push(OneStructure(8, "73282932000066"));
  auto wrong = client.FindStructure("73282932000074");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().kind() == ErrorKind::kNotFound);
  CHECK(wrong.status().message().find("1 structure with another SIRET") != std::string::npos);
}

TEST_CASE_FIXTURE(ClientFixture, "text that is not UTF-8 is refused before anything is sent, naming the field") {
  auto search = client.SearchStructures("", "Dur\xE9");
  REQUIRE_FALSE(search.ok());
  CHECK(search.status().kind() == ErrorKind::kInvalidArgument);
  CHECK(search.status().message().find("raisonSocialeStructure") != std::string::npos);
  CHECK(search.status().message().find("0xE9 at position 4") != std::string::npos);
  auto decision = client.Decide(21, false, "Pas de mandat \xE9t\xE9");
  REQUIRE_FALSE(decision.ok());
  CHECK(decision.status().message().find("commentaire") != std::string::npos);
  SignupRequest signup;
  signup.email = "a@b.example";
  signup.siret = "73282932000074";
  signup.new_structure = NewStructure{"GAEC", "1 all\xE9" "e", "28000", "Chartres"};
  CHECK(client.Signup(signup).status().kind() == ErrorKind::kInvalidArgument);
  CHECK(transport.sent() == 0);
}

TEST_CASE_FIXTURE(ClientFixture, "full pages without a count forever: the listing stops at 1,000,000 items with an error") {
  // One full page, pre-built, answered to every request: a portal that never
  // sends a short page and never says how many pages there are.
  const int per_page = 500;  // the page size chorus asks for: a full page
  const HttpResponse page = StructuresPage(1, per_page);
  transport.Push(page);
  transport.shared()->on_send = [this, page](const HttpRequest&) { transport.Push(page); };
  auto found = client.SearchStructures("", "EARL");
  transport.shared()->on_send = nullptr;
  REQUIRE_FALSE(found.ok());
  CHECK(found.status().kind() == ErrorKind::kProtocol);
  CHECK(found.status().message().find("more than 1000000 items") != std::string::npos);
  // It stopped at the cap, not before and not long after.
  CHECK(transport.sent() == 1'000'000 / per_page + 1);
}
