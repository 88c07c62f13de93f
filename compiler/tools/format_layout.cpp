// `rubric fmt`, second phase: comments placed back by position, blank lines
// decided, trailing comments aligned, lines rendered. See format_internal.hpp.
#include <algorithm>

#include "compiler/tools/format_internal.hpp"

namespace rubric::compiler::formatting {

namespace {

bool single_line_kind(ast::decl_kind k) {
  return k == ast::decl_kind::import || k == ast::decl_kind::let || k == ast::decl_kind::assume;
}

}  // namespace

void formatter::place_comments() {
  std::vector<const ast::comment*> cs;
  for (const auto& c : m_.comments) cs.push_back(&c);
  std::stable_sort(cs.begin(), cs.end(), [](auto* a, auto* b) { return a->where.begin < b->where.begin; });
  std::vector<std::vector<line>> before(lines_.size() + 1);  // standalone comments per target line
  for (const auto* c : cs) {
    std::uint32_t at = std::min<std::uint32_t>(c->where.begin, static_cast<std::uint32_t>(src_.size()));
    if (at < src_.size() && src_[at] != '#' && at > 0 && src_[at - 1] == '#') --at;
    std::string text = rstrip("#" + c->text);
    // Code before it on its line makes it a trailing comment.
    std::uint32_t line_start = at;
    while (line_start > 0 && src_[line_start - 1] != '\n') --line_start;
    std::uint32_t last_code = at;
    for (std::uint32_t i = line_start; i < at && i < src_.size(); ++i) {
      if (src_[i] != ' ' && src_[i] != '\t') last_code = i;
    }
    bool trailing = last_code != at;
    if (trailing) {
      // The line with the largest begin at or before the code it follows.
      // Lines are in source order, so begins ascend: a binary search keeps
      // files with thousands of comments fast.
      auto it = std::partition_point(lines_.begin(), lines_.end(), [&](const line& l) { return l.begin <= last_code; });
      line* owner = it == lines_.begin() ? nullptr : &*(it - 1);
      if (owner && owner->trailing.empty()) {
        owner->trailing = text;
        owner->trailing_end = c->where.end;
        continue;
      }
    }
    // A standalone comment goes before the first line that ends after it.
    auto first_after = std::partition_point(lines_.begin(), lines_.end(), [&](const line& l) { return l.end <= at; });
    std::size_t target = static_cast<std::size_t>(first_after - lines_.begin());
    line l;
    l.comment = true;
    l.code = text;
    l.begin = at;
    l.end = c->where.end > at ? c->where.end : at + 1;
    l.indent = static_cast<int>(at - line_start);  // the source column, resolved below
    before[target].push_back(std::move(l));
  }
  std::vector<line> out;
  for (std::size_t i = 0; i <= lines_.size(); ++i) {
    const line* next = i < lines_.size() ? &lines_[i] : nullptr;
    bool starts_decl = next && (i == 0 || lines_[i - 1].group != next->group);
    bool introducing = false;  // once one comment introduces the next line, the rest of the run does too
    for (line& l : before[i]) {
      const line* prev = out.empty() ? nullptr : &out.back();
      bool column0 = l.indent == 0;
      // An indented comment followed by a blank line closes the declaration
      // above it; every other comment introduces the line that follows.
      std::uint32_t next_begin = next ? next->begin : static_cast<std::uint32_t>(src_.size());
      bool closes_prev = !introducing && prev && !column0 && (!next || starts_decl) && has_blank(src_, l.end, next_begin);
      if (closes_prev || !next) {
        l.group = prev ? prev->group : 0;
        l.indent = column0 ? 0 : (prev && prev->indent > 0 ? prev->indent : 2);
      } else {
        introducing = true;
        l.group = next->group;
        l.indent = next->indent;
      }
      out.push_back(std::move(l));
    }
    if (next) out.push_back(std::move(lines_[i]));
  }
  lines_ = std::move(out);
}

void formatter::decide_blank_lines() {
  for (std::size_t i = 1; i < lines_.size(); ++i) {
    const line& a = lines_[i - 1];
    line& b = lines_[i];
    std::uint32_t a_end = std::max(a.end, a.trailing_end);
    bool source_blank = has_blank(src_, a_end, b.begin);
    if (a.group != b.group) {
      bool same_short = a.group > 0 && b.group > 0 && group_kind_[a.group] == group_kind_[b.group] &&
                        single_line_kind(group_kind_[b.group]);
      b.blank_before = same_short ? source_blank : true;
    } else {
      b.blank_before = source_blank;
    }
  }
}

// Trailing comments on consecutive lines start in one column.
// The column after a line's code; a condition broken over several lines ends
// on its last line, which carries its own indentation.
static std::size_t end_column(const line& l) {
  std::size_t nl = l.code.rfind('\n');
  return nl == std::string::npos ? static_cast<std::size_t>(l.indent) + display_width(l.code)
                                 : display_width(std::string_view(l.code).substr(nl + 1));
}

void formatter::align_trailing_comments() {
  std::size_t i = 0;
  while (i < lines_.size()) {
    if (lines_[i].trailing.empty()) {
      ++i;
      continue;
    }
    std::size_t j = i, width = 0;
    while (j < lines_.size() && !lines_[j].trailing.empty() && (j == i || !lines_[j].blank_before)) {
      width = std::max(width, end_column(lines_[j]));
      ++j;
    }
    for (std::size_t k = i; k < j; ++k) {
      lines_[k].code.append(width + 2 - end_column(lines_[k]), ' ');
      lines_[k].code += lines_[k].trailing;
    }
    i = j;
  }
}

std::string formatter::render() const {
  std::string out;
  for (const auto& l : lines_) {
    if (l.blank_before && !out.empty()) out += "\n";
    out += rstrip(std::string(static_cast<std::size_t>(l.indent), ' ') + l.code);
    out += "\n";
  }
  return out;
}

}  // namespace rubric::compiler::formatting
