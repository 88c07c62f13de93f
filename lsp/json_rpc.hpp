// JSON-RPC 2.0 over a byte stream with LSP's `Content-Length` framing: one
// header block (`Content-Length: N`, optional `Content-Type`), a blank line,
// then N bytes of UTF-8 JSON. Reading never throws: a malformed frame or body
// comes back as an error the server can answer or log.
#pragma once

#include <istream>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace rubric::lsp {

using json = nlohmann::json;

enum class read_status { ok, end_of_stream, bad_header, bad_json };

struct incoming {
  read_status status = read_status::ok;
  json message;       // set when status is ok
  std::string error;  // what was wrong otherwise
};

// Reads one framed message (blocking).
incoming read_message(std::istream& in);

// Writes framed messages; one writer per stream, safe to call from threads.
class message_writer {
 public:
  explicit message_writer(std::ostream& out) : out_(out) {}
  void write(const json& message);

 private:
  std::ostream& out_;
  std::mutex mutex_;
};

}  // namespace rubric::lsp
