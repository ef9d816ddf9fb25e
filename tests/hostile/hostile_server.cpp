#include "hostile_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace chorus::testing {
namespace {

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Whatever";
  }
}

// Reads one request (head and Content-Length body); false on EOF, error or
// after 5 s without a complete request.
bool ReadRequest(int fd, RawRequest* out, const std::atomic<bool>& stopping) {
  std::string data;
  size_t head_end = std::string::npos;
  size_t want = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  char buf[16384];
  while (!stopping) {
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        out->head = data.substr(0, head_end);
        std::string lower;
        for (char c : out->head) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto cl = lower.find("\r\ncontent-length:");
        if (cl != std::string::npos) want = std::strtoul(lower.c_str() + cl + 17, nullptr, 10);
      }
    }
    if (head_end != std::string::npos && data.size() >= head_end + 4 + want) {
      out->body = data.substr(head_end + 4, want);
      auto sp1 = out->head.find(' ');
      auto sp2 = out->head.find(' ', sp1 + 1);
      out->method = out->head.substr(0, sp1);
      out->path = out->head.substr(sp1 + 1, sp2 - sp1 - 1);
      out->path = out->path.substr(0, out->path.find('?'));
      return true;
    }
    if (std::chrono::steady_clock::now() > deadline) return false;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return false;
    data.append(buf, static_cast<size_t>(n));
  }
  return false;
}

}  // namespace

bool RawConnection::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    if (stopping_) return false;
    pollfd p{fd_, POLLOUT, 0};
    int r = poll(&p, 1, 100);
    if (r < 0 && errno != EINTR) return false;
    if (r <= 0) continue;
    if (p.revents & (POLLERR | POLLHUP)) return false;
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool RawConnection::Respond(int status, std::string_view body, std::string_view content_type,
                            const std::vector<std::string>& extra_headers) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + Reason(status) + "\r\n";
  if (!content_type.empty()) head += "Content-Type: " + std::string(content_type) + "\r\n";
  for (const auto& h : extra_headers) head += h + "\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return Write(head) && Write(body);
}

bool RawConnection::Sleep(std::chrono::milliseconds d) {
  auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
    if (stopping_) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return !stopping_;
}

HostileServer::HostileServer(const std::string& host) : host_(host) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket failed");
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    throw std::runtime_error("bad address " + host);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 64) != 0)
    throw std::runtime_error("cannot listen on " + host);
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

HostileServer::~HostileServer() {
  stopping_ = true;
  acceptor_.join();
  close(listen_fd_);
  // Handlers see stopping_ in their writes and sleeps and return.
  while (active_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

std::string HostileServer::url() const { return "http://" + host_ + ":" + std::to_string(port_); }

void HostileServer::set_handler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

std::vector<RawRequest> HostileServer::requests() {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void HostileServer::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    ++active_;
    std::thread([this, fd] {
      Serve(fd);
      --active_;
    }).detach();
  }
}

void HostileServer::Serve(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  RawRequest request;
  if (ReadRequest(fd, &request, stopping_)) {
    Handler handler;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
      handler = handler_;
    }
    RawConnection conn(fd, stopping_);
    if (handler) handler(request, conn);
    else conn.Respond(404, "{}");
    if (conn.reset()) {
      linger abort_on_close{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    } else {
      shutdown(fd, SHUT_WR);
      // Let the client read what was sent before the close.
      char buf[4096];
      pollfd p{fd, POLLIN, 0};
      while (!stopping_ && poll(&p, 1, 200) > 0 && recv(fd, buf, sizeof buf, 0) > 0) {
      }
    }
  }
  close(fd);
}

}  // namespace chorus::testing
