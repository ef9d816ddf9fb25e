// attach, list pending, structure, siret check and the bulk runs in French
// (issue 15): help, tables, summaries and errors for people in the user's
// language; JSON, NDJSON and TSV byte for byte the same in every locale.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "cli_support.h"
#include "sandbox_world.h"

using chorus::testing::ChorusRunner;
using chorus::testing::SandboxWorld;
using chorus::testing::WriteFile;

namespace {

const std::vector<std::string> kEnglish = {"LC_ALL=C.UTF-8"};
// fr_FR.UTF-8 need not be installed: chorus falls back to LANGUAGE.
const std::vector<std::string> kFrench = {"LC_ALL=", "LANG=fr_FR.UTF-8"};

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The same command in English and in French: same exit code, same stdout.
void CheckSameMachineOutput(const ChorusRunner& chorus, const std::vector<std::string>& args) {
  std::string command;
  for (const auto& a : args) command += a + " ";
  CAPTURE(command);
  auto en = chorus.Run(args, "", kEnglish);
  auto fr = chorus.Run(args, "", kFrench);
  INFO(en.err);
  INFO(fr.err);
  CHECK(en.exit_code == fr.exit_code);
  CHECK(!en.out.empty());
  CHECK(en.out == fr.out);
}

}  // namespace

TEST_CASE("attach --help in French: the French descriptions, not the English ones; English glosses the portal's words") {
  ChorusRunner chorus;
  auto fr = chorus.Run({"attach", "--help"}, "", kFrench);
  INFO(fr.out);
  CHECK(fr.exit_code == 0);
  CHECK(Has(fr.out, "Gérer les rattachements de votre compte à des structures"));
  CHECK(Has(fr.out, "Demander le rattachement à des structures, par SIRET"));
  CHECK(Has(fr.out, "Valider des demandes de rattachement"));
  CHECK(Has(fr.out, "Refuser des demandes de rattachement"));
  CHECK(!Has(fr.out, "Ask to be attached to structures"));
  CHECK(!Has(fr.out, "attachment requests to structures you manage"));

  auto en = chorus.Run({"attach", "--help"}, "", kEnglish);
  INFO(en.out);
  CHECK(en.exit_code == 0);
  CHECK(Has(en.out, "attachments (rattachements)"));
  CHECK(Has(en.out, "main manager (gestionnaire principal)"));
  CHECK(Has(en.out, "Approve (valider)"));
  CHECK(!Has(en.out, "Gérer les rattachements"));

  auto request = chorus.Run({"attach", "request", "--help"}, "", kFrench);
  INFO(request.out);
  CHECK(Has(request.out, "Continuer avec les SIRET valides"));
  CHECK(Has(request.out, "Requêtes en cours en même temps"));
  CHECK(!Has(request.out, "Requests in flight at once"));

  auto pending = chorus.Run({"list", "pending", "--help"}, "", kFrench);
  INFO(pending.out);
  CHECK(Has(pending.out, "Seulement vos propres demandes"));
  CHECK(!Has(pending.out, "Only your own requests"));

  auto structure = chorus.Run({"structure", "--help"}, "", kFrench);
  CHECK(Has(structure.out, "Afficher, rechercher et modifier des structures"));
  auto siret = chorus.Run({"siret", "check", "--help"}, "", kFrench);
  CHECK(Has(siret.out, "Vérifier des SIRET"));
  CHECK(!Has(siret.out, "Validate SIRETs"));
}

TEST_CASE("siret check in French: French headers and summary; JSON, NDJSON and TSV the same in both languages") {
  ChorusRunner chorus;
  const std::vector<std::string> args = {"siret", "check", "73282932000074", "12345678901234", "732 829 320 00074"};
  std::vector<std::string> table = {"-o", "table"};
  table.insert(table.end(), args.begin(), args.end());
  auto fr = chorus.Run(table, "", kFrench);
  INFO(fr.err);
  INFO(fr.out);
  CHECK(fr.exit_code == 1);
  CHECK(Has(fr.out, "LIGNE"));
  CHECK(Has(fr.out, "DOUBLON DE"));
  CHECK(!Has(fr.out, "DUPLICATE OF"));
  CHECK(Has(fr.err, "valides : 2, invalides : 1, en double : 1"));
  CHECK(!Has(fr.err, "valid: 2, invalid: 1"));
  for (const char* format : {"json", "ndjson", "tsv", "csv"}) {
    std::vector<std::string> machine = {"-o", format};
    machine.insert(machine.end(), args.begin(), args.end());
    CheckSameMachineOutput(chorus, machine);
  }
  // An error of chorus's own: French on stderr, English in the JSON error object.
  auto both = chorus.Run({"-o", "json", "siret", "check", "-", "--from", "x"}, "", kFrench);
  CHECK(both.exit_code == 2);
  CHECK(Has(both.err, "utilisez soit -, soit --from, pas les deux"));
  CHECK(Has(both.out, "use either - or --from, not both"));
}

