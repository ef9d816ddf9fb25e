// chorus structure show / search / edit.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "app.h"
#include "chorus/siret.h"
#include "tr.h"

namespace chorus::cli {
namespace {

using nlohmann::json;

// Built after the translations are loaded: the labels are in the user's language.
std::vector<Column> StructureColumns() {
  return {{"structure_id", "Id"},
          {"siret", "SIRET"},
          {"designation", Tr("Designation")},
          {"email", Tr("E-mail")},
          {"address", Tr("Address")},
          {"postal_code", Tr("Postal code")},
          {"city", Tr("City")},
          {"country", Tr("Country")},
          {"centre_de_gestion", Tr("Centre de gestion")},
          {"spaces", Tr("Spaces")},
          {"tic_space_open", Tr("TIC space open")},
          {"main_manager", Tr("Main manager")},
          {"main_manager_email", Tr("Main manager e-mail")},
          {"tech_password_expiry", Tr("Tech. password expires")},
          {"services", Tr("Services")}};
}

template <typename T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// The services in JSON as objects; in tables as "CODE name (status)".
json ServicesField(const std::optional<std::vector<Service>>& services, bool structured) {
  if (!services) return nullptr;
  json list = json::array();
  for (const auto& s : *services) {
    if (structured)
      list.push_back(json{{"service_id", s.id}, {"code", s.code}, {"name", s.name},
                          {"status", s.status.empty() ? json(nullptr) : json(StatusValue(s.status))}});
    else
      list.push_back(s.code + " " + s.name + (s.status.empty() ? "" : " (" + StatusValue(s.status) + ")"));
  }
  return list;
}

// The services for people: "CODE name (status)", the status in their language.
json ServicesText(const std::optional<std::vector<Service>>& services) {
  if (!services) return "-";
  std::string text;
  for (const auto& s : *services)
    text += (text.empty() ? "" : ",") + s.code + " " + s.name +
            (s.status.empty() ? "" : " (" + StatusWord(StatusValue(s.status)) + ")");
  return text.empty() ? "-" : text;
}

// services: nullopt when the portal does not show them to this account.
json StructureRecord(const StructureDetails& d, const std::optional<std::vector<Service>>& services,
                     bool structured) {
  return json{{"structure_id", d.id},
              {"siret", d.identifier},
              {"designation", d.name},  // raisonSocialeStructure: "designation" in every command
              {"email", d.email.empty() ? json(nullptr) : json(d.email)},
              {"address", d.address},
              {"postal_code", d.postal_code},
              {"city", d.city},
              {"country", d.country},
              {"centre_de_gestion", OrNull(d.centre_de_gestion)},
              {"spaces", OrNull(d.spaces)},
              {"tic_space_open", OrNull(d.tic_space_open)},
              {"main_manager", d.main_manager ? json(d.main_manager->first_name + " " + d.main_manager->last_name)
                                              : json(nullptr)},
              {"main_manager_email", d.main_manager ? json(d.main_manager->email) : json(nullptr)},
              {"tech_password_expiry",
               d.tech_password_expiry.empty() ? json(nullptr) : json(d.tech_password_expiry)},
              {"services", ServicesField(services, structured)},
              {HumanKey("services"), ServicesText(services)}};
}

// The structure's services, or nullopt when the portal refuses to show them
// (only the users attached to a structure see its services).
StatusOr<std::optional<std::vector<Service>>> ServicesOf(App& app, Client& client, std::int64_t id) {
  auto services = client.StructureServices(id);
  if (services.ok()) return std::optional<std::vector<Service>>(std::move(*services));
  ErrorKind kind = services.status().kind();
  if (kind != ErrorKind::kPermissionDenied && kind != ErrorKind::kNotFound) return services.status();
  app.Info(Tr("services: not shown to this account (only to the users attached to the structure)"));
  return std::optional<std::vector<Service>>();
}

// Prints the structure with its services.
int PrintStructure(App& app, Client& client, const StructureDetails& d) {
  auto services = ServicesOf(app, client, d.id);
  if (!services.ok()) return app.Fail(services.status());
  bool structured = app.format() == OutputFormat::kJson || app.format() == OutputFormat::kNdjson;
  auto printer = app.Printer(StructureColumns(), true);
  printer->Print(StructureRecord(d, *services, structured));
  printer->Finish();
  return kExitOk;
}

// A structure named by SIRET (or by its portal id, digits of any other length).
StatusOr<StructureDetails> LookUp(Client& client, const std::string& text) {
  auto siret = Siret::Parse(text);
  if (siret.ok()) {
    auto found = client.FindStructure(siret->digits());
    if (!found.ok()) return found.status();
    return client.ConsultStructure(found->id);
  }
  bool digits = !text.empty() && text.size() < 14 &&
                text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) return client.ConsultStructure(std::stoll(text));
  return Status(ErrorKind::kInvalidArgument, Message{siret.status().message(), siret.status().localized_message()});
}

int RunShow(App& app, const std::string& which) {
  auto portal = app.Connect(true);
  if (!portal.ok()) return app.Fail(portal.status());
  auto details = LookUp(*portal->client, which);
  if (!details.ok()) return app.Fail(details.status());
  return PrintStructure(app, *portal->client, *details);
}

struct SearchOptions {
  std::string siret, name;
  std::size_t limit = 50;
};

int RunSearch(App& app, const SearchOptions& o) {
  if (o.siret.empty() && o.name.empty())
    return app.Fail(Status(ErrorKind::kInvalidArgument, Msg("give --siret or --name")));
  std::string siret;
  if (!o.siret.empty()) {
    auto parsed = Siret::Parse(o.siret);
    if (!parsed.ok())
      return app.Fail(Status(ErrorKind::kInvalidArgument,
                             Message{parsed.status().message(), parsed.status().localized_message()})
                          .WithContext("--siret"));
    siret = parsed->digits();
  }
  auto portal = app.Connect(true);
  if (!portal.ok()) return app.Fail(portal.status());
  auto found = portal->client->SearchStructures(siret, o.name, o.limit);
  if (!found.ok()) return app.Fail(found.status());
  auto printer = app.Printer(
      {{"structure_id", "ID"}, {"siret", "SIRET"}, {"designation", Tr("DESIGNATION")}, {"status", Tr("STATUS")}});
  for (const auto& s : *found)
    printer->Print(json{{"structure_id", s.id}, {"siret", s.identifier}, {"designation", s.designation}, {"status", StatusValue(s.status)}});
  printer->Finish();
  if (found->empty()) {
    app.Info(Tr("no structure matches"));
    return ExitCodeFor(ErrorKind::kNotFound);
  }
  return kExitOk;
}

struct EditOptions {
  std::string structure;
  bool centre_de_gestion = false;
  std::vector<std::string> open, close;
};


// "centre de gestion agricole: no → yes", "space DEMANDE_REMBOURSEMENT_TIC:
// closed → open": what an edit changes, as its confirmation and its dry run
// say it.
App::Change EditChange(const StructureDetails& before, bool set_cg, bool cg, const std::vector<std::string>& open,
                       const std::vector<std::string>& close) {
  App::Change change(Msg("About to edit structure {} ({}).", before.identifier, before.name));
  auto yes_no = [](bool b) { return b ? Word("yes") : Word("no"); };
  if (set_cg) {
    const TranslatedWord was = before.centre_de_gestion ? yes_no(*before.centre_de_gestion) : Word("unknown");
    change.Add(Msg("centre de gestion agricole: {} → {}", was, yes_no(cg)));
  }
  // TRANSLATORS: the state of a structure's space (espace), before an edit.
  auto is_open = [&](const std::string& code) {
    if (!before.spaces) return Word("unknown");
    return std::find(before.spaces->begin(), before.spaces->end(), code) != before.spaces->end() ? Word("open")
                                                                                                 : Word("closed");
  };
  for (const auto& code : close) change.Add(Msg("space {}: {} → closed", code, is_open(code)));
  for (const auto& code : open) change.Add(Msg("space {}: {} → open", code, is_open(code)));
  return change;
}

int RunEdit(App& app, EditOptions& o, bool set_cg) {
  if (!set_cg && o.open.empty() && o.close.empty())
    return app.Fail(Status(ErrorKind::kInvalidArgument,
                           Msg("nothing to change: give --centre-de-gestion[=false], --open-space or --close-space")));
  std::vector<std::string> open, close;
  for (auto [in, out] : {std::pair{&o.open, &open}, std::pair{&o.close, &close}})
    for (const auto& text : *in) {
      auto code = NormalizeSpaceCode(text);
      if (!code.ok()) return app.Fail(code.status());
      out->push_back(*code);
    }
  if (Status s = app.RequireSandbox("structure edit", PortalStep::kStructureEdit); !s.ok()) return app.Fail(s);
  auto portal = app.Connect(true);
  if (!portal.ok()) return app.Fail(portal.status());
  Client& client = *portal->client;
  auto before = LookUp(client, o.structure);
  if (!before.ok()) return app.Fail(before.status());
  const App::Change change = EditChange(*before, set_cg, o.centre_de_gestion, open, close);
  if (app.options.dry_run) app.ShowDryRun(change);
  else if (Status s = app.RequireConfirmation(change); !s.ok()) return app.Fail(s);
  // Closing first and opening last lets one command turn a structure into a
  // centre de gestion (which may not keep the TIC space) or back.
  for (const auto& code : close)
    if (Status s = client.ChangeSpace(before->id, code, false); !s.ok()) return app.Fail(s);
  if (set_cg)
    if (Status s = client.SetCentreDeGestion(before->id, o.centre_de_gestion); !s.ok()) return app.Fail(s);
  for (const auto& code : open)
    if (Status s = client.ChangeSpace(before->id, code, true); !s.ok()) return app.Fail(s);
  if (app.options.dry_run) return kExitOk;
  auto after = client.ConsultStructure(before->id);
  if (!after.ok()) return app.Fail(after.status());
  return PrintStructure(app, client, *after);
}

}  // namespace

