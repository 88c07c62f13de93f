// Card summary and detail text (card_text.hpp).
#include "service/card_text.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/fhir_explain.hpp"
#include "runtime/why_not.hpp"

namespace rubric::service {

namespace {

using namespace runtime;

const std::string& level_label(const graph& g, std::int32_t level) {
  return g.scales[static_cast<std::size_t>(g.rating_scale)].levels[static_cast<std::size_t>(level)].label;
}

// Cut `s` to at most `limit` code points, ending in "…" when cut.
std::string clip(const std::string& s, std::size_t limit) {
  if (code_points(s) <= limit) return s;
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool starts = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts && ++n > limit - 1) break;
    out += s[i];
  }
  return out + "…";
}

// A provenance text as Markdown: its continuation lines become nested items.
std::string provenance_md(std::string words) {
  std::string out;
  std::size_t at = 0, nl;
  while ((nl = words.find('\n', at)) != std::string::npos) {
    out += words.substr(at, nl - at);
    out += "\n    - ";
    at = words.find_first_not_of(' ', nl + 1);
    if (at == std::string::npos) return out;
  }
  return out + words.substr(at);
}

std::string facts_md(const card_words& w) {
  std::string out = "\n**From the record**\n\n";
  if (!w.where.order.empty()) out += fmt::format("- Order: {}\n", w.where.order);
  for (std::uint32_t s = 0; s < w.where.facts.size() && s < w.g.facts.size(); ++s) {
    if (w.where.facts[s].empty()) continue;
    out += fmt::format("- {} = {}: {}\n", w.g.facts[s].label, fact_value_text(w.g, w.p, s), provenance_md(w.where.facts[s]));
  }
  return out;
}

std::string why_md(const card_words& w) {
  std::string out = "\n**Why this scenario**\n\n";
  for (const criterion_line& c : w.x.path) {
    if (c.depth > 0) continue;
    std::string facts;
    for (const fact_use& f : c.facts) facts += fmt::format("{}{}: {}", facts.empty() ? "" : "; ", w.g.facts[f.slot].label, f.value);
    out += fmt::format("- {}{}{}\n", c.negated ? "Not: " : "", c.label, facts.empty() ? "" : " (" + facts + ")");
  }
  return out;
}

std::string ratings_md(const card_words& w) {
  std::string out = "\n| Procedure | Category | Radiation |\n|---|---|---|\n";
  std::vector<rating_line> ratings = w.x.ratings;
  order_first(ratings, w.procedure);
  for (const rating_line& r : ratings) {
    std::string name = w.g.procedures[r.procedure].name;
    if (static_cast<std::int32_t>(r.procedure) == w.procedure) name = "**" + name + "** (ordered)";
    out += fmt::format("| {} | {} | {} |\n", name, r.level >= 0 ? level_label(w.g, r.level) : "not rated", radiation_of(w.g, r).rrl);
  }
  return out;
}

std::string advice_md(const card_words& w) {
  if (w.x.advice.empty() && w.x.conditional_advice.empty()) return {};
  std::string out = "\n**Advice**\n\n";
  for (const auto& a : w.x.advice) out += "- " + a + "\n";
  for (const auto& a : w.x.conditional_advice) out += "- " + a + " (if it applies: the record does not say)\n";
  return out;
}

std::string source_md(const graph& g) {
  std::string out = fmt::format("\n*Source: {}", g.source);
  if (!g.citation.empty()) out += ". " + g.citation;
  return out + ".*\n";
}

// What each still-possible variant would make of the order, and the
// criteria the record leaves open for it: what settling the missing facts
// would change.
std::string candidates_md(const card_words& w) {
  std::string out = fmt::format("\n**What the missing facts would decide** for {}\n\n", w.g.procedures[static_cast<std::size_t>(w.procedure)].name);
  for (std::uint32_t v : w.x.candidates) {
    const variant& var = w.g.variants[v];
    std::int32_t level = -1;
    for (const rating& r : var.ratings)
      if (static_cast<std::int32_t>(r.procedure) == w.procedure) level = static_cast<std::int32_t>(r.level);
    std::string open;
    for (const variant_line& l : w.x.others)
      if (l.variant == v)
        for (const criterion_line& c : l.reasons)
          if (c.value == truth::unknown && c.depth == 0)
            open += fmt::format("{}{}{}", open.empty() ? "" : "; ", c.negated && !c.label.starts_with("not ") ? "not " : "", c.label);
    out += fmt::format("- Variant {} ({}){}: {}\n", var.id, var.title, open.empty() ? "" : ", if " + open,
                       level >= 0 ? level_label(w.g, level) : "not rated there");
  }
  return out;
}

