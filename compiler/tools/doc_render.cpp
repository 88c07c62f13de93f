// The reviewer's document. The content is written once (write_document) into
// a small writer interface; a Markdown writer and an HTML writer print it, so
// both formats always say the same thing.
#include "compiler/tools/doc_render.hpp"
#include "compiler/tools/html_escape.hpp"

#include <fmt/format.h>

#include "compiler/tools/format.hpp"

namespace rubric::compiler {

namespace {

struct item {
  std::string prefix;  // shown in bold before the text ("Not:", "Urgent:")
  std::string text;
  int depth = 0;
};

class writer {
 public:
  virtual ~writer() = default;
  virtual void begin(const std::string& title) = 0;
  virtual void end() = 0;
  virtual void heading(int level, const std::string& text, const std::string& id) = 0;
  virtual void field(const std::string& label, const std::string& value, const std::string& href = {}) = 0;
  virtual void paragraph(const std::string& text) = 0;
  virtual void list(const std::vector<item>& items) = 0;
  virtual void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
                     const std::string& row_class) = 0;
  virtual void begin_section(const std::string& cls, const std::string& id) = 0;
  virtual void end_section() = 0;
  virtual void graph(const doc_options& o) = 0;
  virtual void toc(const std::vector<std::pair<std::string, std::string>>& entries) = 0;
};

// --- content ---------------------------------------------------------------------

std::string variant_anchor(const runtime::variant& v) { return "variant-" + v.id; }

// A guard or condition as a nested list of plain-word items.
void condition_items(const runtime::graph& g, std::uint32_t node, int depth, std::vector<item>& out) {
  plain_parts p = condition_parts(g, node);
  if (p.nodes.size() > 1) {
    out.push_back({"", p.any ? "Any of:" : "All of:", depth});
    for (auto n : p.nodes) condition_items(g, n, depth + 1, out);
    return;
  }
  const auto& n = g.nodes[node];
  if (n.kind == runtime::node_kind::not_ && n.count == 1) {
    // `not` over a group: "Not: all of:" with the group's parts one level down.
    std::uint32_t child = g.children[n.first];
    plain_parts inner = condition_parts(g, child);
    if (inner.nodes.size() > 1) {
      out.push_back({"Not:", inner.any ? "any of:" : "all of:", depth});
      for (auto c : inner.nodes) condition_items(g, c, depth + 1, out);
    } else {
      // Tests the language spells with `not` (`is not empty`, `is unknown`, `!=`) read as words.
      auto k = g.nodes[child].kind;
      bool worded = k == runtime::node_kind::set_empty || k == runtime::node_kind::is_known || k == runtime::node_kind::enum_in;
      out.push_back(worded ? item{"", plain_words(g, node), depth} : item{"Not:", plain_words(g, child), depth});
    }
    return;
  }
  out.push_back({"", plain_words(g, node), depth});
  // A guard that is one named criterion: say what it is made of, one level down.
  if (depth == 0 && n.kind == runtime::node_kind::criterion && n.count == 1) {
    plain_parts inner = condition_parts(g, g.children[n.first]);
    if (inner.nodes.size() > 1) condition_items(g, g.children[n.first], depth + 1, out);
  }
}

// "When “Pain radiating in a dermatomal pattern”:" before conditional advice.
std::string condition_prefix(const runtime::graph& g, std::int32_t when) {
  // A criterion in quotes, other conditions as plain words (quotes would nest).
  return when >= 0 ? "When " + runtime::condition_words(g, static_cast<std::uint32_t>(when)) + ":" : "";
}

std::string level_label(const runtime::graph& g, std::uint32_t level) {
  if (g.rating_scale < 0) return "?";
  const auto& ls = g.scales[static_cast<std::size_t>(g.rating_scale)].levels;
  return level < ls.size() ? ls[level].label : "?";
}

// The category column is titled with the rating scale's own label.
std::string category_title(const runtime::graph& g) {
  if (g.rating_scale < 0) return "Category";
  const auto& s = g.scales[static_cast<std::size_t>(g.rating_scale)];
  return s.label.empty() ? s.id : s.label;
}

std::string where(const runtime::graph& g, const runtime::location& l) {
  if (l.file >= g.files.size() || l.line == 0) return {};
  return fmt::format("{}:{}", g.files[l.file], l.line);
}

void write_variant(const runtime::graph& g, const runtime::variant& v, std::size_t position, writer& w) {
  w.begin_section("variant", variant_anchor(v));
  w.heading(2, "Variant " + v.id + ": " + v.title, "");
  if (position < g.order.size()) w.field("Tried", fmt::format("{} of {} in the selection order", position + 1, g.order.size()));
  w.heading(3, "Applies when", "");
  std::vector<item> guard;
  if (v.guard < 0) guard.push_back({"", "always (no conditions)", 0});
  else condition_items(g, static_cast<std::uint32_t>(v.guard), 0, guard);
  w.list(guard);
  w.heading(3, "Ratings", "");
  std::vector<std::vector<std::string>> rows;
  std::vector<item> caveats;  // numbered in table order; the category cell points at its number
  for (std::size_t i : ratings_in_acr_order(v)) {
    const auto& r = v.ratings[i];
    const auto& p = g.procedures[r.procedure];
    std::string category = level_label(g, r.level);
    if (r.score) category += fmt::format(" ({})", *r.score);
    if (!r.caveat.empty()) {
      caveats.push_back({fmt::format("Caveat {}:", caveats.size() + 1), p.name + ": " + r.caveat, 0});
      category += fmt::format(" (caveat {})", caveats.size());
    }
    rows.push_back({p.name, category, rrl_words(g, p.adult_rrl, false), rrl_words(g, p.pediatric_rrl, true)});
  }
  if (rows.empty()) w.paragraph("This variant rates no procedures.");
  else w.table({"Procedure", category_title(g), "Adult RRL", "Peds RRL"}, rows, "rating");
  if (!caveats.empty()) {
    w.heading(3, "Caveats", "");
    w.list(caveats);
  }
  if (!v.advice.empty()) {
    w.heading(3, "Advice", "");
    std::vector<item> items;
    for (const auto& a : v.advice) {
      items.push_back({condition_prefix(g, a.when), a.text, 0});
    }
    w.list(items);
  }
  if (!v.next.empty()) {
    w.heading(3, "Next steps", "");
    std::vector<item> items;
    for (const auto& t : v.next) {
      const auto& target = g.variants[t.target];
      std::string text = (t.label.empty() ? "" : t.label + ": ") + "go to variant " + target.id + " (" + target.title +
                         ") when " + plain_words(g, t.when);
      items.push_back({t.urgent ? "Urgent:" : "", text, 0});
    }
    w.list(items);
  }
  std::string src = v.source;
  if (!v.evidence.empty()) src += (src.empty() ? "" : ". ") + std::string("Evidence: ") + v.evidence;
  std::string at = where(g, v.where);
  if (!at.empty()) src += (src.empty() ? "" : ". ") + std::string("Defined at ") + at;
  if (!src.empty()) w.field("Source", src);
  w.end_section();
}

std::string given_text(const ast::example_decl& e) {
  std::string out;
  for (const auto& x : e.given) out += (out.empty() ? "" : ", ") + x.fact.text + " = " + format_expr(x.value);
  return out;
}

std::string expect_text(const ast::example_decl& e) {
  std::string out;
  auto names = [](const std::vector<ast::name>& ns) {
    std::string s;
    for (const auto& n : ns) s += (s.empty() ? "" : ", ") + n.text;
    return s;
  };
  for (const auto& x : e.expect) {
    std::string s;
    switch (x.kind) {
      case ast::expect_kind::variant: s = "variant " + names(x.names); break;
      case ast::expect_kind::status: s = "status " + names(x.names); break;
      case ast::expect_kind::missing: s = "missing " + names(x.names); break;
      case ast::expect_kind::candidates: s = "candidates " + names(x.names); break;
      case ast::expect_kind::rating: s = x.procedure.text + ": " + x.category.spelling; break;
    }
    out += (out.empty() ? "" : "; ") + s;
  }
  return out;
}

// Scores as published point tables (item, points), then each value with its
// expression as the author wrote it.
void write_scores(const runtime::graph& g, writer& w) {
  w.begin_section("scores", "scores");
  w.heading(2, "Scores and values", "");
  for (const auto& s : g.scores) {
    if (s.is_value) continue;
    w.heading(3, s.label.empty() ? s.id : s.label, "score-" + s.id);
    std::vector<std::vector<std::string>> rows;
    for (const auto& line : s.lines) rows.push_back({plain_words(g, line.condition), line.points_text});
    w.table({"Item", "Points"}, rows, "score");
    w.paragraph("The score is the sum of the points of the items that hold. An unknown item adds 0 or its points, so an "
                "incomplete score is a range; a comparison it cannot decide leaves the result undetermined.");
  }
  std::vector<std::vector<std::string>> values;
  for (const auto& s : g.scores)
    if (s.is_value) values.push_back({s.label.empty() ? s.id : s.label, s.text + (s.unit.empty() || s.unit == "d" ? "" : " (in " + s.unit + ")")});
  if (!values.empty()) w.table({"Value", "Computed as"}, values, "value");
  w.end_section();
}

void write_document(const runtime::graph& g, const doc_options& o, writer& w) {
  w.begin(g.title);
  w.heading(1, g.title, "top");
  w.begin_section("about", "about");
  if (!g.id.empty()) w.field("Guideline", g.id);
  if (!g.source.empty()) w.field("Source", g.source, g.url);
  if (!g.citation.empty()) w.field("Citation", g.citation);
  if (g.revised) w.field("Revised", std::to_string(*g.revised));
  if (!g.doi.empty()) w.field("DOI", g.doi, "https://doi.org/" + g.doi);
  w.field("Licence", g.license.empty() ? "No licensing note is given in the guideline file." : g.license);
  w.paragraph("Generated by `rubric doc` from the guideline file; the file is the reference. Ratings are the "
              "publisher's categories, shown verbatim.");
  w.end_section();

  std::vector<std::pair<std::string, std::string>> toc;
  for (const auto& v : g.variants) toc.push_back({variant_anchor(v), "Variant " + v.id + ": " + v.title});
  toc.push_back({"selection", "How a variant is chosen"});
  toc.push_back({"criteria", "Criteria"});
  if (!g.scores.empty()) toc.push_back({"scores", "Scores and values"});
  toc.push_back({"data", "Data requirements"});
  if (o.module && !o.module->examples.empty()) toc.push_back({"examples", "Examples"});
  w.toc(toc);

  w.begin_section("selection", "selection");
  w.heading(2, "How a variant is chosen", "");
  std::string order;
  for (auto i : g.order) order += (order.empty() ? "" : ", ") + g.variants[i].id;
  switch (g.policy) {
    case runtime::select_policy::first:
      w.paragraph("Variants are tried in the order " + order + "; the first whose conditions hold applies. If a condition "
                  "cannot be decided because a fact is unknown, the result is undetermined and names the missing facts.");
      break;
    case runtime::select_policy::unique: w.paragraph("At most one variant can apply (checked by the compiler)."); break;
    case runtime::select_policy::all:
      w.paragraph("Every variant whose conditions hold applies: the patient gets the ratings, advice and next steps of each.");
      break;
  }
  if (g.pediatric.node >= 0)
    w.field("Children", "the pediatric RRL and dose apply when " + plain_words(g, static_cast<std::uint32_t>(g.pediatric.node)) +
                            "; the adult ones otherwise; both when it is not known");
  if (g.otherwise.present) {
    std::vector<item> items;
    for (const auto& a : g.otherwise.advice)
      items.push_back({condition_prefix(g, a.when), a.text, 0});
    w.field("When no variant applies", g.otherwise.label.empty() ? "no criteria apply" : g.otherwise.label);
    if (!items.empty()) w.list(items);
  }
  w.graph(o);
  w.end_section();

  for (std::size_t i = 0; i < g.variants.size(); ++i) {
    std::size_t position = g.order.size();
    for (std::size_t k = 0; k < g.order.size(); ++k) if (g.order[k] == i) position = k;
    write_variant(g, g.variants[i], position, w);
  }

  w.begin_section("criteria", "criteria");
  w.heading(2, "Criteria", "");
  std::vector<std::vector<std::string>> crit;
  for (const auto& c : g.criteria) {
    const auto& n = g.nodes[c.node];
    std::string def = n.count == 1 ? plain_words(g, g.children[n.first]) : c.text;
    crit.push_back({c.label.empty() ? c.id : c.label, def});
  }
  w.table({"Criterion", "Holds when"}, crit, "criterion");
  if (!g.assumptions.empty()) {
    w.heading(3, "Assumed of every patient", "");
    std::vector<item> items;
    for (const auto& a : g.assumptions) items.push_back({"", a.label.empty() ? plain_words(g, a.node) : a.label, 0});
    w.list(items);
  }
  w.end_section();

  if (!g.scores.empty()) write_scores(g, w);

  w.begin_section("data", "data");
  w.heading(2, "Data requirements", "");
  w.paragraph("Each fact may be unknown; an unknown fact never counts as false.");
  std::vector<std::vector<std::string>> facts;
  for (const auto& f : g.facts) facts.push_back({f.id, f.label, fact_type_words(g, f), f.fixed ? "fixed" : ""});
  w.table({"Fact", "Meaning", "Values", "What-if"}, facts, "fact");
  w.end_section();

  if (o.module && !o.module->examples.empty()) {
    w.begin_section("examples", "examples");
    w.heading(2, "Examples", "");
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : o.module->examples) rows.push_back({e.title.value, given_text(e), expect_text(e)});
    w.table({"Example", "Given", "Expected"}, rows, "example");
    w.end_section();
  }
  w.end();
}

