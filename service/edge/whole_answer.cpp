// Whole answers or none (whole_answer.hpp).
#include "service/edge/whole_answer.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include <httplib.h>

namespace rubric::service {
namespace {

// The numeric host and the port of a socket address, as cpp-httplib writes
// them into Request::remote_addr and remote_port.
bool host_and_port(const sockaddr_storage& addr, socklen_t length, std::string& host, int& port) {
  char text[NI_MAXHOST];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), length, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0) return false;
  host = text;
  if (addr.ss_family == AF_INET)
    port = ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
  else if (addr.ss_family == AF_INET6)
    port = ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
  else
    return false;
  return true;
}

// The port of an IPv4 or IPv6 socket address; -1 for another family.
int port_of(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
  return -1;
}

// Whether the socket address is `host` (numeric, as getnameinfo writes it)
// and `port`. The address is compared in binary, `host` read back with
// inet_pton, which gives the very bytes getnameinfo wrote it from: the same
// answer as comparing text, without formatting the address on every call
// (getnameinfo was ~7 % of a call's instructions). A scoped IPv6 address
// ("fe80::1%eth0") is compared as text.
bool is_endpoint(const sockaddr_storage& addr, socklen_t length, const std::string& host, int port) {
  if (port_of(addr) != port) return false;
  if (addr.ss_family == AF_INET) {
    in_addr want{};
    return inet_pton(AF_INET, host.c_str(), &want) == 1 &&
           reinterpret_cast<const sockaddr_in*>(&addr)->sin_addr.s_addr == want.s_addr;
  }
  if (addr.ss_family == AF_INET6 && host.find('%') == std::string::npos) {
    in6_addr want{};
    return inet_pton(AF_INET6, host.c_str(), &want) == 1 &&
           std::memcmp(&reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_addr, &want, sizeof want) == 0;
  }
  std::string text;
  int text_port = -1;
  return host_and_port(addr, length, text, text_port) && text_port == port && text == host;
}

// Whether `fd` is the connection `req` came on: the same peer address and
// port, and the same local port when cpp-httplib gives it.
bool is_connection_of(int fd, const httplib::Request& req) {
  sockaddr_storage addr{};
  socklen_t length = sizeof addr;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0 || !is_endpoint(addr, length, req.remote_addr, req.remote_port))
    return false;
  if (req.local_port < 0) return true;
  length = sizeof addr;
  return getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0 && port_of(addr) == req.local_port;
}

// Every open descriptor of the process, from /proc/self/fd.
int find_connection(const httplib::Request& req) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return -1;
  int found = -1;
  while (const dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    if (is_connection_of(static_cast<int>(fd), req)) {
      found = static_cast<int>(fd);
      break;
    }
  }
  closedir(dir);
  return found;
}

void set_abortive_close(int fd, bool on) {
  linger value{on ? 1 : 0, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, sizeof value);
}

#ifdef TCP_CORK
void set_cork(int fd, bool on) {
  int value = on ? 1 : 0;
  setsockopt(fd, IPPROTO_TCP, TCP_CORK, &value, sizeof value);
}
#endif

}  // namespace

int connection_socket(const httplib::Request& req) {
  // A worker thread serves one connection at a time, for many requests.
  thread_local int known = -1;
  if (req.remote_port < 0) return -1;
  if (known >= 0 && is_connection_of(known, req)) return known;
  known = find_connection(req);
  return known;
}

namespace {

// The connection hold_answer corked, for release_answer: cpp-httplib calls
// the post-routing handler and then the logger on the same worker thread
// with the same Request, so the second call needs no lookup of its own. The
// peer is kept too: a Request on the worker's stack has the same address
// for every request, and one that is not written has no logger call.
struct held_connection {
  const httplib::Request* request = nullptr;
  std::string remote_addr;
  int remote_port = -1;
  int socket = -1;
  bool held_for(const httplib::Request& req) const {
    return request == &req && remote_port == req.remote_port && remote_addr == req.remote_addr;
  }
};
thread_local held_connection held;

}  // namespace

void hold_answer(const httplib::Request& req) {
#ifdef TCP_CORK
  int fd = connection_socket(req);
  held.request = &req;
  held.remote_addr = req.remote_addr;
  held.remote_port = req.remote_port;
  held.socket = fd;
  if (fd < 0) return;
  set_cork(fd, true);
  set_abortive_close(fd, true);
#else
  (void)req;
#endif
}

void release_answer(const httplib::Request& req) {
#ifdef TCP_CORK
  int fd = held.held_for(req) ? held.socket : connection_socket(req);
  held.request = nullptr;
  if (fd < 0) return;
  set_abortive_close(fd, false);  // first: from here a close sends what is held
  set_cork(fd, false);            // sends the whole answer
#else
  (void)req;
#endif
}

}  // namespace rubric::service
