#include "connections.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <filesystem>
#include <system_error>

namespace sandbox {

namespace {
int PortOf(const sockaddr_storage& sa) {
  if (sa.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(sa).sin_port);
  if (sa.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(sa).sin6_port);
  return -1;
}
}  // namespace

bool IsLoopback(const std::string& addr) {
  return addr.rfind("127.", 0) == 0 || addr == "::1" || addr.rfind("::ffff:127.", 0) == 0;
}

void ForEachConnection(int local_port, int remote_port, const std::function<void(int)>& fn) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    int fd = -1;
    try {
      fd = std::stoi(entry.path().filename().string());
    } catch (...) {
      continue;
    }
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        PortOf(local) != local_port)
      continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0 ||
        (remote_port != -1 && PortOf(peer) != remote_port))
      continue;
    fn(fd);
  }
}

void DropConnection(int local_port, int remote_port) {
  ForEachConnection(local_port, remote_port, [](int fd) {
    linger abort_on_close{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    shutdown(fd, SHUT_RDWR);
  });
}

namespace {
// Whether `fd` is still the connection between these ports (a closed
// socket's number is soon another's).
bool IsConnection(int fd, int local_port, int remote_port) {
  sockaddr_storage local{}, peer{};
  socklen_t local_len = sizeof local, peer_len = sizeof peer;
  return getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) == 0 &&
         PortOf(local) == local_port &&
         getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) == 0 &&
         PortOf(peer) == remote_port;
}
}  // namespace

void CorkConnection(int local_port, int remote_port, bool cork) {
  struct Current {
    int local_port = -1, remote_port = -1, fd = -1;
  };
  thread_local Current current;
  if (cork && (current.local_port != local_port || current.remote_port != remote_port ||
               !IsConnection(current.fd, local_port, remote_port))) {
    current = Current{local_port, remote_port, -1};
    ForEachConnection(local_port, remote_port, [](int fd) { current.fd = fd; });
  }
  if (current.fd < 0 || current.local_port != local_port || current.remote_port != remote_port)
    return;
  int on = cork ? 1 : 0;
  setsockopt(current.fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
}

}  // namespace sandbox
