// Helpers for the benchmark scripts:
//   bench_tool measure CMD [ARGS...]  runs CMD, then prints wall_s= and peak_rss_mib= on stderr
//                                     (exit status: CMD's); stdout/stdin pass through
//   bench_tool sirets N               prints N distinct Luhn-valid SIRETs, one a line
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

// 14 digits: a 13-digit counter and the Luhn check digit.
int Sirets(long n) {
  for (long i = 0; i < n; ++i) {
    char digits[32];
    std::snprintf(digits, sizeof digits, "8%012ld", i);
    int sum = 0;
    for (int k = 12; k >= 0; --k) {
      int d = digits[k] - '0';
      if ((12 - k) % 2 == 0) {  // doubled: the check digit will be rightmost
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    std::printf("%s%d\n", digits, (10 - sum % 10) % 10);
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
