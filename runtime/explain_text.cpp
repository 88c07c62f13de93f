// The explanation as terminal text: headings, aligned columns, ✓ ✗ ? marks,
// optional ANSI colour. Written for a clinician: labels first, ids second.
#include <fmt/format.h>

#include <algorithm>

#include "runtime/explain.hpp"
#include "runtime/plain_words.hpp"

namespace rubric::runtime {

namespace {

// Display width of UTF-8 text: counts code points (☢, ≥, — are one column).
std::size_t width(std::string_view s) {
  std::size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string pad(std::string_view s, std::size_t w) {
  std::string out(s);
  std::size_t have = width(s);
  if (have < w) out.append(w - have, ' ');
  return out;
}

struct painter {
  bool color;
  std::string wrap(std::string_view code, std::string_view s) const {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
  }
  std::string bold(std::string_view s) const { return wrap("1", s); }
  std::string green(std::string_view s) const { return wrap("32", s); }
  std::string red(std::string_view s) const { return wrap("31", s); }
  std::string yellow(std::string_view s) const { return wrap("33", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }
};

// Word-wraps `s` to `w` columns, continuation lines indented by `indent`.
std::string wrap_text(std::string_view s, std::size_t w, std::size_t indent) {
  std::string out, line;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t sp = s.find(' ', pos);
    std::string_view word = s.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos);
    pos = sp == std::string_view::npos ? s.size() : sp + 1;
    if (!line.empty() && width(line) + 1 + width(word) > w) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
  }
  return out + line;
}

}  // namespace

std::string location_text(const graph& g, const location& l) {
  std::string file = l.file < g.files.size() ? g.files[l.file] : std::string("?");
  return fmt::format("{}:{}", file, l.line);
}

radiation_shown radiation_of(const graph& g, const rating_line& r) {
  auto level_of = [&](std::int32_t i) -> const level* {
    return g.radiation_scale >= 0 && i >= 0 ? &g.scales[g.radiation_scale].levels[i] : nullptr;
  };
  const level* adult = level_of(r.rrl);
  const level* child = level_of(r.pediatric_rrl);
  // A catalog entry without a level is one the source gives none for: say so
  // rather than show a blank or a dash a reader could take for "no radiation".
  const radiation_shown not_stated{"?", "RRL not stated in the source"};
  if (g.radiation_scale < 0) return {};  // the guideline rates no radiation at all
  switch (r.child) {
    case truth::no: return adult ? radiation_shown{adult->label, adult->adult_dose} : not_stated;
    case truth::yes: return child ? radiation_shown{child->label, child->pediatric_dose} : not_stated;
    case truth::unknown: break;
  }
  if (!adult && !child) return not_stated;
  // Not known whether the patient is a child: both, adult first.
  std::string a_rrl = adult ? adult->label : "?", c_rrl = child ? child->label : "?";
  std::string a_dose = adult ? adult->adult_dose : "not stated", c_dose = child ? child->pediatric_dose : "not stated";
  return {a_rrl + " / " + c_rrl, a_dose + " adult / " + c_dose + " pediatric"};
}

std::string_view dose_heading(truth child) {
  return child == truth::no ? "Adult dose" : child == truth::yes ? "Pediatric dose" : "Dose (adult / pediatric)";
}

std::string rating_text(const graph& g, const rating_line& r) {
  std::string label = g.rating_scale >= 0 && r.level >= 0 ? g.scales[g.rating_scale].levels[r.level].label : "?";
  radiation_shown rad = radiation_of(g, r);
  return fmt::format("{}  {}  {}", pad(label, 34), pad(rad.rrl, 6), rad.dose);
}

namespace {

// "≥ 6 weeks" for a comparison with a constant, so the reader sees the
// threshold behind a named constant such as `subacute`.
std::string threshold(const graph& g, std::uint32_t n) {
  if (g.nodes[n].kind == node_kind::criterion) n = g.children[g.nodes[n].first];
  const node& nd = g.nodes[n];
  if (nd.kind != node_kind::compare) return {};
  static const char* ops[] = {"<", "≤", ">", "≥", "=", "≠"};
  const fact& f = g.facts[static_cast<std::size_t>(nd.slot)];
  std::string v = f.type == value_type::duration ? format_duration(nd.number) : fmt::format("{}", nd.number);
  return fmt::format("{} {}", ops[static_cast<int>(nd.op)], v);
}

std::string fact_values(const graph& g, const criterion_line& l) {
  std::string out;
  for (const fact_use& f : l.facts) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} = {}", g.facts[f.slot].id, f.value);
  }
  return out;
}

std::string_view yes_no(truth t) { return t == truth::yes ? "yes" : t == truth::no ? "no" : "unknown"; }

constexpr int max_indent_depth = 16;