// --- Markdown ------------------------------------------------------------------------

std::string md_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    // `_` stays: GitHub Markdown does not emphasise inside words like fact ids.
    if (c == '|' || c == '*' || c == '`' || c == '[' || c == ']' || c == '\\') out.push_back('\\');
    if (c == '<') { out += "&lt;"; continue; }
    if (c == '\n') { out.push_back(' '); continue; }
    out.push_back(c);
  }
  return out;
}

class md_writer : public writer {
 public:
  std::string out;
  void begin(const std::string&) override {}
  void end() override {}
  void heading(int level, const std::string& text, const std::string&) override {
    close_fields();
    out += std::string(static_cast<std::size_t>(level), '#') + " " + md_escape(text) + "\n\n";
  }
  void field(const std::string& label, const std::string& value, const std::string& href) override {
    out += "**" + label + ":** " + (href.empty() ? md_escape(value) : "[" + md_escape(value) + "](" + href + ")") + "  \n";
    fields_ = true;
  }
  void paragraph(const std::string& text) override {
    close_fields();
    // Backticks in our own sentences are code spans; keep them.
    out += text + "\n\n";
  }
  void list(const std::vector<item>& items) override {
    close_fields();
    for (const auto& i : items) {
      out += std::string(static_cast<std::size_t>(i.depth) * 2, ' ') + "- " +
             (i.prefix.empty() ? "" : "**" + md_escape(i.prefix) + "** ") + md_escape(i.text) + "\n";
    }
    out += "\n";
  }
  void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
             const std::string&) override {
    close_fields();
    out += "|";
    for (const auto& h : head) out += " " + md_escape(h) + " |";
    out += "\n|";
    for (std::size_t i = 0; i < head.size(); ++i) out += "---|";
    out += "\n";
    for (const auto& r : rows) {
      out += "|";
      for (const auto& c : r) out += " " + md_escape(c) + " |";
      out += "\n";
    }
    out += "\n";
  }
  void begin_section(const std::string&, const std::string&) override {}
  void end_section() override { close_fields(); }
  void graph(const doc_options& o) override {
    close_fields();
    if (!o.graph_mermaid.empty()) out += "```mermaid\n" + o.graph_mermaid + "```\n\n";
    else if (!o.graph_note.empty()) out += "_" + md_escape(o.graph_note) + "_\n\n";
  }
  void toc(const std::vector<std::pair<std::string, std::string>>& entries) override {
    close_fields();
    out += "**Contents:** ";
    for (std::size_t i = 0; i < entries.size(); ++i) {
      // Variant titles are long: the contents line names variants by number.
      std::string text = entries[i].second.substr(0, entries[i].second.find(':'));
      out += (i ? " · " : "") + md_escape(text);
    }
    out += "\n\n";
  }

 private:
  bool fields_ = false;
  void close_fields() {
    if (fields_) out += "\n";
    fields_ = false;
  }
};

