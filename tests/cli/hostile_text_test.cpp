// Text that is not what chorus expects, with the real binaries: arguments
// typed in a Latin-1 terminal, and data from the portal written to drive a
// terminal. Nothing crashes (exit 134 was type_error.316 from nlohmann/json),
// nothing unreadable is sent, and nothing from the portal reaches the
// terminal raw.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli_support.h"
#include "sandbox_world.h"

using chorus::testing::ChorusRunner;
using chorus::testing::ProcessResult;
using chorus::testing::SandboxWorld;
using nlohmann::json;

namespace {

// Locales by name: fr_FR.ISO-8859-1 is not installed on a build machine, and
// chorus then takes the charset from the name, as it would on a server.
const std::vector<std::string> kUtf8 = {"LC_ALL=C.UTF-8"};
const std::vector<std::string> kLatin1 = {"LC_ALL=fr_FR.ISO-8859-1", "LANGUAGE=en"};
const std::string kDure = "Dur\xE9";  // "Duré" in Latin-1

// Every option that takes a value, with its command path, as the generated
// bash completion lists them (the live command tree, so new flags are in).
std::vector<std::pair<std::string, std::string>> ValuedOptions(const ChorusRunner& chorus) {
  auto script = chorus.Run({"completion", "bash"});
  REQUIRE(script.exit_code == 0);
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  std::regex item("'([a-z ]*)\\|(--[a-z-]+)'");
  for (std::sregex_iterator it(script.out.begin(), script.out.end(), item), end; it != end; ++it)
    if (seen.insert((*it)[1].str() + "|" + (*it)[2].str()).second) out.emplace_back((*it)[1], (*it)[2]);
  return out;
}

std::vector<std::string> Words(const std::string& path) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < path.size()) {
    auto space = path.find(' ', start);
    if (space == std::string::npos) space = path.size();
    words.push_back(path.substr(start, space - start));
    start = space + 1;
  }
  return words;
}

}  // namespace

TEST_CASE("Latin-1 bytes in every text flag of every command: a usage error naming it, or converted") {
  ChorusRunner chorus;
  auto options = ValuedOptions(chorus);
  REQUIRE(options.size() > 40);  // the tree has that many; an empty parse must not pass
  for (const auto& option : options) {
    // Named copies: clang 14 cannot capture structured bindings (CAPTURE does).
    const std::string& path = option.first;
    const std::string& flag = option.second;
    std::vector<std::string> args = Words(path);
    args.insert(args.end(), {flag, kDure});
    CAPTURE(path);
    CAPTURE(flag);
    // A UTF-8 terminal cannot have typed this: exit 2, naming the flag and the
    // byte; except a file to open, whose name is bytes (no such file, or no
    // profile to go with it: an error, not a crash).
    ProcessResult utf8 = chorus.Run(args, "", kUtf8);
    if (flag == "--from" || flag == "--config") {
      // chorus alone prints its help, whatever --config says.
      CHECK((utf8.exit_code == 1 || utf8.exit_code == 2 || (path.empty() && utf8.exit_code == 0)));
      CHECK(utf8.err.find("not valid UTF-8") == std::string::npos);
    } else {
      CHECK(utf8.exit_code == 2);
      CHECK(utf8.err.find(flag + ": byte 0xE9 at position 4") != std::string::npos);
    }
    // A Latin-1 terminal did: converted, then whatever the command makes of it,
    // but never a crash.
    ProcessResult latin1 = chorus.Run(args, "", kLatin1);
    INFO(latin1.err);
    CHECK(latin1.exit_code < 128);
    CHECK(latin1.err.find("not valid UTF-8") == std::string::npos);
  }
  // A file whose name is Latin-1 bytes opens from any terminal.
  chorus::testing::WriteFile(chorus.dir.File("clients-\xE9t\xE9.csv"), "siret\n73282932000074\n");
  for (const auto& locale : {kUtf8, kLatin1}) {
    ProcessResult named = chorus.Run({"siret", "check", "--from", chorus.dir.File("clients-\xE9t\xE9.csv")}, "", locale);
    INFO(named.err);
    CHECK(named.exit_code == 0);
    CHECK(named.out.find("73282932000074") != std::string::npos);
  }
  // Positionals are named by their place.
  ProcessResult positional = chorus.Run({"structure", "show", kDure}, "", kUtf8);
  CHECK(positional.exit_code == 2);
  CHECK(positional.err.find("argument 3: byte 0xE9") != std::string::npos);
}

TEST_CASE("secrets on stdin are read in the terminal's charset too") {
  ChorusRunner chorus;
  // A password typed in a Latin-1 terminal, given to a UTF-8 chorus: refused, named.
  ProcessResult password = chorus.Run({"profile", "add", "p", "--sandbox", "http://127.0.0.1:9", "--login",
                                       "a@b.example", "--password-stdin"},
                                      "mot-de-passe-\xE9t\xE9\n", kUtf8);
  CHECK(password.exit_code == 2);
  CHECK(password.err.find("the password on stdin: byte 0xE9 at position 14") != std::string::npos);
  CHECK(chorus.Run({"profile", "list"}).out.empty());  // nothing was saved
  // The same from a Latin-1 terminal: stored in UTF-8.
  ProcessResult latin1 = chorus.Run({"profile", "add", "p", "--sandbox", "http://127.0.0.1:9", "--login",
                                     "a@b.example", "--password-stdin"},
                                    "mot-de-passe-\xE9t\xE9\n", kLatin1);
  REQUIRE(latin1.exit_code == 0);
  CHECK(chorus::testing::ReadFile(chorus.dir.File("config/chorus/secrets/p.password")) ==
        "mot-de-passe-\xC3\xA9t\xC3\xA9\n");
  // Activation: refused before anything is sent (the portal here does not exist).
  ProcessResult activate = chorus.Run({"--yes", "activate", "--token", "T", "--secret-question", "Q",
                                       "--credentials-stdin"},
                                      "Motdepasse-Solide1!\nR\xE9ponse\n", kUtf8);
  CHECK(activate.exit_code == 2);
  CHECK(activate.err.find("the secret answer on stdin: byte 0xE9 at position 2") != std::string::npos);
}

