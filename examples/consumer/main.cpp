// Validates a SIRET and reads a profile with the chorus library.
// Usage: chorus_consumer SIRET
#include <chorus/profile.h>
#include <chorus/siret.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: chorus_consumer SIRET\n";
    return 2;
  }
  auto siret = chorus::Siret::Parse(argv[1]);
  if (!siret.ok()) {
    std::cerr << "invalid SIRET: " << siret.status().message() << "\n";
    return 1;
  }
  auto config = chorus::ParseConfig(
      "default_profile = \"sandbox\"\n"
      "[profiles.sandbox]\n"
      "environment = \"sandbox\"\n"
      "api_url = \"http://127.0.0.1:8787/cpro\"\n",
      "inline.toml");
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 1;
  }
  std::cout << siret->Grouped() << " " << config->default_profile << " " << config->profiles.size() << "\n";
  return 0;
}
