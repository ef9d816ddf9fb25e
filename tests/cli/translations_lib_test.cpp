// The library's errors and chorus-sandbox's help in French (issue 15): a
// person reads French on stderr, while the error object of `-o json` on
// stdout and the exit code are the same bytes in every locale.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli_support.h"

using chorus::testing::ChorusRunner;

namespace {

const std::vector<std::string> kEnglish = {"LC_ALL=C.UTF-8"};
// fr_FR.UTF-8 need not be installed: chorus falls back to LANGUAGE.
const std::vector<std::string> kFrench = {"LC_ALL=", "LANG=fr_FR.UTF-8"};

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct LibCase {
  const char* name;
  std::string config;  // written to the config file when not empty
  std::vector<std::string> args;
  std::string english;  // on stderr in English, and in the JSON error in both
  std::string french;   // on stderr in French
};

}  // namespace

TEST_CASE("the library's errors: French on stderr, the same JSON error and exit code as in English") {
  const std::string profile_a = "[profiles.a]\napi_url = \"http://127.0.0.1:1/cpro\"\n";
  const std::vector<LibCase> cases = {
      {"no client secret", "[profiles.a]\napi_url = \"http://127.0.0.1:1/cpro\"\nlogin = \"l\"\n",
       {"-o", "json", "structure", "show", "35600000000048"}, "no client secret for profile \"a\"",
       "aucun secret client pour le profil « a »"},
      {"a config key of the wrong type", "default_profile = 3\n" + profile_a,
       {"-o", "json", "structure", "show", "35600000000048"}, "key 'default_profile' must be a string",
       "la clé « default_profile » doit être une chaîne"},
      {"an unknown environment in the config", "[profiles.a]\nenvironment = \"prod\"\n",
       {"-o", "json", "structure", "show", "35600000000048"}, "unknown environment \"prod\"",
       "environnement inconnu « prod »"},
      {"an unknown profile", profile_a, {"--profile", "nope", "-o", "json", "structure", "show", "35600000000048"},
       "no profile named \"nope\"", "aucun profil nommé « nope »"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    ChorusRunner chorus;
    if (!c.config.empty()) chorus::testing::WriteFile(chorus.ConfigPath(), c.config, 0600);
    auto en = chorus.Run(c.args, "", kEnglish);
    auto fr = chorus.Run(c.args, "", kFrench);
    INFO("English stderr: " << en.err);
    INFO("French stderr: " << fr.err);
    CHECK(en.exit_code != 0);
    CHECK(fr.exit_code == en.exit_code);
    CHECK(fr.out == en.out);  // the JSON error object: English, byte for byte
    const auto error = nlohmann::json::parse(en.out, nullptr, false);
    REQUIRE(error.is_object());
    CHECK(Has(error["error"]["message"].get<std::string>(), c.english));
    CHECK(Has(en.err, c.english));
    CHECK(Has(fr.err, c.french));
    CHECK_FALSE(Has(fr.err, c.english));
  }
}

#ifdef CHORUS_SANDBOX_BIN
TEST_CASE("chorus-sandbox --help in French, its option names and values as they are") {
  auto help = [](const std::vector<std::string>& args, const std::vector<std::string>& env) {
    std::vector<std::string> argv = {CHORUS_SANDBOX_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    chorus::testing::ProcessOptions o;
    o.env = env;
    return chorus::testing::RunProcess(argv, o);
  };
  auto en = help({"serve", "--help"}, kEnglish);
  auto fr = help({"serve", "--help"}, kFrench);
  INFO(fr.out);
  CHECK(en.exit_code == 0);
  CHECK(fr.exit_code == 0);
  CHECK(Has(en.out, "Run the portal. Prints the base URL"));
  CHECK(Has(en.out, "HOST:PORT to listen on; port 0 picks a free port"));
  CHECK(Has(fr.out, "Lancer le portail. Affiche l'URL de base"));
  CHECK(Has(fr.out, "HOST:PORT d'écoute ; le port 0 en choisit un libre"));
  CHECK(Has(fr.out, "Afficher cette aide et quitter"));
  CHECK(Has(fr.out, "Exemples :"));
  CHECK_FALSE(Has(fr.out, "Run the portal"));
  CHECK_FALSE(Has(fr.out, "Print this help message and exit"));
  for (const char* kept : {"--listen", "--data", "--seed", "--pending-requests", "/_sandbox/clock"})
    CHECK(Has(fr.out, kept));

  auto top = help({"--help"}, kFrench);
  CHECK(top.exit_code == 0);
  CHECK(Has(top.out, "un portail local et persistant"));
  CHECK(Has(top.out, "Afficher les courriels envoyés par le portail"));
  // French punctuation in CLI11's headings, and the program's name, not its path.
  CHECK(Has(top.out, "\nUtilisation : chorus-sandbox [OPTIONS]"));
  CHECK(Has(top.out, "\nOptions :\n"));
  CHECK(Has(top.out, "\nSous-commandes :\n"));
  CHECK(Has(en.out, "Usage: chorus-sandbox serve [OPTIONS]"));
  CHECK(Has(en.out, "\nOptions:\n"));
  CHECK(Has(help({"--help"}, kEnglish).out, "attachment requests (demandes de rattachement)"));
}

TEST_CASE("chorus-sandbox's errors about its flags in French, with the same exit code") {
  auto run = [](const std::vector<std::string>& env) {
    chorus::testing::TempDir dir;
    std::vector<std::string> argv = {CHORUS_SANDBOX_BIN, "serve", "--listen", "127.0.0.1", "--data", dir.path()};
    chorus::testing::ProcessOptions o;
    o.env = env;
    return chorus::testing::RunProcess(argv, o);
  };
  auto en = run(kEnglish);
  auto fr = run(kFrench);
  CHECK(en.exit_code == 2);
  CHECK(fr.exit_code == 2);
  CHECK(Has(en.err, "--listen expects HOST:PORT, got '127.0.0.1'"));
  CHECK(Has(fr.err, "--listen attend HOST:PORT, reçu « 127.0.0.1 »"));

  // CLI11's refusals, reworded in both languages, with the command's --help named.
  auto refused = [](const std::vector<std::string>& args, const std::vector<std::string>& env) {
    std::vector<std::string> argv = {CHORUS_SANDBOX_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    chorus::testing::ProcessOptions o;
    o.env = env;
    return chorus::testing::RunProcess(argv, o);
  };
  auto latency_en = refused({"serve", "--data", "d", "--latency", "x"}, kEnglish);
  auto latency_fr = refused({"serve", "--data", "d", "--latency", "x"}, kFrench);
  CHECK(latency_en.exit_code == 2);
  CHECK(latency_fr.exit_code == 2);
  CHECK(Has(latency_en.err, "--latency: x is not a number"));
  CHECK(Has(latency_en.err, "Run \"chorus-sandbox serve --help\" for its usage."));
  CHECK(Has(latency_fr.err, "--latency : x n'est pas un nombre"));
  CHECK(Has(latency_fr.err, "Lancez « chorus-sandbox serve --help »"));
  CHECK_FALSE(Has(latency_fr.err, "Run with --help"));
  auto none_fr = refused({}, kFrench);
  CHECK(none_fr.exit_code == 2);
  CHECK(Has(none_fr.err, "il faut une commande"));
  auto needs_fr = refused({"serve", "--data", "d", "--pending-requests", "1"}, kFrench);
  CHECK(needs_fr.exit_code == 2);
  CHECK(Has(needs_fr.err, "--pending-requests demande --seed"));
}
#endif
