// Formatting through the compiler's `rubric fmt`: the whole document as one
// edit, or for a range the changed line hunks that touch it (a line diff of
// the document against its canonical form). A file that does not parse is
// left alone: its diagnostics already say why.
#include <algorithm>

#include "compiler/tools/format.hpp"
#include "lsp/features.hpp"
#include "lsp/protocol.hpp"

namespace rubric::lsp {

namespace {

std::optional<std::string> formatted(const document& doc) {
  compiler::source_manager sources;
  compiler::diagnostic_sink sink;
  return compiler::format_source(sources, doc.path(), doc.text(), sink);
}

std::vector<std::string_view> lines_of(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) nl = s.size() - 1;
    out.push_back(s.substr(start, nl - start + 1));  // with its newline
    start = nl + 1;
  }
  return out;
}

struct hunk {
  std::size_t old_begin, old_end;  // lines [old_begin, old_end) of the document
  std::string replacement;
};

// Hunks turning `a` into `b`: common prefix and suffix, then an LCS over the
// middle when it is small enough, else one hunk for the middle.
std::vector<hunk> diff_lines(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  std::vector<hunk> out;
  if (n == 0 && m == 0) return out;
  auto join = [&](std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t i = from; i < to; ++i) s += b[i];
    return s;
  };
  if (n * m > 4'000'000) {
    out.push_back({pre, pre + n, join(pre, pre + m)});
    return out;
  }
  // lcs[i][j]: LCS length of a[pre+i..] and b[pre+j..].
  std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = a[pre + i] == b[pre + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[pre + i] == b[pre + j]) {
      ++i, ++j;
      continue;
    }
    std::size_t hi = i, hj = j;
    while ((i < n || j < m) && !(i < n && j < m && a[pre + i] == b[pre + j])) {
      if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) ++j;
      else ++i;
    }
    out.push_back({pre + hi, pre + i, join(pre + hj, pre + j)});
  }
  return out;
}

json edit(const document& doc, std::size_t old_begin, std::size_t old_end, const std::string& text) {
  const line_table& t = doc.lines();
  auto offset = [&](std::size_t line) {
    return line < t.line_count() ? t.line_start(line) : static_cast<std::uint32_t>(doc.text().size());
  };
  range r{doc.position_of(offset(old_begin)), doc.position_of(offset(old_end))};
  return {{"range", to_json(r)}, {"newText", text}};
}

}  // namespace

json format_document(const document& doc) {
  json out = json::array();
  auto text = formatted(doc);
  if (!text || *text == doc.text()) return out;
  range whole{{0, 0}, doc.position_of(static_cast<std::uint32_t>(doc.text().size()))};
  out.push_back({{"range", to_json(whole)}, {"newText", *text}});
  return out;
}

json format_range(const document& doc, const range& r) {
  json out = json::array();
  auto text = formatted(doc);
  if (!text || *text == doc.text()) return out;
  auto old_lines = lines_of(doc.text());
  auto new_lines = lines_of(*text);
  for (const hunk& h : diff_lines(old_lines, new_lines)) {
    // A hunk touches the range when its lines overlap [start.line, end.line];
    // an insertion (empty old side) counts at its position.
    std::size_t last = h.old_end > h.old_begin ? h.old_end - 1 : h.old_begin;
    if (last < r.start.line || h.old_begin > r.end.line) continue;
    out.push_back(edit(doc, h.old_begin, h.old_end, h.replacement));
  }
  return out;
}

}  // namespace rubric::lsp