// Undetermined: the variants still possible, each missing fact with where
// the record left it, and the smallest changes that would rate the order.
std::string undetermined_md(const card_words& w) {
  std::string out = "**No rating yet: the record does not decide the clinical scenario.** Still possible:";
  for (std::uint32_t v : w.x.candidates) out += fmt::format(" variant {},", w.g.variants[v].id);
  out.back() = '.';
  out += "\n\n**Missing facts**\n\n";
  for (std::uint32_t s : w.x.missing) {
    const std::string& words = s < w.where.facts.size() ? w.where.facts[s] : std::string();
    out += fmt::format("- {} (`{}`): {}\n", w.g.facts[s].label, w.g.facts[s].id, words.empty() ? "not in the record (no binding reads it)" : provenance_md(words));
  }
  out += candidates_md(w);
  why_not_options limits;
  limits.max_options = 6;
  why_not_result r = why_not(w.g, w.p, w.g.procedures[static_cast<std::size_t>(w.procedure)].id, limits);
  if (!r.options.empty()) {
    out += "\n**Smallest changes to a better category**\n\n";
    for (const why_not_option& o : r.options) {
      std::string changes;
      for (const fact_change& c : o.changes) changes += (changes.empty() ? "" : " and ") + c.label_text;
      out += fmt::format("- If {}: variant {}, {}\n", changes, w.g.variants[o.variant].id, level_label(w.g, static_cast<std::int32_t>(o.level)));
    }
  }
  return out;
}

}  // namespace

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string card_summary(const card_words& w) {
  const std::string& name = w.g.procedures[static_cast<std::size_t>(w.procedure)].name;
  std::string tail;
  switch (w.x.result) {
    case status::matched:
      tail = w.level >= 0 ? fmt::format("{} (ACR {}, variant {})", level_label(w.g, w.level), w.g.title, w.g.variants[static_cast<std::size_t>(w.x.variant)].id)
                          : fmt::format("not rated in ACR {}, variant {}", w.g.title, w.g.variants[static_cast<std::size_t>(w.x.variant)].id);
      break;
    case status::no_criteria_apply: tail = fmt::format("no ACR {} scenario applies", w.g.title); break;
    case status::undetermined: {
      std::string missing;
      for (std::uint32_t s : w.x.missing) missing += (missing.empty() ? "" : ", ") + w.g.facts[s].label;
      tail = "no rating yet; missing: " + missing;
      break;
    }
  }
  std::string s = name + ": " + tail;
  return clip(s, 139);
}

std::string card_detail(const card_words& w) {
  if (w.x.result == status::undetermined) return undetermined_md(w) + facts_md(w) + source_md(w.g);
  std::string out;
  if (w.x.result == status::matched) {
    const variant& v = w.g.variants[static_cast<std::size_t>(w.x.variant)];
    out = fmt::format("**Variant {}**: {}\n", v.id, v.title);
    if (w.level >= 0)
      out += fmt::format("\nThe ordered **{}** is *{}* in this scenario.\n", w.g.procedures[static_cast<std::size_t>(w.procedure)].name, level_label(w.g, w.level));
    else
      out += fmt::format("\nThis scenario does not rate **{}**.\n", w.g.procedures[static_cast<std::size_t>(w.procedure)].name);
    out += why_md(w) + ratings_md(w);
  } else {
    out = fmt::format("**No scenario of ACR {} applies** to this patient ({}).\n", w.g.title, w.g.otherwise.present ? w.g.otherwise.label : "no variant's criteria hold");
  }
  return out + advice_md(w) + facts_md(w) + source_md(w.g);
}

}  // namespace rubric::service
