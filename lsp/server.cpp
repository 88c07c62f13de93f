// The server loop, lifecycle and document synchronisation (see server.hpp).
#include "lsp/server.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>

#include "compiler/lint/lint.hpp"
#include "compiler/sema/modules.hpp"
#include "lsp/features.hpp"
#include "lsp/protocol.hpp"

namespace rubric::lsp {

namespace fs = std::filesystem;

namespace {

// JSON-RPC and LSP error codes.
constexpr int parse_error = -32700;
constexpr int invalid_request = -32600;
constexpr int method_not_found = -32601;
constexpr int invalid_params = -32602;
constexpr int internal_error = -32603;
constexpr int server_not_initialized = -32002;

json to_lsp(span_mapper& spans, const std::vector<compiler::diagnostic>& ds) {
  json out = json::array();
  for (const auto& d : ds) out.push_back(to_lsp_diagnostic(spans, d));
  return out;
}

// The full lint (solver findings of every severity) of one saved document.
json run_lint(const std::string& path, const std::string& text, const std::vector<std::string>& include_paths) {
  compiler::lint_options options;
  options.include_paths = include_paths;
  options.timeout_ms = 5000;
  compiler::compile_result r = compiler::lint_text(path, text, options);
  span_mapper spans(r.sources);
  std::vector<compiler::diagnostic> root;
  for (const auto& d : r.diagnostics.items())
    if (d.primary.file == 0) root.push_back(d);
  return to_lsp(spans, root);
}

}  // namespace

server::server(std::istream& in, std::ostream& out, server_options options)
    : in_(in), out_(out), options_(std::move(options)) {
  // std::cin is tied to std::cout: every read would flush the output from the
  // reader thread while the main thread writes. Only the writer touches it.
  in_.tie(nullptr);
  // RUBRIC_LSP_TRACE=1 logs each incoming message (shortened) to stderr.
  const char* trace = std::getenv("RUBRIC_LSP_TRACE");
  trace_ = trace != nullptr && *trace != '\0' && *trace != '0';
}

server::~server() {
  {
    std::lock_guard<std::mutex> lock(lint_mutex_);
    stopping_ = true;
  }
  lint_ready_.notify_all();
  if (linter_.joinable()) linter_.join();
  // The reader may still be blocked on input the client never closes.
  if (reader_.joinable()) reader_.detach();
}

void server::channel::push(queued q) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    items.push_back(std::move(q));
  }
  ready.notify_one();
}

void server::read_loop(std::istream& in, std::shared_ptr<channel> to, bool trace) {
  while (true) {
    incoming m = read_message(in);
    if (m.status == read_status::end_of_stream) {
      queued q;
      q.end_of_input = true;
      to->push(std::move(q));
      return;
    }
    if (trace) std::fprintf(stderr, "rubric lsp: <- %s\n", m.message.dump().substr(0, 200).c_str());
    queued q;
    if (m.status == read_status::ok) {
      q.message = std::move(m.message);
    } else {
      // Answered by the main loop as a parse error (no id is known).
      q.message = {{"rubric/bad-message", m.error}};
    }
    to->push(std::move(q));
  }
}

void server::lint_loop() {
  while (true) {
    lint_job job;
    {
      std::unique_lock<std::mutex> lock(lint_mutex_);
      lint_ready_.wait(lock, [&] { return stopping_ || !lint_jobs_.empty(); });
      if (stopping_) return;
      job = std::move(lint_jobs_.front());
      lint_jobs_.pop_front();
    }
    queued q;
    q.lint_diagnostics = run_lint(job.path, job.text, job.include_paths);
    q.lint_done = std::move(job);
    channel_->push(std::move(q));
  }
}

