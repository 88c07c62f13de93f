// Why-not search: enumerate change sets of growing size over the facts the
// graph tests (never `fixed` ones), with candidate values taken from the
// thresholds and members in the graph, re-run selection, and keep the minimal
// sets under which the procedure gets a better category.
#include "runtime/why_not.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "runtime/evaluate.hpp"
#include "runtime/json_writer.hpp"
#include "runtime/program.hpp"

namespace rubric::runtime {

namespace {

struct candidate {
  slot_value value;
  std::string text;       // for text facts
  std::string condition;  // "≥ 6 weeks", "= true", "include any of {fever}"
  std::uint64_t members = 0;  // a set's members the condition names
};

std::string number_shown(const fact& f, double v) {
  return f.type == value_type::duration ? format_duration(v) : fmt::format("{}", v);
}

// Regions of the number line that the graph's comparisons on `slot` tell
// apart; one candidate per region, described by its bounds.
std::vector<candidate> numeric_candidates(const graph& g, std::uint32_t slot) {
  const fact& f = g.facts[slot];
  std::vector<std::pair<compare_op, double>> tests;
  std::vector<double> points;
  for (const node& n : g.nodes) {
    // `fact op k`, and (version 2) `fact op k` over a ranged fact: compare_num of its num_fact.
    bool direct = n.kind == node_kind::compare && n.slot == static_cast<std::int32_t>(slot);
    bool ranged = n.kind == node_kind::compare_num && g.nodes[g.children[n.first]].kind == node_kind::num_fact &&
                  g.nodes[g.children[n.first]].slot == static_cast<std::int32_t>(slot);
    if (direct || ranged) {
      tests.push_back({n.op, n.number});
      points.push_back(n.number);
    }
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  if (points.empty()) return {};
  // Pieces: (-inf,p0) [p0] (p0,p1) [p1] … (pk,inf), each with a representative.
  struct piece { double lo, hi, rep; bool lo_closed, hi_closed, lo_inf, hi_inf; };
  std::vector<piece> pieces;
  for (std::size_t i = 0; i <= points.size(); ++i) {
    bool first = i == 0, last = i == points.size();
    double lo = first ? 0 : points[i - 1], hi = last ? 0 : points[i];
    double rep = first ? (hi > 1 ? hi - 1 : hi > 0 ? hi / 2 : hi - 1) : last ? lo + 1 : (lo + hi) / 2;
    pieces.push_back({lo, hi, rep, false, false, first, last});
    if (!last) pieces.push_back({points[i], points[i], points[i], true, true, false, false});
  }
  auto signature = [&](double v) {
    std::vector<bool> s;
    for (auto& [op, t] : tests) s.push_back(compare_holds(op, v, t));
    return s;
  };
  // Merge neighbouring pieces that every test treats alike.
  std::vector<candidate> out;
  std::size_t i = 0;
  while (i < pieces.size()) {
    std::size_t j = i;
    auto sig = signature(pieces[i].rep);
    while (j + 1 < pieces.size() && signature(pieces[j + 1].rep) == sig) ++j;
    const piece& a = pieces[i];
    const piece& b = pieces[j];
    // Prefer a closed end point as the value tried: it is a threshold the author wrote.
    double rep = a.lo_closed ? a.lo : b.hi_closed ? b.hi : a.rep;
    if (f.type == value_type::duration && (b.hi_inf ? false : (b.hi < 0 || (b.hi == 0 && !b.hi_closed)))) { i = j + 1; continue; }
    if (f.type == value_type::duration && rep < 0) rep = 0;
    // An integer fact takes a whole value of the region; a ranged fact one inside its range.
    if (f.integer && rep != std::floor(rep)) {
      double up = std::ceil(rep), down = std::floor(rep);
      rep = signature(up) == sig ? up : down;
      if (signature(rep) != sig) { i = j + 1; continue; }
    }
    if ((f.min && rep < *f.min) || (f.max && rep > *f.max)) { i = j + 1; continue; }
    std::string lo, hi;
    if (!a.lo_inf) lo = fmt::format("{} {}", a.lo_closed ? "≥" : ">", number_shown(f, a.lo));
    if (!b.hi_inf) hi = fmt::format("{} {}", b.hi_closed ? "≤" : "<", number_shown(f, b.hi));
    std::string cond;
    if (!a.lo_inf && !b.hi_inf && a.lo == b.hi) cond = "= " + number_shown(f, a.lo);
    else if (!lo.empty() && !hi.empty()) cond = lo + " and " + hi;
    else cond = lo.empty() ? hi : lo;
    out.push_back({{rep, 0, true}, {}, cond});
    i = j + 1;
  }
  return out;
}

std::string member_names(const enumeration& e, std::uint64_t mask) {
  std::string out;
  for (std::size_t m = 0; m < e.members.size(); ++m)
    if (mask >> m & 1) out += (out.empty() ? "" : ", ") + e.members[m].id;
  return out;
}

// Members grouped by which masks in the graph contain them.
std::vector<std::uint64_t> member_classes(const graph& g, std::uint32_t slot, const enumeration& e) {
  std::vector<std::uint64_t> masks;
  for (const node& n : g.nodes)
    if (n.slot == static_cast<std::int32_t>(slot) &&
        (n.kind == node_kind::enum_in || n.kind == node_kind::set_any || n.kind == node_kind::set_all))
      masks.push_back(n.mask);
  std::map<std::vector<bool>, std::uint64_t> classes;
  for (std::size_t m = 0; m < e.members.size(); ++m) {
    std::vector<bool> sig;
    for (auto mk : masks) sig.push_back(mk >> m & 1);
    classes[sig] |= std::uint64_t(1) << m;
  }
  std::vector<std::uint64_t> out;
  for (auto& [sig, mask] : classes) out.push_back(mask);
  std::sort(out.begin(), out.end(), [](std::uint64_t a, std::uint64_t b) { return (a & -a) < (b & -b); });
  return out;
}

std::vector<candidate> candidates_for(const graph& g, const patient& p, std::uint32_t slot) {
  const fact& f = g.facts[slot];
  const slot_value& now = p.slots[slot];
  std::vector<candidate> out;
  switch (f.type) {
    case value_type::boolean:
      for (bool b : {true, false})
        if (!now.known || (now.bits != 0) != b) out.push_back({{b ? 1.0 : 0.0, b ? 1u : 0u, true}, {}, b ? "= true" : "= false"});
      break;
    case value_type::number:
    case value_type::duration: {
      auto all = numeric_candidates(g, slot);
      for (auto& c : all) {
        // Skip the region the patient is already in.
        bool same = false;
        if (now.known) {
          same = true;
          for (const node& n : g.nodes)
            if (n.kind == node_kind::compare && n.slot == static_cast<std::int32_t>(slot) &&
                compare_holds(n.op, now.number, n.number) != compare_holds(n.op, c.value.number, n.number))
              same = false;
        }
        if (!same) out.push_back(std::move(c));
      }
      break;
    }
    case value_type::enumeration: {
      const enumeration& e = g.enumerations[static_cast<std::size_t>(f.enumeration)];
      for (std::uint64_t cls : member_classes(g, slot, e)) {
        if (now.known && (now.bits & cls)) continue;
        unsigned rep = static_cast<unsigned>(__builtin_ctzll(cls));
        std::string cond = (cls & (cls - 1)) ? fmt::format("one of {{{}}}", member_names(e, cls)) : "= " + e.members[rep].id;
        out.push_back({{double(rep), std::uint64_t(1) << rep, true}, {}, cond});
      }
      break;
    }
    case value_type::set: {
      // An unknown set is tried as whole sets. A partial set keeps what it
      // knows: a change decides only the members it names (a member found
      // stays found, an undecided one stays open).
      const enumeration& e = g.enumerations[static_cast<std::size_t>(f.enumeration)];
      const std::uint64_t universe = member_universe(g, slot);
      const bool partial = partly_known(now);
      const std::uint64_t decided = partial ? now.decided & universe : universe;
      const std::uint64_t cur = now.known || partial ? now.bits & decided : 0;
      if (cur || !now.known) out.push_back({{0, 0, true}, {}, "= {} (none)"});
      for (std::uint64_t cls : member_classes(g, slot, e)) {
        std::uint64_t rep = cls & -cls;
        if (!(cur & cls)) {
          std::string cond = (cls & (cls - 1)) ? fmt::format("include any of {{{}}}", member_names(e, cls))
                                               : fmt::format("include {}", member_names(e, cls));
          out.push_back({set_value(cur | rep, decided | rep, universe), {}, cond, cls});
        }
        // Excluding a class: drop the members found in it, or decide its undecided ones absent.
        if ((cur & cls) || (cls & ~decided))
          out.push_back({set_value(cur & ~cls, decided | cls, universe), {}, fmt::format("include none of {{{}}}", member_names(e, cls)), cls});
      }
      break;
    }
    case value_type::text: {
      std::vector<std::string> seen;
      for (const node& n : g.nodes)
        if (n.kind == node_kind::text_equals && n.slot == static_cast<std::int32_t>(slot)) seen.push_back(g.strings[n.mask]);
      std::sort(seen.begin(), seen.end());
      seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
      for (const auto& s : seen) {
        if (now.known && p.text[slot] == s) continue;
        std::string q;
        append_json_string(q, s);
        out.push_back({{0, 0, true}, s, "= " + q});
      }
      break;
    }
  }
  return out;
}

}  // namespace

why_not_result why_not(const graph& g, const patient& p, std::string_view procedure, const why_not_options& options) {
  why_not_result r;
  int proc = find_procedure(g, procedure);
  if (proc < 0) {
    r.error = fmt::format("`{}` is not a procedure of this guideline", procedure);
    return r;
  }
  r.procedure = proc;
  evaluation e;
  evaluate(g, p, e);
  r.current_level = rating_level(g, e, static_cast<std::uint32_t>(proc), &r.current_variant);
  if (r.current_variant < 0 && e.result == status::matched) r.current_variant = static_cast<std::int32_t>(e.selected.front());
  std::size_t levels = g.rating_scale >= 0 ? g.scales[g.rating_scale].levels.size() : 0;
  // "Better": a more favourable level than now; with no rating now, anything
  // better than the least favourable level.
  std::int32_t bar = r.current_level >= 0 ? r.current_level : static_cast<std::int32_t>(levels) - 1;
  if (bar <= 0) return r;

  // Facts the graph reads that may change.
  std::vector<bool> used(g.facts.size(), false);
  for (const node& n : g.nodes) {
    if (n.slot < 0) continue;  // inner nodes, constants and (version 2) arithmetic read no fact
    used[static_cast<std::size_t>(n.slot)] = true;
  }
  std::vector<std::uint32_t> facts;
  std::vector<std::vector<candidate>> cands;
  for (std::uint32_t s = 0; s < g.facts.size(); ++s) {
    if (!used[s] || g.facts[s].fixed) continue;
    auto c = candidates_for(g, p, s);
    if (c.empty()) continue;
    facts.push_back(s);
    cands.push_back(std::move(c));
  }

  struct found { std::vector<std::pair<std::size_t, std::size_t>> picks; why_not_option option; };
  std::vector<found> kept;
  patient trial = p;
  evaluation te;
  program prog(g);
  std::vector<std::size_t> combo, pick;
  int max_k = std::min<int>(options.max_changes, static_cast<int>(facts.size()));
  std::size_t tried = 0;
  for (int k = 1; k <= max_k && !r.incomplete; ++k) {
    // Every k-subset of the changeable facts, then every value combination.
    combo.resize(static_cast<std::size_t>(k));
    for (int i = 0; i < k; ++i) combo[static_cast<std::size_t>(i)] = static_cast<std::size_t>(i);
    while (true) {
      pick.assign(static_cast<std::size_t>(k), 0);
      while (true) {
        std::vector<std::pair<std::size_t, std::size_t>> picks;
        for (int i = 0; i < k; ++i) picks.push_back({combo[static_cast<std::size_t>(i)], pick[static_cast<std::size_t>(i)]});
        bool minimal = std::none_of(kept.begin(), kept.end(), [&](const found& f) {
          return std::all_of(f.picks.begin(), f.picks.end(), [&](auto& x) { return std::find(picks.begin(), picks.end(), x) != picks.end(); });
        });
        if (minimal) {
          trial.slots = p.slots;
          trial.text = p.text;
          for (auto [fi, ci] : picks) {
            const candidate& c = cands[fi][ci];
            trial.slots[facts[fi]] = c.value;
            if (g.facts[facts[fi]].type == value_type::text) trial.text[facts[fi]] = c.text;
          }
          if (tried == options.max_trials) {
            r.incomplete = true;
            break;
          }
          evaluate(prog, trial, te);
          ++tried;
          std::int32_t rated_in = -1;
          int lvl = rating_level(g, te, static_cast<std::uint32_t>(proc), &rated_in);
          if (lvl >= 0 && lvl < bar && te.violated.empty()) {
            why_not_option o;
            o.variant = static_cast<std::uint32_t>(rated_in);
            o.level = static_cast<std::uint32_t>(lvl);
            // Scores are never changed directly: show the one the changed facts give.
            for (const score& sc : g.scores)
              if (!sc.is_value && te.numbers[sc.node] != e.numbers[sc.node])
                o.scores.push_back(fmt::format("{} {}", sc.id, te.numbers[sc.node].exact()
                                                                   ? fmt::format("{}", te.numbers[sc.node].lo)
                                                                   : fmt::format("{} to {}", te.numbers[sc.node].lo, te.numbers[sc.node].hi)));
            for (auto [fi, ci] : picks) {
              const fact& fa = g.facts[facts[fi]];
              const candidate& c = cands[fi][ci];
              o.changes.push_back({facts[fi], fa.id + " " + c.condition, (fa.label.empty() ? fa.id : fa.label) + " " + c.condition, c.value, c.members});
            }
            kept.push_back({std::move(picks), std::move(o)});
          }
        }
        if (r.incomplete) break;
        // Next value combination.
        int i = k - 1;
        while (i >= 0 && ++pick[static_cast<std::size_t>(i)] == cands[combo[static_cast<std::size_t>(i)]].size()) pick[static_cast<std::size_t>(i--)] = 0;
        if (i < 0) break;
      }
      if (r.incomplete) break;
      // Next k-subset.
      int i = k - 1;
      while (i >= 0 && combo[static_cast<std::size_t>(i)] == facts.size() - static_cast<std::size_t>(k - i)) --i;
      if (i < 0) break;
      ++combo[static_cast<std::size_t>(i)];
      for (int j = i + 1; j < k; ++j) combo[static_cast<std::size_t>(j)] = combo[static_cast<std::size_t>(j - 1)] + 1;
    }
  }
  std::vector<std::size_t> rank(g.variants.size(), 0);
  for (std::size_t i = 0; i < g.order.size(); ++i) rank[g.order[i]] = i;
  std::stable_sort(kept.begin(), kept.end(), [&](const found& a, const found& b) {
    if (a.picks.size() != b.picks.size()) return a.picks.size() < b.picks.size();
    if (a.option.level != b.option.level) return a.option.level < b.option.level;
    return rank[a.option.variant] < rank[b.option.variant];
  });
  for (auto& f : kept) {
    if (r.options.size() == options.max_options) { r.truncated = true; break; }
    r.options.push_back(std::move(f.option));
  }
  return r;
}

std::string describe_option(const graph& g, const why_not_option& o) {
  std::string out;
  for (const auto& c : o.changes) out += (out.empty() ? "" : ", ") + c.condition;
  std::string label = g.rating_scale >= 0 ? g.scales[g.rating_scale].levels[o.level].label : "?";
  std::string scores;
  for (const auto& s : o.scores) scores += (scores.empty() ? " (" : ", ") + s;
  if (!scores.empty()) scores += ")";
  return fmt::format("{} → variant {}, {}{}", out, g.variants[o.variant].id, label, scores);
}

std::string render_why_not_text(const graph& g, const why_not_result& r, bool color, const change_words& words) {
  auto bold = [&](std::string_view s) { return color ? fmt::format("\x1b[1m{}\x1b[0m", s) : std::string(s); };
  if (!r.error.empty()) return "why-not: " + r.error + "\n";
  const procedure& pr = g.procedures[r.procedure];
  std::string out = "\n" + bold(fmt::format("Why not \"{}\"?", pr.name)) + "\n";
  std::string now = r.current_level >= 0 ? g.scales[g.rating_scale].levels[r.current_level].label : "not rated (no variant selected)";
  out += fmt::format("  now: {}", now);
  if (r.current_variant >= 0) out += fmt::format(" in variant {}", g.variants[r.current_variant].id);
  out += "\n";
  if (r.current_level == 0) return out + "  it is already in the most favourable category\n";
  if (r.options.empty()) return out + "  no change of the facts that may change gives it a better category\n";
  out += "  it gets a better category if (smallest sets of changes; fixed facts never change):\n";
  for (const auto& o : r.options) {
    out += "  • " + describe_option(g, o) + "\n";
    if (!words) continue;
    for (const auto& c : o.changes)
      if (std::string w = words(c); !w.empty()) out += fmt::format("      {}: {}\n", c.condition, w);
  }
  if (r.truncated) out += "  … (more options not shown)\n";
  if (r.incomplete) out += "  … (the search stopped at its budget of trials; larger change sets were not all tried)\n";
  return out;
}

std::string render_why_not_json(const graph& g, const why_not_result& r, const change_words& words) {
  json_writer w;
  w.begin_object();
  if (!r.error.empty()) {
    w.key("error").value(r.error).end_object();
    return w.take();
  }
  const auto& levels = g.scales[g.rating_scale].levels;
  w.key("procedure").value(g.procedures[r.procedure].name);
  w.key("current");
  if (r.current_level >= 0) w.value(levels[r.current_level].id); else w.null();
  w.key("options").begin_array();
  for (const auto& o : r.options) {
    w.begin_object().key("changes").begin_array();
    for (const auto& c : o.changes) {
      w.begin_object().key("fact").value(g.facts[c.slot].id).key("condition").value(c.condition);
      if (words) w.key("record").value(words(c));
      w.end_object();
    }
    w.end_array();
    w.key("variant").value(g.variants[o.variant].id).key("category").value(levels[o.level].id).key("label").value(levels[o.level].label);
    w.key("text").value(describe_option(g, o)).end_object();
  }
  w.end_array().key("truncated").value(r.truncated).key("incomplete").value(r.incomplete).end_object();
  return w.take();
}

}  // namespace rubric::runtime