// One criterion: a mark, its label and value; below it (dimmed) the fact
// values that decided it and the author's rule.
void criterion_lines(const graph& g, const std::vector<criterion_line>& lines, const painter& c, std::size_t indent,
                     std::string& out) {
  for (const auto& l : lines) {
    // A line "holds" when its value is what the guard needs (false under `not`).
    bool holds = l.negated ? l.value == truth::no : l.value == truth::yes;
    std::string mark = l.value == truth::unknown ? c.yellow("?") : holds ? c.green("✓") : c.red("✗");
    // Indentation stops growing at max_indent_depth, so a deep chain of
    // criteria costs output linear in its length, not quadratic.
    std::string in(indent + 2 * static_cast<std::size_t>(std::min(l.depth, max_indent_depth)), ' ');
    std::string value(yes_no(l.value));
    if (l.negated) value += " (required: no)";
    out += fmt::format("{}{} {}: {}\n", in, mark, l.label, l.value == truth::unknown ? c.yellow(value) : c.bold(value));
    std::string detail = fact_values(g, l);
    if (std::string th = threshold(g, l.node); !th.empty()) detail += " (threshold " + th + ")";
    if (!l.text.empty() && l.text != l.label) detail += (detail.empty() ? "" : "    ") + std::string("rule: ") + l.text;
    if (!detail.empty()) out += in + "    " + c.dim(detail) + "\n";
  }
}

// "Ratings in variant N": procedure, category, radiation level and dose.
void ratings_table(const graph& g, const variant_outcome& o, const painter& c, std::string& out) {
  if (o.ratings.empty()) return;
  out += "\n" + c.bold(fmt::format("Ratings in variant {}", g.variants[o.variant].id)) + "\n";
  std::size_t pw = 0;
  for (const auto& r : o.ratings) pw = std::max(pw, width(g.procedures[r.procedure].name));
  std::size_t rw = 6;
  for (const auto& r : o.ratings) rw = std::max(rw, width(radiation_of(g, r).rrl));
  out += fmt::format("  {}  {}  {}  {}\n", pad("Procedure", pw), pad("Category", 34), pad("RRL", rw), dose_heading(o.ratings.front().child));
  for (const auto& r : o.ratings) {
    std::string label = g.rating_scale >= 0 ? g.scales[g.rating_scale].levels[r.level].label : "?";
    std::string shown = r.level == 0 ? c.green(pad(label, 34)) : pad(label, 34);
    radiation_shown rad = radiation_of(g, r);
    out += fmt::format("  {}  {}  {}  {}\n", pad(g.procedures[r.procedure].name, pw), shown, pad(rad.rrl, rw), rad.dose);
    if (!r.caveat.empty()) out += "    " + c.yellow("caveat:") + " " + std::string(r.caveat) + "\n";
  }
}

}  // namespace

