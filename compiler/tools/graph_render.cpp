// The decision graph as DOT and Mermaid. Both are printed from one view model
// (nodes with rows and a style, edges with a style) built here, so the two
// formats show the same thing: guards as criterion lists, variants with their
// rating summaries, the `no` chain of `select first`, and transitions.
#include "compiler/tools/graph_render.hpp"
#include "compiler/tools/html_escape.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "compiler/tools/doc_render.hpp"
#include "compiler/tools/format.hpp"

namespace rubric::compiler {

namespace {

using runtime::truth;

// How an element relates to the patient's evaluation.
enum class look { plain, taken, candidate, rejected, dimmed };

struct row {
  std::string text;
  std::optional<truth> mark;  // with a patient
  int depth = 0;
};

struct view_node {
  std::string id;
  std::string heading;
  std::vector<std::string> lines;  // plain lines under the heading
  std::vector<row> rows;           // criteria (guards)
  std::string shape;               // "guard", "variant", "start", "end"
  look style = look::plain;
};

struct view_edge {
  std::string from, to, label;
  look style = look::plain;
  bool transition = false;
  bool urgent = false;
};

struct view {
  std::vector<view_node> nodes;
  std::vector<view_edge> edges;
  std::vector<std::pair<std::string, std::string>> same_rank;  // guard beside its variant
};

// Splits text into lines of at most `width` code points at spaces.
std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  std::vector<std::string> out;
  std::string cur;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t sp = text.find(' ', start);
    std::string_view word = text.substr(start, sp == std::string_view::npos ? std::string_view::npos : sp - start);
    if (!cur.empty() && display_width(cur) + 1 + display_width(word) > width) {
      out.push_back(cur);
      cur.clear();
    }
    if (!word.empty()) cur += (cur.empty() ? "" : " ") + std::string(word);
    if (sp == std::string_view::npos) break;
    start = sp + 1;
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string_view mark_text(truth t) {
  switch (t) {
    case truth::yes: return "✓ true";
    case truth::no: return "✗ false";
    case truth::unknown: return "? unknown";
  }
  return "";
}

class builder {
 public:
  builder(const runtime::graph& g, const graph_render_options& o) : g_(g), o_(o), e_(o.evaluation) {}

  view build() {
    start_node();
    const bool chain = g_.policy == runtime::select_policy::first;
    std::size_t stop = stop_position();
    for (std::size_t k = 0; k < g_.order.size(); ++k) {
      std::uint32_t vi = g_.order[k];
      const auto& v = g_.variants[vi];
      bool visited = !e_ || !chain || k <= stop;
      std::optional<truth> t = guard_truth(v);
      std::string gid = fmt::format("g{}", vi), vid = fmt::format("v{}", vi);
      v_.nodes.push_back(guard_node(v, gid, k, visited, t));
      v_.nodes.push_back(variant_node(vi, vid));
      v_.same_rank.push_back({gid, vid});
      std::string from = chain && k > 0 ? fmt::format("g{}", g_.order[k - 1]) : "start";
      look into = look::plain;
      if (e_) into = visited ? (chain && k > 0 && guard_truth(g_.variants[g_.order[k - 1]]) == truth::unknown ? look::candidate : look::taken) : look::dimmed;
      v_.edges.push_back({from, gid, chain && k > 0 ? "no" : "", into});
      look yes = look::plain;
      if (e_) yes = !visited ? look::dimmed : t == truth::yes ? (selected(vi) ? look::taken : look::dimmed) : t == truth::unknown ? look::candidate : look::dimmed;
      v_.edges.push_back({gid, vid, "yes", yes});
    }
    end_node(chain, stop);
    transitions();
    return std::move(v_);
  }

 private:
  const runtime::graph& g_;
  const graph_render_options& o_;
  const runtime::evaluation* e_;
  view v_;

  bool selected(std::uint32_t vi) const {
    return e_ && std::find(e_->selected.begin(), e_->selected.end(), vi) != e_->selected.end();
  }
  bool candidate(std::uint32_t vi) const {
    return e_ && std::find(e_->candidates.begin(), e_->candidates.end(), vi) != e_->candidates.end();
  }
  std::optional<truth> value(std::int32_t node) const {
    if (!e_ || node < 0 || static_cast<std::size_t>(node) >= e_->values.size()) return std::nullopt;
    return e_->values[static_cast<std::size_t>(node)];
  }
  std::optional<truth> guard_truth(const runtime::variant& v) const {
    if (!e_) return std::nullopt;
    return v.guard < 0 ? truth::yes : e_->values[static_cast<std::size_t>(v.guard)];
  }

