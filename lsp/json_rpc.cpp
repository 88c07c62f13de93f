// Content-Length framing for JSON-RPC (see json_rpc.hpp).
#include "lsp/json_rpc.hpp"

#include <cctype>
#include <charconv>

namespace rubric::lsp {

namespace {

// Frames larger than this are refused rather than allocated (a broken client
// must not be able to make the server allocate gigabytes).
constexpr std::size_t max_frame = 256u << 20;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

incoming read_message(std::istream& in) {
  incoming result;
  std::optional<std::size_t> length;
  std::string line;
  bool any_line = false;
  while (std::getline(in, line)) {
    any_line = true;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;  // end of the header block
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    if (lower(line.substr(0, colon)) != "content-length") continue;
    std::string value = line.substr(colon + 1);
    std::size_t start = value.find_first_not_of(' ');
    std::size_t n = 0;
    if (start == std::string::npos) continue;
    auto [ptr, ec] = std::from_chars(value.data() + start, value.data() + value.size(), n);
    if (ec == std::errc{}) length = n;
  }
  if (!any_line && !in) {
    result.status = read_status::end_of_stream;
    return result;
  }
  if (!length || *length > max_frame) {
    if (!in) {
      result.status = read_status::end_of_stream;
      return result;
    }
    result.status = read_status::bad_header;
    result.error = length ? "frame too large" : "missing Content-Length header";
    return result;
  }
  std::string body(*length, '\0');
  in.read(body.data(), static_cast<std::streamsize>(*length));
  if (static_cast<std::size_t>(in.gcount()) != *length) {
    result.status = read_status::end_of_stream;
    return result;
  }
  result.message = json::parse(body, nullptr, false);
  if (result.message.is_discarded() || !result.message.is_object()) {
    result.status = read_status::bad_json;
    result.error = "the message body is not a JSON object";
    result.message = json();
  }
  return result;
}

void message_writer::write(const json& message) {
  // Invalid UTF-8 in a diagnostic (hostile input) must not throw: replace it.
  std::string body = message.dump(-1, ' ', false, json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(mutex_);
  out_ << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out_.flush();
}

}  // namespace rubric::lsp
