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

}  // namespace sandbox