  // Under `select first`, the position of the first guard that holds: the
  // patient's path goes through every guard up to it.
  std::size_t stop_position() const {
    if (!e_) return g_.order.size();
    for (std::size_t k = 0; k < g_.order.size(); ++k) {
      if (guard_truth(g_.variants[g_.order[k]]) == truth::yes) return k;
    }
    return g_.order.size();
  }

  void start_node() {
    view_node n;
    n.id = "start";
    n.shape = "start";
    n.heading = o_.patient_name.empty() ? (e_ ? "Patient" : g_.title) : "Patient " + o_.patient_name;
    static constexpr const char* policies[] = {"select first (in this order)", "select unique", "select all"};
    n.lines.push_back(policies[static_cast<int>(g_.policy)]);
    if (e_) {
      std::string s(runtime::status_name(e_->result));
      for (std::size_t i = 0; i < e_->selected.size(); ++i) s += (i ? ", " : ": variant ") + g_.variants[e_->selected[i]].id;
      if (e_->result == runtime::status::undetermined) {
        for (std::size_t i = 0; i < e_->candidates.size(); ++i)
          s += (i ? ", " : " — candidates ") + g_.variants[e_->candidates[i]].id;
      }
      n.lines.push_back(s);
      if (!e_->missing.empty()) {
        std::string m = "missing: ";
        for (std::size_t i = 0; i < e_->missing.size(); ++i) m += (i ? ", " : "") + g_.facts[e_->missing[i]].id;
        n.lines.push_back(m);
      }
    }
    n.style = e_ ? look::taken : look::plain;
    v_.nodes.push_back(std::move(n));
  }

  // Criteria by label, predicates in words with fact labels (not code).
  std::string describe(std::uint32_t node) const { return plain_words(g_, node); }

  // The conjuncts (or disjuncts) of a node, and whether they are `any of`.
  std::pair<std::vector<std::uint32_t>, bool> parts(std::uint32_t node) const {
    const auto& n = g_.nodes[node];
    if (n.kind == runtime::node_kind::and_ || n.kind == runtime::node_kind::or_) {
      std::vector<std::uint32_t> out(g_.children.begin() + n.first, g_.children.begin() + n.first + n.count);
      return {out, n.kind == runtime::node_kind::or_};
    }
    return {{node}, false};
  }

  void add_rows(view_node& vn, std::uint32_t node, int depth) {
    auto [items, any] = parts(node);
    if (items.size() > 1) vn.rows.push_back({any ? "any of:" : "all of:", std::nullopt, depth});
    int d = items.size() > 1 ? depth + 1 : depth;
    for (auto item : items) {
      vn.rows.push_back({describe(item), value(static_cast<std::int32_t>(item)), d});
      // One level into a named criterion shows which of its parts failed.
      const auto& n = g_.nodes[item];
      if (depth == 0 && n.kind == runtime::node_kind::criterion && n.count == 1) {
        auto [inner, inner_any] = parts(g_.children[n.first]);
        if (inner.size() > 1) {
          vn.rows.push_back({inner_any ? "any of:" : "all of:", std::nullopt, d + 1});
          for (auto x : inner) vn.rows.push_back({describe(x), value(static_cast<std::int32_t>(x)), d + 2});
        }
      }
    }
  }

  view_node guard_node(const runtime::variant& v, const std::string& id, std::size_t position, bool visited,
                       std::optional<truth> t) {
    view_node n;
    n.id = id;
    n.shape = "guard";
    n.heading = fmt::format("{}. Variant {} applies when", position + 1, v.id);
    if (v.guard < 0) {
      n.rows.push_back({"always", t, 0});
    } else {
      add_rows(n, static_cast<std::uint32_t>(v.guard), 0);
    }
    if (e_) {
      if (!visited) n.style = look::dimmed;
      else n.style = t == truth::yes ? look::taken : t == truth::unknown ? look::candidate : look::rejected;
    }
    return n;
  }