void RegisterStructureCommands(CLI::App& root, App& app, int* exit_code) {
  auto* structure = root.add_subcommand("structure", Tr("Show, search and edit structures"));
  structure->require_subcommand(1);

  auto show_id = std::make_shared<std::string>();
  auto* show = structure->add_subcommand(
      "show", Tr("Show a structure and its services (to users attached to it), by SIRET or portal id"));
  show->add_option("STRUCTURE", *show_id, Tr("SIRET or idStructureCPP"))->required();
  show->callback([&app, show_id, exit_code] { *exit_code = RunShow(app, *show_id); });

  auto so = std::make_shared<SearchOptions>();
  auto* search = structure->add_subcommand("search", Tr("Search structures by SIRET or name (all pages)"));
  search->add_option("--siret", so->siret, Tr("SIRET of the structure"))->type_name("SIRET");
  search->add_option("--name", so->name, Tr("Part of the raison sociale"))->type_name("TEXT");
  search->add_option("--limit", so->limit, Tr("At most this many results (0: all)"))->type_name("N")->capture_default_str();
  search->callback([&app, so, exit_code] { *exit_code = RunSearch(app, *so); });

  auto eo = std::make_shared<EditOptions>();
  auto* edit = structure->add_subcommand("edit", Tr("Edit a structure you manage (chorus-sandbox; a checklist on PISTE)"));
  edit->add_option("STRUCTURE", eo->structure, Tr("SIRET or idStructureCPP"))->required();
  auto* cg = edit->add_flag("--centre-de-gestion", eo->centre_de_gestion,
                            Tr("Type it \"centre de gestion agricole\" (--centre-de-gestion=false to undo)"));
  edit->add_option("--open-space", eo->open, Tr("Open a space (espace; repeatable): code, case-insensitive, - or _"))
      ->type_name("SPACE");
  edit->add_option("--close-space", eo->close, Tr("Close a space (repeatable)"))->type_name("SPACE");
  edit->callback([&app, eo, exit_code, cg] { *exit_code = RunEdit(app, *eo, cg->count() > 0); });
}

}  // namespace chorus::cli