int server::run() {
  reader_ = std::thread(read_loop, std::ref(in_), channel_, trace_);
  linter_ = std::thread([this] { lint_loop(); });
  while (!exited_) {
    queued q;
    {
      channel& c = *channel_;
      std::unique_lock<std::mutex> lock(c.mutex);
      auto due = clock::time_point::max();
      for (const auto& [uri, d] : documents_)
        if (d.dirty) due = std::min(due, d.due);
      if (due == clock::time_point::max()) {
        c.ready.wait(lock, [&] { return !c.items.empty(); });
      } else if (!c.ready.wait_until(lock, due, [&] { return !c.items.empty(); })) {
        lock.unlock();
        reanalyse_due();
        continue;
      }
      q = std::move(c.items.front());
      c.items.pop_front();
    }
    if (q.end_of_input) break;
    if (q.lint_done) {
      lint_finished(*q.lint_done, std::move(q.lint_diagnostics));
      continue;
    }
    handle(q.message);
  }
  return exited_ && shutdown_ ? 0 : 1;
}

void server::handle(const json& message) {
  if (message.contains("rubric/bad-message")) {
    out_.write({{"jsonrpc", "2.0"}, {"id", nullptr},
                {"error", {{"code", parse_error}, {"message", message["rubric/bad-message"].get<std::string>()}}}});
    return;
  }
  const json params = message.contains("params") ? message["params"] : json::object();
  if (!message.contains("method") || !message["method"].is_string()) {
    if (message.contains("id")) respond_error(message["id"], invalid_request, "a request needs a method");
    return;  // a response to something we never sent: ignore
  }
  std::string method = message["method"].get<std::string>();
  if (message.contains("id")) handle_request(method, message["id"], params);
  else handle_notification(method, params);
}

void server::handle_request(const std::string& method, const json& id, const json& params) {
  if (method == "initialize") {
    if (initialized_) return respond_error(id, invalid_request, "initialize was already received");
    initialized_ = true;
    return respond(id, initialize(params));
  }
  if (!initialized_) return respond_error(id, server_not_initialized, "the server has not been initialized");
  if (shutdown_) return respond_error(id, invalid_request, "the server is shutting down");
  if (method == "shutdown") {
    shutdown_ = true;
    return respond(id, nullptr);
  }
  try {
    respond(id, dispatch(method, params));
  } catch (const json::exception& e) {
    respond_error(id, invalid_params, std::string("malformed parameters: ") + e.what());
  } catch (const std::out_of_range& e) {
    respond_error(id, method_not_found, e.what());
  } catch (const std::invalid_argument& e) {
    respond_error(id, invalid_params, e.what());
  } catch (const std::exception& e) {
    respond_error(id, internal_error, e.what());
  }
}

json server::dispatch(const std::string& method, const json& params) {
  static const std::set<std::string> known = {
      "textDocument/formatting", "textDocument/rangeFormatting", "textDocument/completion",
      "textDocument/hover",      "textDocument/definition",      "textDocument/references",
      "textDocument/codeAction", "textDocument/documentSymbol",  "textDocument/foldingRange",
      "textDocument/semanticTokens/full"};
  if (!known.count(method)) throw std::out_of_range("unknown method `" + method + "`");
  if (method == "textDocument/formatting") return format_document(*require(params).doc);
  if (method == "textDocument/rangeFormatting")
    return format_range(*require(params).doc, range_from_json(params.at("range")));
  if (method == "textDocument/completion") {
    open_document& d = require(params);
    const analysis* a = d.current && d.current->has_program() ? d.current.get() : d.last_good.get();
    std::string trigger;
    if (params.contains("context") && params["context"].contains("triggerCharacter"))
      trigger = params["context"]["triggerCharacter"].get<std::string>();
    return completion(a, *d.doc, position_from_json(params.at("position")), trigger);
  }
  open_document& d = require(params);
  const analysis& a = *d.current;
  if (method == "textDocument/hover") return hover(a, *d.doc, position_from_json(params.at("position")));
  if (method == "textDocument/definition") return definition(a, *d.doc, position_from_json(params.at("position")));
  if (method == "textDocument/references") {
    bool decl = params.contains("context") && params["context"].value("includeDeclaration", false);
    return references(a, *d.doc, position_from_json(params.at("position")), decl, all_analyses());
  }
  if (method == "textDocument/codeAction") return code_actions(a, *d.doc, params);
  if (method == "textDocument/documentSymbol") return document_symbols(a, *d.doc);
  if (method == "textDocument/foldingRange") return folding_ranges(a, *d.doc);
  return semantic_tokens(a, *d.doc);
}

