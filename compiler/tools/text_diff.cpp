// Unified diff over lines: a longest-common-subsequence table (files here are
// guideline sized); past a size cap the whole file is one replaced hunk.
#include "compiler/tools/text_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace rubric::compiler {

namespace {

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      out.push_back(s.substr(start));
      break;
    }
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

enum class op : std::uint8_t { keep, del, add };
struct edit {
  op kind;
  std::size_t a, b;  // line indices in before / after
};

std::vector<edit> diff_lines(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::size_t n = a.size(), m = b.size();
  // Common prefix and suffix first: formatting changes are usually local.
  std::size_t pre = 0;
  while (pre < n && pre < m && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < n - pre && suf < m - pre && a[n - 1 - suf] == b[m - 1 - suf]) ++suf;
  std::size_t an = n - pre - suf, bm = m - pre - suf;
  std::vector<edit> out;
  for (std::size_t i = 0; i < pre; ++i) out.push_back({op::keep, i, i});
  if (an * bm <= 4'000'000) {  // 16 MB of table at most
    std::vector<std::uint32_t> lcs((an + 1) * (bm + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (bm + 1) + j]; };
    for (std::size_t i = an; i-- > 0;) {
      for (std::size_t j = bm; j-- > 0;) {
        at(i, j) = a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0, j = 0;
    while (i < an || j < bm) {
      if (i < an && j < bm && a[pre + i] == b[pre + j]) {
        out.push_back({op::keep, pre + i++, pre + j++});
      } else if (i < an && (j == bm || at(i + 1, j) >= at(i, j + 1))) {
        out.push_back({op::del, pre + i++, pre + j});  // deletions first, as diff(1) prints them
      } else {
        out.push_back({op::add, pre + i, pre + j++});
      }
    }
  } else {
    for (std::size_t i = 0; i < an; ++i) out.push_back({op::del, pre + i, pre});
    for (std::size_t j = 0; j < bm; ++j) out.push_back({op::add, pre + an, pre + j});
  }
  for (std::size_t k = 0; k < suf; ++k) out.push_back({op::keep, n - suf + k, m - suf + k});
  return out;
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after, const std::string& path, int context) {
  if (before == after) return {};
  auto a = split_lines(before), b = split_lines(after);
  auto edits = diff_lines(a, b);
  // git's a/ b/ prefixes for relative paths; an absolute path is printed as is.
  bool absolute = !path.empty() && path[0] == '/';
  std::string out = absolute ? fmt::format("--- {}\n+++ {}\n", path, path) : fmt::format("--- a/{}\n+++ b/{}\n", path, path);
  std::size_t ctx = static_cast<std::size_t>(std::max(context, 0));
  std::size_t k = 0;
  bool any_change = false;
  while (k < edits.size()) {
    // Find the next change, then grow the hunk while changes are close together.
    while (k < edits.size() && edits[k].kind == op::keep) ++k;
    if (k == edits.size()) break;
    any_change = true;
    std::size_t first = k >= ctx ? k - ctx : 0;
    std::size_t last = k;  // last change in the hunk
    std::size_t j = k;
    while (j < edits.size()) {
      if (edits[j].kind != op::keep) {
        last = j;
        ++j;
        continue;
      }
      std::size_t run = j;
      while (run < edits.size() && edits[run].kind == op::keep) ++run;
      if (run == edits.size() || run - j > 2 * ctx) break;
      j = run;
    }
    std::size_t end = std::min(edits.size(), last + 1 + ctx);
    std::size_t a_start = edits[first].a, b_start = edits[first].b, a_len = 0, b_len = 0;
    std::string body;
    for (std::size_t e = first; e < end; ++e) {
      const auto& ed = edits[e];
      switch (ed.kind) {
        case op::keep: body += " " + std::string(a[ed.a]) + "\n"; ++a_len; ++b_len; break;
        case op::del: body += "-" + std::string(a[ed.a]) + "\n"; ++a_len; break;
        case op::add: body += "+" + std::string(b[ed.b]) + "\n"; ++b_len; break;
      }
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_len ? a_start + 1 : a_start, a_len, b_len ? b_start + 1 : b_start, b_len);
    out += body;
    k = end;
  }
  // Only a difference in the final newline: say so rather than print no hunk.
  if (!any_change) out += "@@ end of file @@\n\\ the files differ only in their final newline\n";
  return out;
}

}  // namespace rubric::compiler
