// The sockets behind cpp-httplib's requests, which httplib does not hand to
// handlers: found through /proc/self/fd by their ports.
#pragma once

#include <functional>
#include <string>

namespace sandbox {

// 127.0.0.0/8, ::1 and their IPv4-mapped forms.
bool IsLoopback(const std::string& addr);
// Calls fn(fd) for each connected socket of this process whose local port is
// local_port and, unless remote_port is -1, whose peer port is remote_port.
void ForEachConnection(int local_port, int remote_port, const std::function<void(int)>& fn);
// Aborts the connection (RST, no answer) between these two ports, so that
// httplib's write of the response fails and it closes the connection.
void DropConnection(int local_port, int remote_port);
// Corks (TCP_CORK) or uncorks the connection between these two ports.
// httplib serves a connection on one thread from its first request to its
// last, so each thread remembers the socket of its current connection and
// looks through /proc only when the connection changes.
void CorkConnection(int local_port, int remote_port, bool cork);

}  // namespace sandbox