TEST_CASE("attach against the sandbox in French: summaries on stderr; machine output identical across locales") {
  SandboxWorld w(3, {"--pending-requests", "2"});
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  const std::string farm1 = w.accounts[0]["siret"], farm2 = w.accounts[1]["siret"],
                    farm3 = w.accounts[2]["siret"];
  const std::string sirets = w.chorus.dir.File("sirets.txt");
  WriteFile(sirets, farm1 + "\n" + farm2 + "\n" + farm3 + "\n");

  // Reads: the same stdout and exit code in English and French.
  for (const char* format : {"json", "ndjson", "tsv"}) {
    CheckSameMachineOutput(w.chorus, {"-o", format, "attach", "list"});
    CheckSameMachineOutput(w.chorus, {"-o", format, "list", "pending"});
    CheckSameMachineOutput(w.chorus, {"-o", format, "attach", "status", "--from", sirets});
    CheckSameMachineOutput(w.chorus, {"-o", format, "attach", "status", "--from", sirets, "--only", "not-ready"});
  }
  // An error in a machine format: the error object keeps its English text.
  CheckSameMachineOutput(w.chorus, {"--yes", "-o", "json", "attach", "request", "12345678901234"});
  CheckSameMachineOutput(w.chorus, {"-o", "ndjson", "list", "pending", "--structure", "123"});

  // The tables' headers are French.
  auto table = w.chorus.Run({"-o", "table", "list", "pending"}, "", kFrench);
  INFO(table.err);
  INFO(table.out);
  CHECK(table.exit_code == 0);
  CHECK(Has(table.out, "UTILISATEUR"));
  CHECK(Has(table.out, "DEMANDÉ LE"));
  CHECK(!Has(table.out, "REQUESTED"));
  auto status = w.chorus.Run({"-o", "table", "attach", "status", "--from", sirets}, "", kFrench);
  INFO(status.err);
  CHECK(Has(status.out, "RATTACHEMENT"));
  CHECK(Has(status.out, "ÉTAPE SUIVANTE"));
  CHECK(Has(status.err, "0 en échec, 0 invalide"));
  CHECK(!Has(status.err, "failed"));

  // The progress line, when asked for.
  auto progress = w.chorus.Run({"--progress", "bar", "attach", "status", "--from", sirets}, "", kFrench);
  INFO(progress.err);
  CHECK(progress.exit_code == 0);
  CHECK(Has(progress.err, " · en échec : 0 · en reprise : 0"));
  CHECK(!Has(progress.err, "retrying"));

  // Invalid SIRETs: listed, then the error, in French.
  auto invalid = w.chorus.Run({"--yes", "attach", "request", farm2, "12345678901234"}, "", kFrench);
  INFO(invalid.err);
  CHECK(invalid.exit_code == 2);
  CHECK(Has(invalid.err, "argument 2 : "));
  CHECK(Has(invalid.err, "1 SIRET invalide, listé ci-dessus ; rien n'a été envoyé. Corrigez-le,"));
  CHECK(!Has(invalid.err, "nothing was sent"));

  // A bulk request: the summary in French.
  auto request = w.chorus.Run({"--yes", "-o", "table", "attach", "request", farm2, farm3, farm3}, "", kFrench);
  INFO(request.err);
  CHECK(request.exit_code == 0);
  CHECK(Has(request.err, "1 SIRET en double ignoré"));
  CHECK(Has(request.err, "2 demandes envoyées, 0 déjà en attente, 0 déjà rattachée, 0 en échec, 0 invalide"));
  CHECK(!Has(request.err, "requested"));
  CHECK(Has(request.out, "RÉSULTAT"));
  // Again: the portal says they are pending already, in French.
  auto again = w.chorus.Run({"--yes", "-o", "table", "attach", "request", farm2, farm3, farm3}, "", kFrench);
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(Has(again.err, "0 demande envoyée, 2 déjà en attente, 0 déjà rattachée, 0 en échec, 0 invalide"));

  // Approving every pending request: the summary, then nothing left.
  auto approve = w.chorus.Run({"--yes", "attach", "approve", "--all"}, "", kFrench);
  INFO(approve.err);
  CHECK(approve.exit_code == 0);
  CHECK(Has(approve.err, "2 validées, 0 déjà validée, 0 en échec, 0 invalide"));
  CHECK(!Has(approve.err, "approved"));
  auto none = w.chorus.Run({"--yes", "attach", "approve", "--all"}, "", kFrench);
  CHECK(none.exit_code == 0);
  CHECK(Has(none.err, "aucune demande en attente ne correspond"));

  // A reason is required to refuse, in French; the exit code is the same.
  auto reject = w.chorus.Run({"--yes", "attach", "reject", "--all"}, "", kFrench);
  CHECK(reject.exit_code == w.chorus.Run({"--yes", "attach", "reject", "--all"}, "", kEnglish).exit_code);
  CHECK(Has(reject.err, "refuser demande --comment TEXTE"));
}
