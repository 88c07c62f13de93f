// Ratings, variants, outcomes and examples of the root guideline. See ratings.hpp.
#include "compiler/sema/ratings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "compiler/sema/quantity.hpp"
#include "compiler/sema/resolve.hpp"
#include "compiler/diagnostics/suggest.hpp"
#include "compiler/sema/typecheck.hpp"

namespace rubric::compiler {

using sema::name_space;
using sema::symbol;
using sema::symbol_kind;
using sema::type_kind;

std::vector<std::string> label_words(const std::string& label) {
  std::vector<std::string> words;
  std::string word;
  for (char c : label) {
    if (c == '(' || c == ')') continue;
    if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
      continue;
    }
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

namespace {

std::string join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::uint32_t> visible_modules(const sema::program& p, std::uint32_t module) {
  std::vector<std::uint32_t> v{module};
  for (auto i : p.scopes[module].imports) v.push_back(i);
  return v;
}

}  // namespace

std::optional<symbol> find_procedure(sema::program& p, std::uint32_t module, const ast::procedure_ref& ref,
                                     diagnostic_sink& sink) {
  auto visible = visible_modules(p, module);
  if (ref.by_display_name) {
    for (auto m : visible) {
      const auto& procs = p.module(m).procedures;
      for (std::uint32_t i = 0; i < procs.size(); ++i) {
        if (procs[i].display.value == ref.text) return symbol{symbol_kind::procedure, m, i};
      }
    }
  } else {
    diagnostic_sink quiet;
    if (auto s = lookup(p, module, ref.text, ref.where, name_space::procedure, quiet, false)) return s;
    if (ref.text.find('.') != std::string::npos) {
      lookup(p, module, ref.text, ref.where, name_space::procedure, sink);
      return std::nullopt;
    }
  }
  // One report per distinct spelling: the same typo in seven variants is one mistake.
  if (!p.reported_unknown.insert({module, "procedure-ref:" + ref.text}).second) return std::nullopt;
  std::vector<std::string> names;
  for (auto m : visible) {
    for (const auto& proc : p.module(m).procedures) names.push_back(ref.by_display_name ? proc.display.value : proc.id.text);
  }
  std::string shown = "`" + ref.text + "`";
  auto& d = sink.report(diag_code::unknown_procedure, ref.where, shown + " is not in the procedure catalog");
  if (names.empty()) {
    d.note("no procedures are visible here");
    d.suggest("import the catalog that lists it, for example `import stdlib.spine`");
    return std::nullopt;
  }
  // An exact match ignoring case beats any edit-distance guess.
  auto same_case = std::find_if(names.begin(), names.end(), [&](const std::string& n) { return lower(n) == lower(ref.text); });
  std::optional<std::string> best = same_case != names.end() ? std::optional<std::string>(*same_case) : closest_match(ref.text, names);
  if (best) {
    d.suggest(ref.by_display_name ? "did you mean `\"" + *best + "\"`?" : "did you mean `" + *best + "`?");
  } else {
    d.note(ref.by_display_name ? "ratings use the catalog's display name exactly as ACR writes it, or the procedure id"
                               : "no procedure has this id");
  }
  return std::nullopt;
}

namespace {

// `usually appropriate caveat` is a label followed by a clause word that lost
// its value: the word joined the label because a label may contain any word.
std::optional<std::string> dangling_tail_word(const std::vector<std::string>& words,
                                              const std::vector<std::string>& labels) {
  if (words.size() < 2) return std::nullopt;
  const std::string& last = words.back();
  if (last != "score" && last != "rrl" && last != "caveat") return std::nullopt;
  const std::vector<std::string> head(words.begin(), words.end() - 1);
  for (const auto& label : labels)
    if (label == join(head)) return last;
  return std::nullopt;
}

std::string tail_help(const std::string& word) {
  if (word == "score") return "`score` takes a number after it, as in `score 8`";
  if (word == "rrl") return "`rrl` takes a radiation level after it, as in `rrl ☢☢`";
  return "`caveat` takes a quoted text after it, as in `caveat \"the source does not say\"`";
}

}  // namespace

std::optional<std::uint32_t> find_category(const sema::program& p, const symbol& scale, const ast::category_ref& ref,
                                           diagnostic_sink& sink) {
  const auto& sc = p.module(scale.module).scales[scale.index];
  for (std::uint32_t i = 0; i < sc.levels.size(); ++i) {
    const auto& level = sc.levels[i];
    if (label_words(level.label.value) == ref.words) return i;
    if (ref.words.size() == 1 && lower(level.id.text) == ref.words[0]) return i;
    if (ref.spelling == level.id.text) return i;
  }
  auto& d = sink.report(diag_code::unknown_category, ref.where,
                        "`" + ref.spelling + "` is not a category of scale `" + sc.id.text + "`");
  std::vector<std::string> labels;
  std::string listed;
  for (const auto& level : sc.levels) {
    labels.push_back(join(label_words(level.label.value)));
    listed += (listed.empty() ? "`" : ", `") + level.label.value + "`";
  }
  if (auto tail = dangling_tail_word(ref.words, labels)) {
    d.suggest(tail_help(*tail));
  } else if (auto best = closest_match(join(ref.words), labels)) {
    d.suggest("did you mean `" + *best + "`?");
  }
  d.note("its categories are " + listed);
  return std::nullopt;
}

namespace {

class outcome_checker {
 public:
  outcome_checker(sema::program& p, diagnostic_sink& sink) : p_(p), sink_(sink), root_(p.module(0)), scope_(p.scopes[0]) {}

  void run() {
    for (std::uint32_t m = 0; m < p_.module_count(); ++m) check_library(m);
    variant_ids();
    p_.ratings.assign(root_.variants.size(), {});
    for (std::uint32_t v = 0; v < root_.variants.size(); ++v) check_variant(v);
    check_order();
    if (root_.otherwise.size() > 1) {
      sink_.report(diag_code::multiple_otherwise, root_.otherwise[1].where, "a guideline can have only one `otherwise`")
          .also(root_.otherwise[0].where, "first `otherwise` here")
          .suggest("merge the advice into the first `otherwise`, with `when` conditions where it differs");
    }
    for (const auto& ex : root_.examples) check_example(ex);
  }

 private:
  void check_library(std::uint32_t m) {
    const auto& mod = p_.module(m);
    if (mod.head.kind != ast::module_kind::library) return;
    span where{};
    const char* what = nullptr;
    if (!mod.variants.empty()) { where = mod.variants[0].where; what = "variants"; }
    else if (!mod.otherwise.empty()) { where = mod.otherwise[0].where; what = "an `otherwise`"; }
    else if (!mod.examples.empty()) { where = mod.examples[0].where; what = "examples"; }
    if (!what) return;
    sink_.report(diag_code::outcomes_in_library, where, "library `" + mod.head.module.text + "` cannot declare " + what)
        .suggest("make it a guideline: write `guideline " + mod.head.module.text + " \"…\"` in the header");
  }

  void variant_ids() {
    for (std::uint32_t v = 0; v < root_.variants.size(); ++v) {
      const auto& id = root_.variants[v].id;
      auto [it, inserted] = ids_.emplace(id.text, v);
      if (!inserted) {
        sink_.report(diag_code::duplicate_variant, id.where, "variant `" + id.text + "` is defined twice")
            .also(root_.variants[it->second].id.where, "first defined here")
            .suggest("give each variant its own number or id");
      }
    }
  }

  // Reports R0406 for an id that names no variant; returns its index if it does.
  std::optional<std::uint32_t> variant_ref(const ast::name& id, const char* context) {
    if (auto it = ids_.find(id.text); it != ids_.end()) return it->second;
    auto& d = sink_.report(diag_code::unknown_variant, id.where, std::string(context) + " names variant `" + id.text + "`, which does not exist");
    std::string listed;
    std::vector<std::string> names;
    for (const auto& v : root_.variants) {
      listed += (listed.empty() ? "`" : ", `") + v.id.text + "`";
      names.push_back(v.id.text);
    }
    if (listed.empty()) d.note("this guideline has no variants");
    else d.note("its variants are " + listed);
    return std::nullopt;
  }

  bool have_scale() {
    if (scope_.rating_scale) return true;
    if (!root_.head.scale && !scale_reported_) {
      scale_reported_ = true;
      sink_.report(diag_code::missing_scale, root_.head.module.where,
                   "guideline `" + root_.head.module.text + "` rates procedures but names no rating scale")
          .suggest("add `scale appropriateness` to the header (with `import stdlib.acr`)");
    }
    return false;
  }

  void check_variant(std::uint32_t v) {
    const auto& var = root_.variants[v];
    auto& infos = p_.ratings[v];
    infos.resize(var.ratings.size());
    std::map<std::pair<std::uint32_t, std::uint32_t>, span> rated;
    for (std::size_t r = 0; r < var.ratings.size(); ++r) {
      const auto& rating = var.ratings[r];
      auto proc = find_procedure(p_, 0, rating.procedure, sink_);
      std::optional<std::uint32_t> level;
      if (have_scale()) level = category(rating.category);
      if (proc) {
        auto [it, inserted] = rated.emplace(std::make_pair(proc->module, proc->index), rating.procedure.where);
        if (!inserted) {
          sink_.report(diag_code::duplicate_rating, rating.procedure.where,
                       "`" + p_.module(proc->module).procedures[proc->index].display.value + "` is rated twice in variant `" +
                           var.id.text + "`")
              .also(it->second, "first rated here")
              .suggest("keep one rating per procedure in each variant");
        }
      }
      if (level && rating.score) check_score(*level, *rating.score);
      if (proc && rating.rrl) check_rrl(*proc, *rating.rrl);
      if (proc && level) infos[r] = {true, *proc, *level};
    }
    for (const auto& t : var.next) variant_ref(t.target, "`next`");
  }

  // One report per distinct misspelt category, like procedures.
  std::optional<std::uint32_t> category(const ast::category_ref& ref) {
    diagnostic_sink quiet;
    bool first = reported_categories_.insert(ref.spelling).second;
    auto level = find_category(p_, *scope_.rating_scale, ref, first ? sink_ : quiet);
    if (level) reported_categories_.erase(ref.spelling);
    return level;
  }

  void check_score(std::uint32_t level, const ast::number& score) {
    const auto& l = p_.module(scope_.rating_scale->module).scales[scope_.rating_scale->index].levels[level];
    if (!l.range_min || !l.range_max) {
      sink_.report(diag_code::score_out_of_range, score.where,
                   "category `" + l.label.value + "` has no numeric range, so it cannot take a score")
          .also(l.id.where, "level defined here")
          .suggest("remove `score " + score.spelling + "`");
      return;
    }
    if (score.unit_of == ast::unit::none && score.value >= l.range_min->value && score.value <= l.range_max->value) return;
    sink_.report(diag_code::score_out_of_range, score.where,
                 "score " + score.spelling + " is outside the range of `" + l.label.value + "` (" + l.range_min->spelling + " to " +
                     l.range_max->spelling + ")")
        .also(l.id.where, "range defined here")
        .suggest("use a score from " + l.range_min->spelling + " to " + l.range_max->spelling + ", or change the category");
  }

  void check_rrl(const symbol& proc, const ast::level_ref& ref) {
    const auto& pscope = p_.scopes[proc.module];
    std::optional<symbol> scale = pscope.radiation_scale ? pscope.radiation_scale : scope_.radiation_scale;
    if (!scale) {
      if (!p_.reported_unknown.insert({0, "rrl-scale"}).second) return;
      sink_.report(diag_code::missing_radiation_scale, ref.where,
                   "radiation level `" + ref.spelling + "` needs a radiation scale, but none is named")
          .suggest("add `radiation relative_radiation_level` to the guideline header");
      return;
    }
    const auto& sc = p_.module(scale->module).scales[scale->index];
    std::int32_t level = find_level_by_spelling(sc, ref.spelling);
    if (level < 0) {
      std::string listed;
      for (const auto& l : sc.levels) listed += (listed.empty() ? "`" : ", `") + l.label.value + "`";
      sink_.report(diag_code::unknown_radiation_level, ref.where,
                   "`" + ref.spelling + "` is not a level of radiation scale `" + sc.id.text + "`")
          .note("its levels are " + listed);
      return;
    }
    const auto& decl = p_.module(proc.module).procedures[proc.index];
    std::int32_t adult = pscope.adult_rrl[proc.index];
    std::int32_t pediatric = pscope.pediatric_rrl[proc.index];
    if (level == adult || level == pediatric) return;
    auto label = [&](std::int32_t i) { return sc.levels[static_cast<std::size_t>(i)].label.value; };
    if (adult < 0 && pediatric < 0) {
      sink_.report(diag_code::rrl_mismatch, ref.where,
                   "the catalog gives `" + decl.display.value + "` no radiation level, so `rrl " + ref.spelling + "` cannot agree with it")
          .also(decl.id.where, "catalog entry here")
          .suggest("remove `rrl " + ref.spelling + "` or add `adult rrl " + ref.spelling + "` to the catalog entry");
      return;
    }
    auto& d = sink_.report(diag_code::rrl_mismatch, ref.where,
                           "`" + decl.display.value + "` has radiation level `" + label(adult >= 0 ? adult : pediatric) +
                               "` in the catalog, not `" + ref.spelling + "`");
    if (decl.adult_rrl) d.also(decl.adult_rrl->where, "catalog RRL here");
    d.suggest("write `rrl " + label(adult >= 0 ? adult : pediatric) + "` or leave the RRL out: the catalog supplies it");
  }

  void check_order() {
    if (!root_.head.select || root_.head.select->order.empty()) return;
    const auto& sel = *root_.head.select;
    std::map<std::uint32_t, span> listed;
    for (const auto& id : sel.order) {
      auto v = variant_ref(id, "`select … in order`");
      if (!v) continue;
      auto [it, inserted] = listed.emplace(*v, id.where);
      if (!inserted) {
        sink_.report(diag_code::incomplete_order, id.where, "variant `" + id.text + "` is listed twice in the selection order")
            .also(it->second, "first listed here")
            .suggest("list every variant exactly once");
      }
    }
    std::string missing;
    std::size_t count = 0;
    for (std::uint32_t v = 0; v < root_.variants.size(); ++v) {
      if (listed.count(v)) continue;
      missing += (missing.empty() ? "`" : ", `") + root_.variants[v].id.text + "`";
      ++count;
    }
    if (count == 0) return;
    auto& d = sink_.report(diag_code::incomplete_order, sel.where,
                           std::string("the selection order leaves out variant") + (count > 1 ? "s " : " ") + missing);
    d.suggest("add " + std::string(count > 1 ? "them" : "it") + " to the `in order` list where " +
              (count > 1 ? "they belong" : "it belongs"));
    for (std::uint32_t v = 0; v < root_.variants.size(); ++v) {
      if (!listed.count(v)) d.also(root_.variants[v].id.where, "not in the order");
    }
  }

  std::optional<symbol> fact_ref(const ast::name& n) {
    auto s = lookup(p_, 0, n.text, n.where, name_space::value, sink_);
    if (!s) return std::nullopt;
    if (s->kind != symbol_kind::fact) {
      sink_.report(diag_code::wrong_kind_of_name, n.where, "`" + n.text + "` is " + a_kind_name(s->kind) + ", not a patient fact")
          .also(symbol_span(p_, *s), "defined here")
          .note("examples give values to patient facts; criteria and lets are computed from them");
      return std::nullopt;
    }
    return s;
  }

  void check_given(const ast::given_decl& g, std::map<std::string, span>& seen) {
    auto fact = fact_ref(g.fact);
    if (!fact) return;
    auto [it, inserted] = seen.emplace(symbol_id(p_, *fact), g.fact.where);
    if (!inserted) {
      sink_.report(diag_code::duplicate_given, g.fact.where, "the example gives `" + g.fact.text + "` twice")
          .also(it->second, "first given here")
          .suggest("keep one value per fact");
      return;
    }
    const auto& t = p_.scopes[fact->module].fact_types[fact->index];
    const ast::expr& v = g.value;
    using k = ast::expr_kind;
    if (v.kind == k::unknown || t.kind == type_kind::error) return;
    bool ok = false;
    switch (t.kind) {
      case type_kind::boolean: ok = v.kind == k::boolean; break;
      case type_kind::number:
        if (v.kind == k::number) {
          check_given_number(g, *fact, t);
          return;
        }
        break;
      case type_kind::duration: ok = v.kind == k::number && v.number_value.unit_of != ast::unit::none; break;
      case type_kind::text: ok = v.kind == k::string; break;
      case type_kind::enumeration:
        if (v.kind == k::name) {
          check_member(p_, t, v.text_value, v.where, sink_);
          return;
        }
        break;
      case type_kind::set:
        if (v.kind == k::set) {
          for (const auto& member : v.operands) check_member(p_, t, member.text_value, member.where, sink_);
          return;
        }
        break;
      default: break;
    }
    if (ok) return;
    std::string value = sema::span_text(p_, v.where);
    auto& d = sink_.report(diag_code::given_type_mismatch, v.where,
                           "`" + g.fact.text + "` is " + describe_type(p_, t) + ", but the example gives it `" + value + "`");
    switch (t.kind) {
      case type_kind::duration:
        if (v.kind == k::number) d.suggest("write the unit, for example `" + value + " years` or `" + value + " weeks`");
        else d.suggest("write a duration such as `12 weeks`");
        break;
      case type_kind::number: d.suggest("write a plain number"); break;
      case type_kind::boolean: d.suggest("write `true`, `false` or `unknown`"); break;
      case type_kind::text: d.suggest("write the text in quotes"); break;
      case type_kind::enumeration: d.suggest("write one member of the enum"); break;
      case type_kind::set: d.suggest("write a set of members such as `{}` or `{fever}`"); break;
      default: break;
    }
  }

  // A number given to a number fact: bare (in the declared unit) or in a unit
  // of its dimension; whole for an integer; inside the declared range.
  void check_given_number(const ast::given_decl& g, const symbol& fact, const sema::type& t) {
    const ast::number& n = g.value.number_value;
    std::string value = sema::span_text(p_, g.value.where);
    const ast::type_ref& declared = p_.scopes[fact.module].facts[fact.index]->type;
    auto target = type_unit(t);
    if (n.has_unit() && !literal_unit(n)) return;  // an unknown unit: typecheck said so
    std::optional<double> v = literal_in(n, target);
    if (n.has_unit() && (!target || !v)) {
      auto& d = sink_.report(diag_code::given_type_mismatch, g.value.where,
                             "`" + g.fact.text + "` is " + describe_type(p_, t) + ", but the example gives it `" + value + "`");
      if (target) d.suggest("give it in `" + t.unit + "` or another unit of the same kind, or as a bare number in `" + t.unit + "`");
      else d.suggest("write a plain number");
      return;
    }
    if (t.integer && *v != std::floor(*v)) {
      sink_.report(diag_code::given_type_mismatch, g.value.where,
                   "`" + g.fact.text + "` is a whole number, but the example gives it `" + value + "`")
          .suggest("write a whole number");
      return;
    }
    auto bound = [&](const std::optional<ast::number>& b) { return b ? literal_in(*b, target) : std::nullopt; };
    auto low = bound(declared.low), high = bound(declared.high);
    if ((low && *v < *low) || (high && *v > *high)) {
      std::string range = (declared.low ? declared.low->spelling : "") + ".." + (declared.high ? declared.high->spelling : "");
      sink_.report(diag_code::given_type_mismatch, g.value.where,
                   "`" + g.fact.text + "` is declared in the range " + range + ", but the example gives it `" + value + "`")
          .also(declared.where, "declared here")
          .suggest("give a value inside the range");
    }
  }

  void check_example(const ast::example_decl& ex) {
    std::map<std::string, span> seen;
    for (const auto& g : ex.given) check_given(g, seen);
    for (const auto& e : ex.expect) {
      switch (e.kind) {
        case ast::expect_kind::variant:
          for (const auto& n : e.names) variant_ref(n, "`expect variant`");
          break;
        case ast::expect_kind::candidates:
          for (const auto& n : e.names) variant_ref(n, "`expect candidates`");
          break;
        case ast::expect_kind::status:
          break;  // the grammar admits only the three status words
        case ast::expect_kind::missing:
          for (const auto& n : e.names) fact_ref(n);
          break;
        case ast::expect_kind::rating:
          find_procedure(p_, 0, e.procedure, sink_);
          if (have_scale()) category(e.category);
          break;
      }
    }
  }

  sema::program& p_;
  diagnostic_sink& sink_;
  const ast::module& root_;
  const sema::module_scope& scope_;
  std::map<std::string, std::uint32_t> ids_;
  bool scale_reported_ = false;
  std::set<std::string> reported_categories_;
};

}  // namespace

void check_outcomes(sema::program& p, diagnostic_sink& sink) {
  if (p.module_count() == 0) return;
  outcome_checker(p, sink).run();
}

}  // namespace rubric::compiler