  view_node variant_node(std::uint32_t vi, const std::string& id) {
    const auto& v = g_.variants[vi];
    view_node n;
    n.id = id;
    n.shape = "variant";
    n.heading = "Variant " + v.id;
    n.lines = wrap(v.title, 48);
    n.lines.push_back("");
    // Ratings by category, most favourable first; the least favourable only counted.
    if (g_.rating_scale >= 0) {
      const auto& levels = g_.scales[static_cast<std::size_t>(g_.rating_scale)].levels;
      std::size_t last_used = 0;
      for (const auto& r : v.ratings) last_used = std::max<std::size_t>(last_used, r.level);
      for (std::size_t l = 0; l < levels.size(); ++l) {
        std::vector<std::string> names;
        for (const auto& r : v.ratings) {
          if (r.level == l) names.push_back(g_.procedures[r.procedure].name);
        }
        if (names.empty()) continue;
        if (l == last_used && l + 1 == levels.size()) {
          n.lines.push_back(fmt::format("{}: {} procedure{}", levels[l].label, names.size(), names.size() == 1 ? "" : "s"));
        } else {
          n.lines.push_back(levels[l].label + ":");
          for (const auto& name : names) n.lines.push_back("  " + name);
        }
      }
    }
    if (v.ratings.empty()) n.lines.push_back("no ratings");
    if (e_) n.style = selected(vi) ? look::taken : candidate(vi) ? look::candidate : look::dimmed;
    return n;
  }

  void end_node(bool chain, std::size_t stop) {
    view_node n;
    n.id = "none";
    n.shape = "end";
    n.heading = "No criteria apply";
    if (g_.otherwise.present && !g_.otherwise.label.empty()) n.lines = wrap(g_.otherwise.label, 40);
    for (const auto& a : g_.otherwise.advice) {
      std::string text = a.text;
      if (e_ && a.when >= 0) text = std::string(mark_text(e_->values[static_cast<std::size_t>(a.when)])) + " — " + text;
      for (auto& l : wrap("• " + text, 48)) n.lines.push_back(l);
    }
    bool reached = e_ && e_->result == runtime::status::no_criteria_apply;
    bool possible = e_ && e_->result == runtime::status::undetermined && stop == g_.order.size();
    if (e_) n.style = reached ? look::taken : possible ? look::candidate : look::dimmed;
    std::string from = chain && !g_.order.empty() ? fmt::format("g{}", g_.order.back()) : "start";
    look edge = !e_ ? look::plain : reached ? look::taken : possible ? look::candidate : look::dimmed;
    v_.nodes.push_back(std::move(n));
    v_.edges.push_back({from, "none", chain ? "no" : "none holds", edge});
  }

