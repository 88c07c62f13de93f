// `rubric lsp`: a Language Server Protocol 3.17 server over stdio. A reader
// thread frames messages into a queue; the main loop answers requests in
// order, reanalyses changed documents once typing pauses (debounce), and hands
// saved documents to a lint worker whose solver findings come back through the
// same queue. See docs/editor.md.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <istream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "lsp/analysis.hpp"
#include "lsp/document.hpp"
#include "lsp/json_rpc.hpp"

namespace rubric::lsp {

struct server_options {
  std::vector<std::string> include_paths;  // -I folders from the command line
  int debounce_ms = 150;                   // quiet time after a change before reanalysis
  std::string version = "0";
};

class server {
 public:
  server(std::istream& in, std::ostream& out, server_options options);
  ~server();
  // Serves until `exit` or the end of input. 0 after shutdown + exit, else 1.
  int run();

 private:
  using clock = std::chrono::steady_clock;

  struct open_document {
    std::unique_ptr<document> doc;
    std::shared_ptr<const analysis> current;    // for the text as it is
    std::shared_ptr<const analysis> last_good;  // the last one that parsed (completion while broken)
    bool dirty = false;
    clock::time_point due;
    json lint_diagnostics;                      // from the last save, valid for lint_version
    std::int64_t lint_version = -1;
    bool lint_pending = false;
  };

  struct lint_job {
    std::string uri, path, text;
    std::int64_t version = 0;
    std::vector<std::string> include_paths;
  };

  // Queue items: a client message, or a finished lint.
  struct queued {
    json message;
    std::optional<lint_job> lint_done;
    json lint_diagnostics;
    bool end_of_input = false;
  };

  // The queue between the threads. Shared with the reader thread, which may
  // still be blocked on input after the server is gone (it is detached then).
  struct channel {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<queued> items;
    void push(queued q);
  };

  static void read_loop(std::istream& in, std::shared_ptr<channel> to, bool trace);
  void lint_loop();

  void handle(const json& message);
  void handle_request(const std::string& method, const json& id, const json& params);
  void handle_notification(const std::string& method, const json& params);
  json dispatch(const std::string& method, const json& params);

  void respond(const json& id, json result);
  void respond_error(const json& id, int code, const std::string& message);
  void notify(const std::string& method, json params);
  void show_message(int type, const std::string& text);

  json initialize(const json& params);
  void did_open(const json& params);
  void did_change(const json& params);
  void did_save(const json& params);
  void did_close(const json& params);
  void watched_files_changed(const json& params);
  void workspace_folders_changed(const json& params);

  open_document* find(const json& params);
  open_document& require(const json& params);
  void reanalyse(open_document& d);
  void reanalyse_due();
  void publish(open_document& d);
  void lint_finished(const lint_job& job, json diagnostics);
  std::vector<std::string> include_paths() const;
  std::vector<std::shared_ptr<const analysis>> all_analyses() const;

  std::istream& in_;
  message_writer out_;
  server_options options_;
  std::vector<std::string> client_includes_, workspace_folders_;
  std::map<std::string, open_document> documents_;  // by URI
  bool initialized_ = false, shutdown_ = false, exited_ = false;
  bool trace_ = false;

  std::shared_ptr<channel> channel_ = std::make_shared<channel>();

  std::mutex lint_mutex_;
  std::condition_variable lint_ready_;
  std::deque<lint_job> lint_jobs_;
  bool stopping_ = false;
  std::thread reader_, linter_;
};

}  // namespace rubric::lsp