void server::handle_notification(const std::string& method, const json& params) {
  if (method == "exit") {
    exited_ = true;
    return;
  }
  if (!initialized_ || shutdown_) return;  // dropped, as the protocol says
  try {
    if (method == "initialized") {
      std::error_code ec;
      fs::path stdlib = fs::path(compiler::stdlib_root()) / "stdlib";
      if (!fs::is_directory(stdlib, ec))
        show_message(2, "rubric lsp: the standard library was not found at `" + stdlib.string() +
                            "`; imports of `stdlib.…` will fail. Set RUBRIC_HOME to the folder that holds `stdlib/`.");
    } else if (method == "textDocument/didOpen") {
      did_open(params);
    } else if (method == "textDocument/didChange") {
      did_change(params);
    } else if (method == "textDocument/didSave") {
      did_save(params);
    } else if (method == "textDocument/didClose") {
      did_close(params);
    } else if (method == "workspace/didChangeWatchedFiles") {
      watched_files_changed(params);
    } else if (method == "workspace/didChangeWorkspaceFolders") {
      workspace_folders_changed(params);
    } else if (method == "workspace/didChangeConfiguration") {
      if (params.contains("settings") && params["settings"].contains("rubric")) {
        const json& s = params["settings"]["rubric"];
        if (s.contains("includePaths")) client_includes_ = s["includePaths"].get<std::vector<std::string>>();
        for (auto& [uri, d] : documents_) reanalyse(d);
      }
    }
  } catch (const std::exception& e) {
    show_message(1, std::string("rubric lsp: could not handle ") + method + ": " + e.what());
  }
}