  void transitions() {
    for (std::uint32_t vi = 0; vi < g_.variants.size(); ++vi) {
      for (const auto& t : g_.variants[vi].next) {
        std::string label = "next: " + (t.label.empty() ? describe(t.when) : t.label);
        if (t.urgent) label = "urgent " + label;
        look style = look::plain;
        if (e_) {
          if (!selected(vi)) style = look::dimmed;
          else {
            truth w = e_->values[t.when];
            label = std::string(mark_text(w)) + " — " + label;
            style = w == truth::yes ? look::taken : w == truth::unknown ? look::candidate : look::plain;
          }
        }
        v_.edges.push_back({fmt::format("v{}", vi), fmt::format("v{}", t.target), label, style, true, t.urgent});
      }
    }
  }
};

// --- DOT -----------------------------------------------------------------------


struct palette {
  const char* border;
  const char* fill;
  const char* font;
};

palette colours(look l, const std::string& shape) {
  switch (l) {
    case look::taken: return {"#1b7f3b", "#e3f4e8", "#111111"};
    case look::candidate: return {"#b26b00", "#fff3dc", "#111111"};
    case look::rejected: return {"#b3261e", "#fbe9e7", "#111111"};
    case look::dimmed: return {"#c4c4c4", "#fafafa", "#9a9a9a"};
    case look::plain: break;
  }
  if (shape == "guard") return {"#3d5a80", "#eef3f9", "#111111"};
  if (shape == "variant") return {"#333333", "#ffffff", "#111111"};
  return {"#333333", "#f2f2f2", "#111111"};
}

const char* mark_colour(truth t, look l) {
  if (l == look::dimmed) return "#9a9a9a";
  return t == truth::yes ? "#1b7f3b" : t == truth::no ? "#b3261e" : "#b26b00";
}

std::string dot_label(const view_node& n) {
  palette p = colours(n.style, n.shape);
  int width = n.style == look::taken ? 3 : 1;
  std::string out = fmt::format(R"(<<TABLE BORDER="{}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" COLOR="{}" BGCOLOR="{}"{}>)",
                                width, p.border, p.fill, n.shape == "guard" ? R"( STYLE="ROUNDED")" : "");
  int cols = n.rows.empty() ? 1 : 2;
  out += fmt::format(R"(<TR><TD COLSPAN="{}" ALIGN="LEFT"><FONT COLOR="{}"><B>{}</B></FONT></TD></TR>)", cols, p.font,
                     html_escape(n.heading));
  for (const auto& l : n.lines) {
    out += fmt::format(R"(<TR><TD COLSPAN="{}" ALIGN="LEFT"><FONT COLOR="{}" POINT-SIZE="11">{}</FONT></TD></TR>)", cols,
                       p.font, l.empty() ? " " : html_escape(l));
  }
  for (const auto& r : n.rows) {
    std::string indent(static_cast<std::size_t>(r.depth) * 4, ' ');
    std::string mark = r.mark ? fmt::format(R"(<FONT COLOR="{}">{}</FONT>)", mark_colour(*r.mark, n.style),
                                            html_escape(mark_text(*r.mark)))
                              : "";
    std::string text;
    for (const auto& piece : wrap(r.text, 52)) text += (text.empty() ? "" : "<BR ALIGN=\"LEFT\"/>" + indent + "  ") + html_escape(piece);
    out += fmt::format(R"(<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT COLOR="{}" POINT-SIZE="11">{}{}</FONT></TD><TD ALIGN="RIGHT">{}</TD></TR>)",
                       p.font, indent, text, mark);
  }
  return out + "</TABLE>>";
}

std::string dot_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') { out += "\\n"; continue; }
    out.push_back(c);
  }
  return out + "\"";
}

// --- Mermaid ---------------------------------------------------------------------

std::string mermaid_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '#': out += "#35;"; break;
      case '|': out += "#124;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string mermaid_label(const view_node& n) {
  std::string out = "<b>" + mermaid_escape(n.heading) + "</b>";
  for (const auto& l : n.lines) {
    if (!l.empty()) out += "<br/>" + mermaid_escape(l);
  }
  for (const auto& r : n.rows) {
    out += "<br/>" + std::string(static_cast<std::size_t>(r.depth) * 2, '-') + (r.depth ? " " : "") + mermaid_escape(r.text);
    if (r.mark) out += " " + mermaid_escape(mark_text(*r.mark));
  }
  return out;
}

const char* look_name(look l) {
  switch (l) {
    case look::taken: return "taken";
    case look::candidate: return "candidate";
    case look::rejected: return "rejected";
    case look::dimmed: return "dimmed";
    case look::plain: break;
  }
  return "plain";
}

}  // namespace

std::string render_dot(const runtime::graph& g, const graph_render_options& options) {
  view v = builder(g, options).build();
  std::string out = "digraph decision_graph {\n";
  out += "  graph [rankdir=TB, fontname=\"DejaVu Sans\", nodesep=0.5, ranksep=0.45, label=" +
         dot_quote(g.title + (g.id.empty() ? "" : " (" + g.id + ")")) + ", labelloc=t, fontsize=16];\n";
  out += "  node [shape=plain, fontname=\"DejaVu Sans\", fontsize=12];\n";
  out += "  edge [fontname=\"DejaVu Sans\", fontsize=10];\n";
  for (const auto& n : v.nodes) out += "  " + n.id + " [label=" + dot_label(n) + "];\n";
  for (const auto& [a, b] : v.same_rank) out += "  { rank=same; " + a + "; " + b + "; }\n";
  for (const auto& e : v.edges) {
    std::string attrs = "label=" + dot_quote(e.label);
    switch (e.style) {
      case look::taken: attrs += ", color=\"#1b7f3b\", fontcolor=\"#1b7f3b\", penwidth=3"; break;
      case look::candidate: attrs += ", color=\"#b26b00\", fontcolor=\"#b26b00\", penwidth=2, style=dashed"; break;
      case look::dimmed: attrs += ", color=\"#c4c4c4\", fontcolor=\"#9a9a9a\""; break;
      case look::rejected:
      case look::plain: attrs += e.urgent ? ", color=\"#b3261e\", fontcolor=\"#b3261e\"" : ", color=\"#444444\""; break;
    }
    if (e.transition) attrs += std::string(e.style == look::candidate ? "" : ", style=dashed") + ", constraint=false";
    out += "  " + e.from + " -> " + e.to + " [" + attrs + "];\n";
  }
  return out + "}\n";
}

