// A deliberately misbehaving portal for tests: a raw-socket HTTP/1.1 server
// on a loopback address, in a thread of the test process (not cpp-httplib,
// which would refuse to misbehave). Each connection gets one request, then
// the test's handler writes whatever bytes it likes and the connection is
// closed (or reset, if the handler says so).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace chorus::testing {

struct RawRequest {
  std::string method;
  std::string path;  // without the query string
  std::string head;  // request line and headers as received
  std::string body;
};

// What a handler writes to. Writes fail (return false) once the client has
// gone or the server is stopping, so endless handlers end.
class RawConnection {
 public:
  RawConnection(int fd, const std::atomic<bool>& stopping) : fd_(fd), stopping_(stopping) {}
  bool Write(std::string_view bytes);
  // "HTTP/1.1 <status>" + headers + Content-Length + Connection: close + body.
  bool Respond(int status, std::string_view body,
               std::string_view content_type = "application/json;charset=utf-8",
               const std::vector<std::string>& extra_headers = {});
  // Sleeps in small steps; false when the server is stopping.
  bool Sleep(std::chrono::milliseconds d);
  // Close with an RST instead of a FIN.
  void ResetOnClose() { reset_ = true; }
  bool reset() const { return reset_; }

 private:
  int fd_;
  const std::atomic<bool>& stopping_;
  bool reset_ = false;
};

class HostileServer {
 public:
  using Handler = std::function<void(const RawRequest&, RawConnection&)>;

  // Listens on host:0 (an ephemeral port).
  explicit HostileServer(const std::string& host = "127.0.0.1");
  ~HostileServer();  // stops, closes every connection, joins every thread
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  int port() const { return port_; }
  std::string url() const;  // "http://host:port"
  void set_handler(Handler handler);
  int connections() const { return connections_.load(); }
  std::vector<RawRequest> requests();

 private:
  void AcceptLoop();
  void Serve(int fd);

  std::string host_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::mutex mu_;
  Handler handler_;
  std::vector<RawRequest> requests_;
  std::atomic<int> active_{0};  // running connection threads (detached)
  std::thread acceptor_;
};

}  // namespace chorus::testing