void server::respond(const json& id, json result) {
  out_.write({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void server::respond_error(const json& id, int code, const std::string& message) {
  out_.write({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

void server::notify(const std::string& method, json params) {
  out_.write({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
}

void server::show_message(int type, const std::string& text) {
  notify("window/showMessage", {{"type", type}, {"message", text}});
}

json server::initialize(const json& params) {
  if (params.contains("initializationOptions") && params["initializationOptions"].is_object()) {
    const json& o = params["initializationOptions"];
    if (o.contains("includePaths")) client_includes_ = o["includePaths"].get<std::vector<std::string>>();
    if (o.contains("debounceMs")) options_.debounce_ms = o["debounceMs"].get<int>();
  }
  if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array()) {
    for (const auto& f : params["workspaceFolders"]) workspace_folders_.push_back(path_from_uri(f.value("uri", "")));
  } else if (params.contains("rootUri") && params["rootUri"].is_string()) {
    workspace_folders_.push_back(path_from_uri(params["rootUri"].get<std::string>()));
  }
  json sync = {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}};
  json capabilities = {
      {"positionEncoding", "utf-16"},
      {"textDocumentSync", sync},
      {"hoverProvider", true},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"completionProvider", {{"triggerCharacters", {"\"", "{", " ", ","}}}},
      {"documentFormattingProvider", true},
      {"documentRangeFormattingProvider", true},
      {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
      {"documentSymbolProvider", true},
      {"foldingRangeProvider", true},
      {"semanticTokensProvider", {{"legend", semantic_tokens_legend()}, {"full", true}}},
      {"workspace", {{"workspaceFolders", {{"supported", true}, {"changeNotifications", true}}}}}};
  return {{"capabilities", capabilities}, {"serverInfo", {{"name", "rubric"}, {"version", options_.version}}}};
}

std::vector<std::string> server::include_paths() const {
  std::vector<std::string> paths = options_.include_paths;
  paths.insert(paths.end(), client_includes_.begin(), client_includes_.end());
  paths.insert(paths.end(), workspace_folders_.begin(), workspace_folders_.end());
  return paths;
}

std::vector<std::shared_ptr<const analysis>> server::all_analyses() const {
  std::vector<std::shared_ptr<const analysis>> out;
  for (const auto& [uri, d] : documents_)
    if (d.current) out.push_back(d.current);
  return out;
}

server::open_document* server::find(const json& params) {
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  auto it = documents_.find(uri);
  return it == documents_.end() ? nullptr : &it->second;
}

server::open_document& server::require(const json& params) {
  open_document* d = find(params);
  if (d == nullptr) throw std::invalid_argument("the document is not open");
  if (d->dirty) reanalyse(*d);  // answer about the text as it is now
  return *d;
}

void server::reanalyse(open_document& d) {
  d.dirty = false;
  d.current = analyze(d.doc->path(), d.doc->text(), {include_paths()});
  if (d.current->has_program()) d.last_good = d.current;
  publish(d);
}

void server::reanalyse_due() {
  auto now = clock::now();
  for (auto& [uri, d] : documents_)
    if (d.dirty && d.due <= now) reanalyse(d);
}

void server::publish(open_document& d) {
  json diagnostics;
  if (d.lint_version == d.doc->version() && !d.lint_pending) {
    diagnostics = d.lint_diagnostics;  // the saved text: solver findings included
  } else {
    span_mapper spans(d.current->sources());
    diagnostics = to_lsp(spans, d.current->diagnostics);
  }
  notify("textDocument/publishDiagnostics",
         {{"uri", d.doc->uri()}, {"version", d.doc->version()}, {"diagnostics", std::move(diagnostics)}});
}

void server::did_open(const json& params) {
  const json& td = params.at("textDocument");
  std::string uri = td.at("uri").get<std::string>();
  open_document d;
  d.doc = std::make_unique<document>(uri, path_from_uri(uri), td.at("text").get<std::string>(),
                                     td.value("version", std::int64_t{0}));
  auto [it, inserted] = documents_.insert_or_assign(uri, std::move(d));
  reanalyse(it->second);
}

void server::did_change(const json& params) {
  open_document* d = find(params);
  if (d == nullptr) return;
  std::int64_t version = params.at("textDocument").value("version", d->doc->version() + 1);
  for (const auto& change : params.at("contentChanges")) {
    std::string text = change.at("text").get<std::string>();
    if (change.contains("range")) d->doc->edit(range_from_json(change["range"]), text, version);
    else d->doc->replace(std::move(text), version);
  }
  d->dirty = true;
  d->due = clock::now() + std::chrono::milliseconds(options_.debounce_ms);
}

void server::did_save(const json& params) {
  open_document* d = find(params);
  if (d == nullptr) return;
  if (params.contains("text") && params["text"].is_string())
    d->doc->replace(params["text"].get<std::string>(), d->doc->version());
  if (d->dirty) reanalyse(*d);
  d->lint_pending = true;
  {
    std::lock_guard<std::mutex> lock(lint_mutex_);
    lint_jobs_.push_back({d->doc->uri(), d->doc->path(), d->doc->text(), d->doc->version(), include_paths()});
  }
  lint_ready_.notify_one();
}

void server::lint_finished(const lint_job& job, json diagnostics) {
  auto it = documents_.find(job.uri);
  if (it == documents_.end()) return;
  open_document& d = it->second;
  d.lint_pending = false;
  if (job.version != d.doc->version() || job.text != d.doc->text()) return;  // edited since: stale
  d.lint_version = job.version;
  d.lint_diagnostics = std::move(diagnostics);
  publish(d);
}

void server::did_close(const json& params) {
  std::string uri = params.at("textDocument").at("uri").get<std::string>();
  documents_.erase(uri);
  notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}});
}

void server::watched_files_changed(const json& params) {
  for (const auto& change : params.value("changes", json::array())) {
    std::string uri = change.value("uri", "");
    auto it = documents_.find(uri);
    if (change.value("type", 0) == 3 && it != documents_.end())
      show_message(2, "rubric lsp: `" + it->second.doc->path() +
                          "` was deleted on disk; its text stays open here and is still checked");
  }
  // An import may have changed, appeared or gone: check every open document again.
  for (auto& [uri, d] : documents_) {
    d.lint_version = -1;
    reanalyse(d);
  }
}

void server::workspace_folders_changed(const json& params) {
  const json& event = params.at("event");
  for (const auto& f : event.value("removed", json::array())) {
    std::string path = path_from_uri(f.value("uri", ""));
    std::erase(workspace_folders_, path);
  }
  for (const auto& f : event.value("added", json::array())) workspace_folders_.push_back(path_from_uri(f.value("uri", "")));
  for (auto& [uri, d] : documents_) reanalyse(d);
}

}  // namespace rubric::lsp
