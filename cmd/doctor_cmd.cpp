// chorus doctor: check the config, the profile, the secrets and the portal.
#include <CLI/CLI.hpp>

#include "app.h"

namespace chorus::cli {

void RegisterDoctorCommand(CLI::App& root, App& app, int* exit_code) {
  root.add_subcommand("doctor", "Check config, permissions, reachability, token and account")
      ->callback([&app, exit_code] {
        *exit_code = app.Fail(Status(ErrorKind::kInternal, "doctor: not implemented yet"));
      });
}

}  // namespace chorus::cli