TEST_CASE("issue 12's commands against a sandbox, from a Latin-1 terminal and from a UTF-8 one") {
  SandboxWorld w(3);
  const ChorusRunner& chorus = w.chorus;
  w.AddProfile("farm", w.accounts[0]["login"], w.accounts[0]["password"]);
  REQUIRE(chorus.Run({"profile", "add", "anon", "--sandbox", w.sandbox.url()}).exit_code == 0);

  // Searched as typed: "Duré" reaches the portal in UTF-8 (no such structure: 5).
  ProcessResult search = chorus.Run({"--profile", "farm", "structure", "search", "--name", kDure}, "", kLatin1);
  INFO(search.err);
  CHECK(search.exit_code == 5);
  CHECK(search.err.find("no structure matches") != std::string::npos);
  // Sent nowhere from a UTF-8 terminal.
  long searches = w.Calls("structures/v1/rechercher");
  CHECK(chorus.Run({"--profile", "farm", "structure", "search", "--name", kDure}, "", kUtf8).exit_code == 2);
  CHECK(w.Calls("structures/v1/rechercher") == searches);

  // A refusal comment: request 21 does not exist (5), but the comment went out whole.
  ProcessResult reject = chorus.Run(
      {"--profile", "farm", "--yes", "attach", "reject", "21", "--comment", "Pas de mandat \xE9t\xE9"}, "", kLatin1);
  INFO(reject.err);
  CHECK(reject.exit_code < 128);
  CHECK(reject.exit_code != 2);

  // A structure created from a Latin-1 terminal is named in UTF-8 on the portal.
  ProcessResult signup = chorus.Run(
      {"--profile", "anon", "--yes", "-o", "json", "signup", "--email", "andre@ferme.example", "--siret",
       "13000918600011", "--first-name", "Andr\xE9", "--last-name", "L\xE9vy", "--structure-name",
       "GAEC du Pr\xE9 Vert", "--address", "1 all\xE9" "e des Ch\xEAnes", "--postal-code", "28000", "--city",
       "Ch\xE2teaudun"},
      "", kLatin1);
  INFO(signup.err);
  REQUIRE(signup.exit_code == 0);
  CHECK(json::parse(signup.out)["designation"] == "GAEC du Pr\xC3\xA9 Vert");
  ProcessResult found = chorus.Run({"--profile", "farm", "-o", "json", "structure", "show", "13000918600011"});
  REQUIRE(found.exit_code == 0);
  json shown = json::parse(found.out);
  CHECK(shown["designation"] == "GAEC du Pr\xC3\xA9 Vert");
  CHECK(shown["city"] == "Ch\xC3\xA2teaudun");
}

TEST_CASE("a structure named to drive the terminal is shown escaped, except in JSON") {
  SandboxWorld w(2);
  const ChorusRunner& chorus = w.chorus;
  w.AddProfile("farm", w.accounts[0]["login"], w.accounts[0]["password"]);
  REQUIRE(chorus.Run({"profile", "add", "anon", "--sandbox", w.sandbox.url()}).exit_code == 0);
  const std::string evil = "Evil\x1b]0;pwned\a\x1b[2J";
  const std::string shown = "Evil\\x1b]0;pwned\\x07\\x1b[2J";
  ProcessResult signup = chorus.Run({"--profile", "anon", "--yes", "-o", "json", "signup", "--email",
                                     "evil@ferme.example", "--siret", "82460382300025", "--first-name", "E",
                                     "--last-name", "Vil", "--structure-name", evil, "--address", "1 rue",
                                     "--postal-code", "28000", "--city", "Chartres\xE2\x80\xAE" "exe.txt"});
  INFO(signup.err);
  REQUIRE(signup.exit_code == 0);

  for (const char* format : {"table", "tsv", "csv"}) {
    CAPTURE(format);
    ProcessResult r = chorus.Run({"--profile", "farm", "-o", format, "structure", "search", "--name", "Evil"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find(shown) != std::string::npos);
    CHECK(r.out.find('\x1b') == std::string::npos);
    CHECK(r.out.find('\a') == std::string::npos);
  }
  ProcessResult details = chorus.Run({"--profile", "farm", "-o", "table", "structure", "show", "82460382300025"});
  REQUIRE(details.exit_code == 0);
  CHECK(details.out.find("Chartres\\u202eexe.txt") != std::string::npos);
  CHECK(details.out.find("\xE2\x80\xAE") == std::string::npos);

  // JSON keeps the name exactly as the portal has it.
  ProcessResult as_json = chorus.Run({"--profile", "farm", "-o", "json", "structure", "search", "--name", "Evil"});
  REQUIRE(as_json.exit_code == 0);
  CHECK(json::parse(as_json.out)[0]["designation"] == evil);

  // Messages escape it too: a second sign-up on that SIRET names the structure on stderr.
  ProcessResult colleague = chorus.Run({"--profile", "anon", "--yes", "signup", "--email", "col@ferme.example",
                                        "--siret", "82460382300025", "--first-name", "C", "--last-name", "Ol"});
  INFO(colleague.err);
  REQUIRE(colleague.exit_code == 0);
  CHECK(colleague.err.find(shown) != std::string::npos);
  CHECK(colleague.err.find('\x1b') == std::string::npos);
}