std::string render_explanation_text(const graph& g, const patient& p, const explanation& x, const text_style& style) {
  painter c{style.color};
  std::string out;
  auto heading = [&](std::string_view s) { out += "\n" + c.bold(s) + "\n"; };
  auto variant_name = [&](std::uint32_t v) { return fmt::format("variant {}", g.variants[v].id); };
  const std::size_t w = static_cast<std::size_t>(std::max(40, style.width));

  out += c.bold(g.title.empty() ? g.id : g.title);
  if (!g.source.empty()) out += " — " + g.source;
  if (g.revised) out += fmt::format(" (revised {})", *g.revised);
  out += "\n";

  heading(p.id.empty() ? "Patient" : fmt::format("Patient {}", p.id));
  std::size_t fw = 0;
  for (const auto& f : g.facts) fw = std::max(fw, width(f.label.empty() ? f.id : f.label));
  fw = std::min<std::size_t>(fw, 64);
  for (const fact_use& f : x.facts) {
    const fact& fa = g.facts[f.slot];
    std::string shown = f.value == "unknown" ? c.yellow("unknown") : format_value(g, p, f.slot, true);
    out += fmt::format("  {}  {}  {}\n", pad(fa.label.empty() ? fa.id : fa.label, fw), pad(shown, 28), c.dim(fa.id));
  }

  heading("Result");
  switch (x.result) {
    case status::matched: {
      // Every matched variant (several only under `select all`), each with the
      // one sentence a reader can quote: the top-level criteria that placed the patient there.
      for (const variant_outcome& o : x.matched) {
        const variant& v = g.variants[o.variant];
        out += "  " + wrap_text(fmt::format("{} {} — {}", c.green("matched"), c.bold(variant_name(o.variant)), v.title), w - 2, 4) + "\n";
        out += "    " + c.dim(location_text(g, v.where)) + "\n";
        std::string because;
        for (const auto& l : o.path) {
          if (l.depth != 0) continue;
          std::string item = l.negated ? "not “" + l.label + "”" : l.label;
          because += (because.empty() ? "" : "; ") + item;
        }
        if (!because.empty()) out += "  " + wrap_text("because: " + because, w - 2, 4) + "\n";
      }
      break;
    }
    case status::undetermined: {
      std::string ids;
      for (std::size_t i = 0; i < x.candidates.size(); ++i)
        ids += (i == 0 ? "" : i + 1 == x.candidates.size() ? " or " : ", ") + g.variants[x.candidates[i]].id;
      out += fmt::format("  {}: the patient could be in {} {}; the data cannot tell which\n", c.yellow("undetermined"),
                         x.candidates.size() == 1 ? "variant" : "variants", ids);
      std::string miss;
      for (auto s : x.missing) miss += (miss.empty() ? "" : ", ") + missing_fact_text(g, p, s);
      if (!miss.empty()) out += fmt::format("  missing facts that would decide it: {}\n", c.bold(miss));
      break;
    }
    case status::no_criteria_apply:
      out += fmt::format("  {}: no variant of this guideline fits the patient\n", c.yellow("no criteria apply"));
      if (g.otherwise.present) out += fmt::format("  {}  {}\n", g.otherwise.label, c.dim(location_text(g, g.otherwise.where)));
      break;
  }

  if (!x.scores.empty()) {
    heading("Scores and values");
    for (const score_view& s : x.scores) out += "  " + wrap_text(s.summary, w - 2, 4) + "\n";
  }

  for (const variant_outcome& o : x.matched) {
    heading(fmt::format("Why {}", variant_name(o.variant)));
    if (o.path.empty()) out += "  its guard always holds\n";
    criterion_lines(g, o.path, c, 2, out);
  }

  if (!x.others.empty()) {
    heading(x.result == status::matched ? "Why not the other variants (in selection order)" : "The variants (in selection order)");
    for (const variant_line& o : x.others) {
      std::string state = o.guard == truth::no        ? c.red("does not apply")
                          : o.guard == truth::unknown ? c.yellow("cannot be decided")
                          : x.result == status::matched ? c.green("also holds, but an earlier variant wins")
                                                        : c.green("holds, and applies unless an earlier variant does");
      out += "  " + wrap_text(fmt::format("{} {} — {}", c.bold(variant_name(o.variant)), state, g.variants[o.variant].title), w - 2, 6) + "\n";
      // The first reason it failed (or every open criterion when unknown).
      std::vector<criterion_line> shown;
      for (const auto& l : o.reasons) {
        if (o.guard == truth::no && !shown.empty() && l.depth == 0) break;
        shown.push_back(l);
      }
      criterion_lines(g, shown, c, 6, out);
    }
  }

  for (const variant_outcome& o : x.matched) ratings_table(g, o, c, out);

  // One matched variant (or the `otherwise` outcome): "Advice"; several: per variant.
  const bool several = x.matched.size() > 1;
  auto advice_list = [&](std::string_view title, const std::vector<std::string>& holds, const std::vector<std::string>& open) {
    if (holds.empty() && open.empty()) return;
    heading(title);
    for (const auto& a : holds) out += "  • " + wrap_text(a, w - 4, 4) + "\n";
    for (const auto& a : open) out += "  • " + wrap_text(a, w - 4, 4) + "\n";
  };
  if (x.matched.empty()) advice_list("Advice", x.advice, x.conditional_advice);
  for (const variant_outcome& o : x.matched)
    advice_list(several ? fmt::format("Advice from {}", variant_name(o.variant)) : "Advice", o.advice, o.conditional_advice);

  for (const variant_outcome& o : x.matched) {
    if (o.next.empty()) continue;
    heading(several ? fmt::format("Next steps from {}", variant_name(o.variant)) : "Next steps");
    for (const next_line& n : o.next) {
      const transition& t = g.variants[o.variant].next[n.transition];
      out += "  " + wrap_text(fmt::format("→ {}{} when: {} (now {})", variant_name(n.target), t.urgent ? c.red(" URGENT") : "",
                                          t.label.empty() ? condition_words(g, t.when) : t.label, truth_name(n.condition)),
                              w - 2, 6) + "\n";
      for (const auto& r : n.better) {
        std::string label = g.rating_scale >= 0 ? g.scales[g.rating_scale].levels[r.level].label : "?";
        out += fmt::format("      {} would be {}\n", g.procedures[r.procedure].name, c.green(label));
      }
    }
  }

  if (!x.warnings.empty()) {
    heading("Warnings");
    for (const auto& wn : x.warnings) out += "  " + c.yellow("!") + " " + wrap_text(wn, w - 4, 4) + "\n";
  }

  if (!g.citation.empty() || !g.doi.empty()) {
    heading("Source");
    if (!g.citation.empty()) out += "  " + wrap_text(g.citation, w - 2, 2) + "\n";
    if (!g.doi.empty()) out += "  doi:" + g.doi + "\n";
    if (!g.license.empty()) out += "  " + c.dim(wrap_text(g.license, w - 2, 2)) + "\n";
  }
  return out;
}

}  // namespace rubric::runtime
