// Whole answers or none (service/edge/whole_answer.hpp) on a real
// cpp-httplib server on 127.0.0.1, read by a raw socket client: while the
// answer is being written nothing of it reaches the client; a connection
// that ends then (as when the replica is killed) leaves a reset and not one
// byte; once written, the answer arrives whole and the connection is back
// to a normal close.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "service/edge/whole_answer.hpp"

using namespace rubric::service;

namespace {

const std::string body = "the whole answer";

// A server that holds answers whole, with one route whose body is written
// by a content provider: it runs after cpp-httplib has written the headers
// and before the body, the moment a killed replica would leave half an answer.
struct held_server {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<int> client{-1};        // the test's socket, to look at from the server side
  std::atomic<bool> headers_seen{false};  // did any byte reach the client before the body?
  std::atomic<bool> die_mid_answer{false};
  std::atomic<int> cork{-1}, linger_on{-1};  // the connection's options when a request arrives

  const bool v6;
  explicit held_server(bool ipv6 = false) : v6(ipv6) {
    server.set_post_routing_handler([](const httplib::Request& req, httplib::Response&) { hold_answer(req); });
    server.set_logger([](const httplib::Request& req, const httplib::Response&) { release_answer(req); });
    server.Get("/answer", [this](const httplib::Request& req, httplib::Response& res) {
      record_options(connection_socket(req));
      res.set_content_provider(body.size(), "text/plain", [this, &req](std::size_t, std::size_t, httplib::DataSink& sink) {
        pollfd p{client.load(), POLLIN, 0};
        headers_seen = ::poll(&p, 1, 100) > 0;
        if (die_mid_answer) {
          // The kernel closes a killed process's sockets; here /dev/null
          // takes the socket's descriptor, so its last reference goes the same way.
          int devnull = ::open("/dev/null", O_WRONLY);
          ::dup2(devnull, connection_socket(req));
          ::close(devnull);
        }
        sink.write(body.data(), body.size());
        return true;
      });
    });
    port = server.bind_to_any_port(v6 ? "::1" : "127.0.0.1");
    if (port < 0) return;  // no IPv6 loopback here
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~held_server() {
    server.stop();
    if (thread.joinable()) thread.join();
  }

  void record_options(int fd) {
    int value = 0;
    socklen_t size = sizeof value;
    cork = fd >= 0 && getsockopt(fd, IPPROTO_TCP, TCP_CORK, &value, &size) == 0 ? value : -1;
    linger l{};
    size = sizeof l;
    linger_on = fd >= 0 && getsockopt(fd, SOL_SOCKET, SO_LINGER, &l, &size) == 0 ? l.l_onoff : -1;
  }

  int connect_client() {
    int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    if (v6) {
      sockaddr_in6 addr{};
      addr.sin6_family = AF_INET6;
      addr.sin6_port = htons(static_cast<uint16_t>(port));
      addr.sin6_addr = in6addr_loopback;
      REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    } else {
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<uint16_t>(port));
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
    client = fd;
    return fd;
  }
};

// Sends GET /answer and reads until the answer is complete or the
// connection ends; `error` is the errno that ended it (0: none).
std::string ask(int fd, int& error) {
  const std::string request = "GET /answer HTTP/1.1\r\nHost: test\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string got;
  error = 0;
  char buffer[4096];
  while (got.find("\r\n\r\n") == std::string::npos || !got.ends_with(body)) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      error = n < 0 ? errno : 0;
      break;
    }
    got.append(buffer, static_cast<std::size_t>(n));
  }
  return got;
}

}  // namespace

TEST_CASE("whole answer: nothing leaves before the body is written, then all of it", "[whole_answer]") {
  held_server s;
  int fd = s.connect_client();
  int error = 0;
  std::string first = ask(fd, error);
  CHECK_FALSE(s.headers_seen);
  CHECK(first.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(first.ends_with("\r\n\r\n" + body));
  // The next request on the same connection finds it uncorked, with a normal close.
  std::string second = ask(fd, error);
  CHECK(second.ends_with(body));
  CHECK(s.cork == 0);
  CHECK(s.linger_on == 0);
  ::close(fd);
}

// The connection is found by comparing addresses in binary (whole_answer.cpp):
// the same over IPv6.
TEST_CASE("whole answer: over IPv6 loopback too", "[whole_answer]") {
  held_server s(true);
  if (s.port < 0) {
    WARN("no IPv6 loopback on this machine: not tested");
    return;
  }
  int fd = s.connect_client();
  int error = 0;
  std::string first = ask(fd, error);
  CHECK_FALSE(s.headers_seen);
  CHECK(first.ends_with("\r\n\r\n" + body));
  // The handler found the connection (-1: not found), before it was held.
  CHECK(s.cork == 0);
  CHECK(s.linger_on == 0);
  ::close(fd);
}

TEST_CASE("whole answer: a connection that ends mid-answer leaves a reset and no byte of it", "[whole_answer]") {
  held_server s;
  s.die_mid_answer = true;
  int fd = s.connect_client();
  int error = 0;
  std::string got = ask(fd, error);
  CHECK(got.empty());
  CHECK(error == ECONNRESET);
  ::close(fd);
}
