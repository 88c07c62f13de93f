// Silences: `# rubric: allow(R0601, R0505) reason…` at the end of a line, or
// alone on the line above, silences those warnings and infos on that line.
// A silence without a reason, or one that silences nothing, is itself a lint.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "compiler/lint/lint.hpp"

namespace rubric::compiler {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The offset of the `#` that starts a comment on this line, or npos.
std::size_t comment_start(std::string_view line) {
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '#') {
      return i;
    }
  }
  return std::string_view::npos;
}

bool silenceable(const diagnostic& d) {
  std::string_view code = info(d.code).code;
  bool ours = code.substr(0, 3) == "R05" || code.substr(0, 3) == "R06";
  return ours && d.level != severity::error && d.code != diag_code::silence_without_reason &&
         d.code != diag_code::silence_unused;
}

}  // namespace

std::vector<silence> find_silences(const source_manager& sources, file_id file) {
  std::vector<silence> out;
  std::string_view text = sources.text(file);
  std::uint32_t line_no = 0;
  std::size_t pos = 0;
  std::vector<std::size_t> pending;  // silences on comment-only lines waiting for their target
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    std::size_t hash = comment_start(line);
    bool comment_only = hash != std::string_view::npos && trim(line.substr(0, hash)).empty();
    bool blank = trim(line).empty();
    if (!comment_only && !blank) {
      for (std::size_t i : pending) out[i].target_line = line_no;
      pending.clear();
    }
    if (hash != std::string_view::npos) {
      std::string_view body = trim(line.substr(hash + 1));
      constexpr std::string_view tag = "rubric:";
      if (body.substr(0, tag.size()) == tag) {
        std::string_view rest = trim(body.substr(tag.size()));
        if (rest.substr(0, 6) == "allow(" && rest.find(')') != std::string_view::npos) {
          silence s;
          s.file = file;
          s.line = line_no;
          s.target_line = comment_only ? 0 : line_no;
          std::size_t close = rest.find(')');
          std::string_view list = rest.substr(6, close - 6);
          while (!list.empty()) {
            std::size_t comma = list.find(',');
            std::string_view code = trim(list.substr(0, comma));
            if (!code.empty()) s.codes.emplace_back(code);
            if (comma == std::string_view::npos) break;
            list.remove_prefix(comma + 1);
          }
          std::string_view reason = trim(rest.substr(close + 1));
          while (!reason.empty() && (reason.front() == '-' || reason.front() == ':')) reason = trim(reason.substr(1));
          s.reason = std::string(reason);
          auto begin = static_cast<std::uint32_t>(pos + hash);
          s.where = span{file, begin, static_cast<std::uint32_t>(pos + line.size())};
          if (comment_only) pending.push_back(out.size());
          out.push_back(std::move(s));
        }
      }
    }
    if (end == text.size()) break;
    pos = end + 1;
  }
  return out;
}

void apply_silences(const source_manager& sources, const std::vector<file_id>& files, diagnostic_sink& sink) {
  std::vector<silence> all;
  for (file_id f : files) {
    std::vector<silence> s = find_silences(sources, f);
    all.insert(all.end(), s.begin(), s.end());
  }
  if (all.empty()) return;
  std::vector<bool> used(all.size(), false);
  std::vector<diagnostic> kept;
  for (const diagnostic& d : sink.items()) {
    bool silenced = false;
    if (silenceable(d) && d.primary.file < sources.file_count()) {
      std::uint32_t line = sources.begin_of(d.primary).line;
      for (std::size_t i = 0; i < all.size(); ++i) {
        const silence& s = all[i];
        if (s.file != d.primary.file || s.target_line != line) continue;
        if (std::find(s.codes.begin(), s.codes.end(), info(d.code).code) == s.codes.end()) continue;
        used[i] = true;
        silenced = true;
      }
    }
    if (!silenced) kept.push_back(d);
  }
  sink.clear();
  for (diagnostic& d : kept) sink.report(std::move(d));
  for (std::size_t i = 0; i < all.size(); ++i) {
    const silence& s = all[i];
    std::string codes = fmt::format("{}", fmt::join(s.codes, ", "));
    if (s.reason.empty()) {
      sink.report(diag_code::silence_without_reason, s.where,
                  fmt::format("this `rubric: allow({})` gives no reason", codes))
          .suggest(fmt::format("say why the finding does not apply: `# rubric: allow({}) <reason>`", codes));
    }
    if (!used[i]) {
      diagnostic& d = sink.report(diag_code::silence_unused, s.where,
                                  fmt::format("this `rubric: allow({})` silences nothing", codes));
      d.note(s.target_line == 0 ? std::string("there is no line after the comment")
                                : fmt::format("no warning with {} is reported on line {}", codes.empty() ? "a listed code" : codes,
                                              s.target_line));
      d.suggest("remove the comment, or put it on the line of the warning or the line above it");
    }
  }
}

}  // namespace rubric::compiler
