// Whole answers or none, even when a replica is killed mid-answer.
//
// cpp-httplib 0.11 writes an answer with two send() calls: the status line
// and headers, then the body. A replica killed (SIGKILL) between the two
// leaves the headers on the connection and then closes it. A proxy that has
// read a response header is committed to that answer — nginx passes a
// request to the next replica only while nothing of the answer has come
// (`proxy_next_upstream`) — so it can only cut its client off ("upstream
// prematurely closed connection while reading upstream"): one failed call.
//
// So the answer is held back until it is whole: just before cpp-httplib
// writes it (hold_answer, from the post-routing handler) the connection is
// corked (TCP_CORK: nothing partial leaves) and set to close abortively
// (SO_LINGER 0: any close, the kernel's for a killed process included,
// drops the unsent bytes and resets the connection); once the body is
// written (release_answer, from the logger cpp-httplib calls after the
// body) the normal close comes back first and the cork goes second, which
// sends the answer. A replica that dies at any point before leaves a reset
// and not one byte of its answer, which the proxy retries elsewhere; one
// that dies after has sent the whole answer.
//
// Linux only (TCP_CORK); elsewhere both calls do nothing.
#pragma once

namespace httplib {
struct Request;
}

namespace rubric::service {

// Corks the request's connection and makes its close abortive.
void hold_answer(const httplib::Request& req);
// Restores the normal close, then uncorks: the whole answer leaves.
void release_answer(const httplib::Request& req);

// The socket of the connection `req` came on, or -1 (exposed for tests).
// cpp-httplib 0.11 does not hand it to handlers; the worker thread that
// serves the request finds it by the connection's addresses and keeps it
// while the connection lasts.
int connection_socket(const httplib::Request& req);

}  // namespace rubric::service