// --- HTML --------------------------------------------------------------------------

std::string html(std::string_view s) { return html_escape(s); }

// Our own sentences mark code with backticks; HTML shows it as <code>.
std::string html_text(std::string_view s) {
  std::string out, escaped = html(s);
  bool open = false;
  for (char c : escaped) {
    if (c == '`') { out += open ? "</code>" : "<code>"; open = !open; continue; }
    out.push_back(c);
  }
  if (open) out += "</code>";
  return out;
}

constexpr const char* css = R"(
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d0d4da; --ua: #1b7f3b; --mba: #8a5a00; --una: #9b1c1c; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 60rem; padding: 1.5rem; line-height: 1.45; font-size: 15px; background: #fff; }
h1 { font-size: 1.8rem; margin: 0 0 .6rem; }
h2 { font-size: 1.25rem; margin: 1.8rem 0 .5rem; padding-top: .6rem; border-top: 2px solid var(--rule); }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; margin: .4rem 0; }
dt { font-weight: bold; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .92rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f1f3f5; }
tr.rating td:nth-child(3), tr.rating td:nth-child(4) { white-space: nowrap; }
td.cat-usually-appropriate { color: var(--ua); font-weight: bold; }
td.cat-may-be-appropriate, td.cat-may-be-appropriate-disagreement { color: var(--mba); font-weight: bold; }
td.cat-usually-not-appropriate { color: var(--una); }
ul { margin: .3rem 0 .6rem; padding-left: 1.3rem; }
nav ol { columns: 2; font-size: .9rem; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .9em; background: #f3f3f3; padding: 0 .2em; }
.graph { overflow-x: auto; border: 1px solid var(--rule); padding: .5rem; margin: .6rem 0; }
.graph svg { max-width: 100%; height: auto; }
.note { color: var(--muted); font-size: .9rem; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  section.variant { break-before: page; }
  table, tr, ul { break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .graph { border: none; overflow: visible; break-inside: avoid; }
}
)";

class html_writer : public writer {
 public:
  std::string out;
  void begin(const std::string& title) override {
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
           html(title) + "</title>\n<style>" + css + "</style>\n</head>\n<body>\n";
  }
  void end() override { out += "</body>\n</html>\n"; }
  void heading(int level, const std::string& text, const std::string& id) override {
    close_fields();
    out += fmt::format("<h{}{}>{}</h{}>\n", level, id.empty() ? "" : " id=\"" + html(id) + "\"", html(text), level);
  }
  void field(const std::string& label, const std::string& value, const std::string& href) override {
    if (!fields_) out += "<dl>\n";
    fields_ = true;
    out += "<dt>" + html(label) + "</dt><dd>" +
           (href.empty() ? html(value) : "<a href=\"" + html(href) + "\">" + html(value) + "</a>") + "</dd>\n";
  }
  void paragraph(const std::string& text) override {
    close_fields();
    out += "<p>" + html_text(text) + "</p>\n";
  }
  void list(const std::vector<item>& items) override {
    close_fields();
    if (items.empty()) return;
    int depth = -1;
    for (const auto& i : items) {
      if (i.depth > depth) {
        while (depth < i.depth) { out += "<ul>"; ++depth; }
      } else {
        out += "</li>";
        while (depth > i.depth) { out += "</ul></li>"; --depth; }
      }
      out += "\n<li>" + (i.prefix.empty() ? "" : "<strong>" + html(i.prefix) + "</strong> ") + html(i.text);
    }
    out += "</li>";
    while (depth > 0) { out += "</ul></li>"; --depth; }
    out += "</ul>";
    out += "\n";
  }
  void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
             const std::string& row_class) override {
    close_fields();
    out += "<table class=\"" + html(row_class) + "s\">\n<thead><tr>";
    for (const auto& h : head) out += "<th>" + html(h) + "</th>";
    out += "</tr></thead>\n<tbody>\n";
    for (const auto& r : rows) {
      out += "<tr class=\"" + html(row_class) + "\">";
      for (std::size_t i = 0; i < r.size(); ++i) {
        std::string cls = row_class == "rating" && i == 1 ? " class=\"cat-" + slug(r[i]) + "\"" : "";
        out += "<td" + cls + ">" + html(r[i]) + "</td>";
      }
      out += "</tr>\n";
    }
    out += "</tbody></table>\n";
  }
  void begin_section(const std::string& cls, const std::string& id) override {
    close_fields();
    out += "<section class=\"" + html(cls) + "\" id=\"" + html(id) + "\">\n";
  }
  void end_section() override {
    close_fields();
    out += "</section>\n";
  }
  void graph(const doc_options& o) override {
    close_fields();
    if (!o.graph_svg.empty()) {
      // Only the <svg> element: the XML prolog and DOCTYPE are not allowed inside HTML.
      std::size_t at = o.graph_svg.find("<svg");
      out += "<figure class=\"graph\">\n" + (at == std::string::npos ? o.graph_svg : o.graph_svg.substr(at)) +
             "<figcaption class=\"note\">The decision graph: variants in selection order, each behind its "
             "conditions.</figcaption>\n</figure>\n";
    } else if (!o.graph_note.empty()) {
      out += "<p class=\"note\">" + html(o.graph_note) + "</p>\n";
    }
  }
  void toc(const std::vector<std::pair<std::string, std::string>>& entries) override {
    close_fields();
    out += "<nav><h2>Contents</h2><ol>\n";
    for (const auto& [id, text] : entries) out += "<li><a href=\"#" + html(id) + "\">" + html(text) + "</a></li>\n";
    out += "</ol></nav>\n";
  }

 private:
  bool fields_ = false;
  void close_fields() {
    if (fields_) out += "</dl>\n";
    fields_ = false;
  }
  static std::string slug(std::string_view s) {
    std::string out;
    for (char c : s) {
      if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      else if (!out.empty() && out.back() != '-') out.push_back('-');
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
  }
};

}  // namespace

std::string render_markdown(const runtime::graph& g, const doc_options& options) {
  md_writer w;
  write_document(g, options, w);
  while (w.out.size() > 1 && w.out[w.out.size() - 1] == '\n' && w.out[w.out.size() - 2] == '\n') w.out.pop_back();
  return w.out;
}

std::string render_html(const runtime::graph& g, const doc_options& options) {
  html_writer w;
  write_document(g, options, w);
  return w.out;
}

}  // namespace rubric::compiler
