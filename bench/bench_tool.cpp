// Helpers for the benchmark scripts:
//   bench_tool measure CMD [ARGS...]  runs CMD, then prints wall_s= and peak_rss_mib= on stderr
//                                     (exit status: CMD's); stdout/stdin pass through
//   bench_tool sirets N               prints N distinct valid SIRETs (SIREN and SIRET keys), one a line
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

int Measure(char** argv) {
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    execvp(argv[0], argv);
    std::perror(argv[0]);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) < 0) return 1;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "wall_s=%.3f\npeak_rss_mib=%.1f\n", wall, usage.ru_maxrss / 1024.0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The digit that makes digits + it pass the Luhn check.
char LuhnDigit(const std::string& digits) {
  int sum = 0;
  for (std::size_t k = 0; k < digits.size(); ++k) {
    int d = digits[digits.size() - 1 - k] - '0';
    if (k % 2 == 0) {  // doubled: the check digit will be rightmost
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

// 14 digits whose SIREN and SIRET both pass Luhn: an 8-digit SIREN body from
// i / 10,000, a 4-digit NIC body from i % 10,000, each with its key.
int Sirets(long n) {
  for (long i = 0; i < n; ++i) {
    char body[32];
    std::snprintf(body, sizeof body, "8%07ld", i / 10000);
    std::string siren = body;
    siren += LuhnDigit(siren);
    std::snprintf(body, sizeof body, "%04ld", i % 10000);
    std::string siret = siren + body;
    siret += LuhnDigit(siret);
    std::printf("%s\n", siret.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::strcmp(argv[1], "measure") == 0) return Measure(argv + 2);
  if (argc == 3 && std::strcmp(argv[1], "sirets") == 0) return Sirets(std::atol(argv[2]));
  std::fprintf(stderr, "usage: bench_tool measure CMD [ARGS...] | bench_tool sirets N\n");
  return 2;
}