std::string render_mermaid(const runtime::graph& g, const graph_render_options& options) {
  view v = builder(g, options).build();
  std::string out = "flowchart TD\n";
  for (const auto& n : v.nodes) {
    std::string label = "\"" + mermaid_label(n) + "\"";
    if (n.shape == "guard") out += "  " + n.id + "{{" + label + "}}\n";
    else if (n.shape == "start" || n.shape == "end") out += "  " + n.id + "([" + label + "])\n";
    else out += "  " + n.id + "[" + label + "]\n";
  }
  std::vector<std::string> link_styles;
  for (std::size_t i = 0; i < v.edges.size(); ++i) {
    const auto& e = v.edges[i];
    std::string arrow = e.transition ? "-.->" : "-->";
    out += "  " + e.from + " " + arrow + (e.label.empty() ? "" : "|\"" + mermaid_escape(e.label) + "\"|") + " " + e.to + "\n";
    switch (e.style) {
      case look::taken: link_styles.push_back(fmt::format("  linkStyle {} stroke:#1b7f3b,stroke-width:3px", i)); break;
      case look::candidate: link_styles.push_back(fmt::format("  linkStyle {} stroke:#b26b00,stroke-width:2px", i)); break;
      case look::dimmed: link_styles.push_back(fmt::format("  linkStyle {} stroke:#c4c4c4", i)); break;
      default: if (e.urgent) link_styles.push_back(fmt::format("  linkStyle {} stroke:#b3261e", i)); break;
    }
  }
  for (const auto& s : link_styles) out += s + "\n";
  out += "  classDef taken fill:#e3f4e8,stroke:#1b7f3b,stroke-width:3px\n";
  out += "  classDef candidate fill:#fff3dc,stroke:#b26b00,stroke-width:2px\n";
  out += "  classDef rejected fill:#fbe9e7,stroke:#b3261e\n";
  out += "  classDef dimmed fill:#fafafa,stroke:#c4c4c4,color:#9a9a9a\n";
  for (look l : {look::taken, look::candidate, look::rejected, look::dimmed}) {
    std::string ids;
    for (const auto& n : v.nodes) {
      if (n.style == l) ids += (ids.empty() ? "" : ",") + n.id;
    }
    if (!ids.empty()) out += "  class " + ids + " " + look_name(l) + "\n";
  }
  return out;
}

svg_result dot_to_svg(const std::string& dot) {
  svg_result r;
  // Find Graphviz on PATH first, so a missing install is a clear message.
  std::string exe;
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    std::size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    std::string candidate = (dir.empty() ? "." : dir) + "/dot";
    if (::access(candidate.c_str(), X_OK) == 0) {
      exe = candidate;
      break;
    }
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  if (exe.empty()) {
    r.error = "Graphviz `dot` was not found on PATH; install the Debian package `graphviz` "
              "(apt-get install graphviz) or use `--format dot`";
    return r;
  }
  std::error_code ec;
  auto dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  char name[] = "rubric-graph-XXXXXX";
  std::string tmpl = (dir / name).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data());
  if (fd < 0) {
    r.error = "cannot create a temporary file for Graphviz";
    return r;
  }
  std::string file(buf.data());
  {
    std::FILE* f = ::fdopen(fd, "w");
    std::fwrite(dot.data(), 1, dot.size(), f);
    std::fclose(f);
  }
  std::string cmd = "'" + exe + "' -Tsvg '" + file + "' 2>&1";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  if (p) {
    char chunk[8192];
    std::size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, p)) > 0) out.append(chunk, n);
    int status = ::pclose(p);
    if (status == 0) r.svg = std::move(out);
    else r.error = "Graphviz `dot` failed: " + out;
  } else {
    r.error = "cannot run Graphviz `dot`";
  }
  std::filesystem::remove(file, ec);
  return r;
}

}  // namespace rubric::compiler
