// Issue 15, in French: the root help and global flags, profile, doctor, the
// account commands and the login refusal hint. Machine output (JSON) and exit
// codes are the same in every locale.
#include <doctest/doctest.h>

#include <cctype>
#include <regex>
#include <string>
#include <vector>

#include "cli_support.h"
#include "sandbox_world.h"

using chorus::testing::ChorusRunner;
using chorus::testing::SandboxWorld;

namespace {

const std::vector<std::string> kEnglish = {"LC_ALL=C.UTF-8"};
const std::vector<std::string> kFrench = {"LC_ALL=", "LANG=fr_FR.UTF-8"};

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("chorus --help in French: the root description, the footer and the global flags") {
  ChorusRunner chorus;
  auto fr = chorus.Run({"--help"}, "", kFrench);
  INFO(fr.out);
  CHECK(fr.exit_code == 0);
  CHECK(Has(fr.out, "administrer des comptes Chorus Pro et les rattachements aux structures"));
  CHECK(Has(fr.out, "gestionnaire principal"));
  CHECK(Has(fr.out, "Les profils sont dans $XDG_CONFIG_HOME/chorus/config.toml"));
  CHECK(Has(fr.out, "Confirmer les modifications"));
  CHECK(Has(fr.out, "Profil à utiliser (env : CHORUS_PROFILE)"));
  CHECK_FALSE(Has(fr.out, "administer Chorus Pro accounts"));
  CHECK_FALSE(Has(fr.out, "Confirm mutations"));
  CHECK_FALSE(Has(fr.out, "Profiles live in"));

  // The English help glosses the portal's words once.
  auto en = chorus.Run({"--help"}, "", kEnglish);
  CHECK(en.exit_code == 0);
  // The help wraps its lines: one space between words.
  std::string words;
  for (char c : en.out) {
    const bool blank = c == ' ' || c == '\n';
    if (!(blank && !words.empty() && words.back() == ' ')) words += blank ? ' ' : c;
  }
  CHECK(Has(words, "attachments (rattachements)"));
  CHECK(Has(words, "main manager (gestionnaire principal)"));
  CHECK(Has(words, "technical account (compte technique)"));
}

TEST_CASE("profile --help and doctor --help in French") {
  ChorusRunner chorus;
  auto profile = chorus.Run({"profile", "--help"}, "", kFrench);
  INFO(profile.out);
  CHECK(profile.exit_code == 0);
  CHECK(Has(profile.out, "Gérer les profils de connexion"));
  CHECK(Has(profile.out, "Lister les profils"));
  CHECK_FALSE(Has(profile.out, "Manage connection profiles"));
  CHECK_FALSE(Has(profile.out, "List profiles"));

  auto add = chorus.Run({"profile", "add", "--help"}, "", kFrench);
  CHECK(add.exit_code == 0);
  CHECK(Has(add.out, "compte technique sur PISTE"));
  CHECK_FALSE(Has(add.out, "technical account on PISTE"));

  auto doctor = chorus.Run({"doctor", "--help"}, "", kFrench);
  CHECK(doctor.exit_code == 0);
  CHECK(Has(doctor.out, "Vérifier la configuration"));
  CHECK_FALSE(Has(doctor.out, "Check config, file permissions"));
}

TEST_CASE("profile list and a missing profile in French; their JSON is the same in both languages") {
  ChorusRunner chorus;
  auto empty = chorus.Run({"profile", "list"}, "", kFrench);
  CHECK(empty.exit_code == 0);
  CHECK(Has(empty.err, "aucun profil dans"));
  CHECK_FALSE(Has(empty.err, "no profiles in"));

  REQUIRE(chorus.Run({"profile", "add", "farm", "--sandbox", "http://127.0.0.1:9"}, "", kEnglish).exit_code == 0);
  auto en = chorus.Run({"profile", "list", "-o", "json"}, "", kEnglish);
  auto fr = chorus.Run({"profile", "list", "-o", "json"}, "", kFrench);
  CHECK(en.exit_code == 0);
  CHECK(fr.exit_code == en.exit_code);
  CHECK(fr.out == en.out);
  auto en_tsv = chorus.Run({"profile", "show", "-o", "tsv"}, "", kEnglish);
  auto fr_tsv = chorus.Run({"profile", "show", "-o", "tsv"}, "", kFrench);
  CHECK(fr_tsv.out == en_tsv.out);

  // The table's headers are French, in capitals with their accents.
  auto table = chorus.Run({"profile", "list", "-o", "table"}, "", kFrench);
  INFO(table.out);
  CHECK(Has(table.out, "PAR DÉFAUT"));
  CHECK(Has(table.out, "ENVIRONNEMENT"));

  auto missing_en = chorus.Run({"profile", "use", "nope", "-o", "json"}, "", kEnglish);
  auto missing_fr = chorus.Run({"profile", "use", "nope", "-o", "json"}, "", kFrench);
  CHECK(missing_en.exit_code == 5);
  CHECK(missing_fr.exit_code == missing_en.exit_code);
  CHECK(missing_fr.out == missing_en.out);
  CHECK(Has(missing_fr.err, "aucun profil nommé « nope »"));
  CHECK_FALSE(Has(missing_fr.err, "no profile named"));

  // A refused confirmation: French on stderr, the same JSON.
  auto rm_en = chorus.Run({"profile", "remove", "farm", "-o", "json"}, "", kEnglish);
  auto rm_fr = chorus.Run({"profile", "remove", "farm", "-o", "json"}, "", kFrench);
  CHECK(rm_en.exit_code == 2);
  CHECK(rm_fr.exit_code == rm_en.exit_code);
  CHECK(rm_fr.out == rm_en.out);
  CHECK(Has(rm_fr.err, "Suppression du profil « farm »"));
  CHECK(Has(rm_fr.err, "Rien n'est changé sans --yes"));
  CHECK_FALSE(Has(rm_fr.err, "Refusing to change anything"));
}

TEST_CASE("doctor in French: French details in the table, English ones in JSON in both languages") {
  ChorusRunner chorus;
  REQUIRE(chorus.Run({"profile", "add", "farm", "--sandbox", "http://127.0.0.1:9"}, "", kEnglish).exit_code == 0);
  auto table = chorus.Run({"doctor", "-o", "table"}, "", kFrench);
  INFO(table.out);
  CHECK(Has(table.out, "VÉRIFICATION"));
  CHECK(Has(table.out, "aucun identifiant de connexion dans le profil"));
  CHECK_FALSE(Has(table.out, "no login in the profile"));

  auto en = chorus.Run({"doctor", "-o", "json"}, "", kEnglish);
  auto fr = chorus.Run({"doctor", "-o", "json"}, "", kFrench);
  CHECK(fr.exit_code == en.exit_code);
  CHECK(Has(en.out, "no login in the profile"));
  // The reachability check's timing differs from run to run: compare the rest.
  auto strip_ms = [](std::string s) {
    for (std::size_t at = s.find(" ms\""); at != std::string::npos; at = s.find(" ms\"", at + 1)) {
      std::size_t start = at;
      while (start > 0 && std::isdigit(static_cast<unsigned char>(s[start - 1]))) --start;
      s.erase(start, at - start);
      at = start;
    }
    return s;
  };
  CHECK(strip_ms(fr.out) == strip_ms(en.out));
}

TEST_CASE("a refused login: the French hint on stderr; JSON and exit code as in English") {
  SandboxWorld w(3);
  const std::string login = w.accounts[0]["login"];
  w.AddProfile("farm", login, "Stale-passw0rd!");
  // The first refusal comes from the portal; the others from chorus's memory.
  auto first = w.chorus.Run({"whoami", "-o", "json"}, "", kEnglish);
  CHECK(first.exit_code == 4);
  auto en = w.chorus.Run({"whoami", "-o", "json"}, "", kEnglish);
  auto fr = w.chorus.Run({"whoami", "-o", "json"}, "", kFrench);
  INFO(fr.err);
  CHECK(en.exit_code == 4);
  CHECK(fr.exit_code == en.exit_code);
  CHECK(fr.out == en.out);
  CHECK(Has(fr.err, "Ou enregistrez le bon mot de passe : chorus profile add farm --force --login " + login));
  CHECK(Has(fr.err, "envoyez-le une fois de plus, délibérément : chorus --retry-login"));
  CHECK_FALSE(Has(fr.err, "Or store the right password"));
  CHECK(Has(en.err, "Or store the right password"));
  // When the portal refused it: local time for people (here 3 hours east of UTC), UTC in JSON.
  std::vector<std::string> french_east = kFrench;
  french_east.push_back("TZ=XYZ-3");
  auto fr_east = w.chorus.Run({"whoami"}, "", french_east);
  INFO(fr_east.err);
  const std::regex local_time(R"(le \d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} XYZ ;)");
  CHECK(std::regex_search(fr_east.err, local_time));
  CHECK(std::regex_search(en.out, std::regex(R"(on \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z;)")));

  // The first French refusal names the account and the lock.
  SandboxWorld w2(3);
  const std::string login2 = w2.accounts[0]["login"];
  w2.AddProfile("farm", login2, "Stale-passw0rd!");
  auto fr_first = w2.chorus.Run({"whoami"}, "", kFrench);
  INFO(fr_first.err);
  CHECK(fr_first.exit_code == 4);
  CHECK(Has(fr_first.err, "Le portail a refusé l'identifiant de connexion ou le mot de passe du profil « farm »"));
  CHECK_FALSE(Has(fr_first.err, "The portal refused the login"));
}

TEST_CASE("whoami -o json is the same in both languages") {
  SandboxWorld w(3);
  w.AddProfile("farm", w.accounts[0]["login"], w.accounts[0]["password"]);
  auto en = w.chorus.Run({"whoami", "-o", "json"}, "", kEnglish);
  auto fr = w.chorus.Run({"whoami", "-o", "json"}, "", kFrench);
  INFO(en.err);
  CHECK(en.exit_code == 0);
  CHECK(fr.exit_code == en.exit_code);
  CHECK(fr.out == en.out);
  auto table = w.chorus.Run({"whoami", "-o", "table"}, "", kFrench);
  CHECK(Has(table.out, "Rattachements"));
  CHECK(Has(table.out, "Environnement"));
}

TEST_CASE("the config file's warnings in French: an unknown key and loose permissions") {
  ChorusRunner chorus;
  chorus::testing::WriteFile(chorus.ConfigPath(),
                             "[profiles.a]\napi_url = \"http://127.0.0.1:1/cpro\"\npasword_cmd = \"x\"\n", 0644);
  auto fr = chorus.Run({"profile", "list"}, "", kFrench);
  INFO(fr.err);
  CHECK(fr.exit_code == 0);
  CHECK(Has(fr.err, chorus.ConfigPath() + ":3 : clé inconnue « profiles.a.pasword_cmd » ignorée"));
  CHECK(Has(fr.err, "est lisible par le groupe ou les autres (mode 0644)"));
  CHECK(Has(fr.err, "chmod 600 '" + chorus.ConfigPath() + "'"));
  CHECK_FALSE(Has(fr.err, "unknown key"));
  CHECK_FALSE(Has(fr.err, "readable by group"));

  auto en = chorus.Run({"profile", "list"}, "", kEnglish);
  CHECK(Has(en.err, chorus.ConfigPath() + ":3: unknown key 'profiles.a.pasword_cmd' ignored"));
  CHECK(Has(en.err, "readable by group or others (mode 0644)"));

  // doctor reports the permissions in French in its table, in English in JSON.
  auto doctor_fr = chorus.Run({"doctor", "-o", "table"}, "", kFrench);
  CHECK(Has(doctor_fr.out, "lisible par le groupe"));
  auto doctor_json = chorus.Run({"doctor", "-o", "json"}, "", kFrench);
  CHECK(Has(doctor_json.out, "readable by group or others"));
  CHECK_FALSE(Has(doctor_json.out, "lisible"));
}

TEST_CASE("a config file that is not TOML: a French lead before toml++'s own words; the same JSON error") {
  ChorusRunner chorus;
  chorus::testing::WriteFile(chorus.ConfigPath(), "[profiles.a\nlogin = \"x\"\n", 0600);
  auto fr = chorus.Run({"profile", "list"}, "", kFrench);
  CHECK(fr.exit_code == 1);
  CHECK(Has(fr.err, chorus.ConfigPath() + ":1 : TOML invalide : "));
  auto en_json = chorus.Run({"profile", "list", "-o", "json"}, "", kEnglish);
  auto fr_json = chorus.Run({"profile", "list", "-o", "json"}, "", kFrench);
  CHECK(fr_json.exit_code == en_json.exit_code);
  CHECK(fr_json.out == en_json.out);
  CHECK(Has(en_json.out, ":1: not valid TOML: "));
}
