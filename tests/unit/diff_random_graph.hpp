// Random guidelines for the `rubric diff` and `rubric examples` property tests:
// conditions over bool, duration, number, enum, set and text facts (with
// `is known` tests), criteria, 2 to 4 variants under `first` or `unique`, a
// three-level rating scale and three procedures rated at random.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "verify_graph_builder.hpp"

namespace rubric::test {

inline const std::vector<double> day_thresholds{7, 28, 42, 365.25};

inline void add_catalog(runtime::graph& g) {
  runtime::scale s;
  s.id = "test.appropriateness";
  s.label = "Appropriateness";
  for (const char* id : {"usually_appropriate", "may_be_appropriate", "usually_not_appropriate"}) s.levels.push_back({id, id, "", {}, {}, "", ""});
  g.scales.push_back(s);
  g.rating_scale = 0;
  for (const char* id : {"xr", "mri", "ct"}) {
    runtime::procedure p;
    p.id = id;
    p.name = std::string("Procedure ") + id;
    g.procedures.push_back(p);
  }
}

inline runtime::graph random_graph(std::mt19937& rng) {
  test::graph_builder b;
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::int32_t e = b.enumeration("colour", {"red", "green", "blue"});
  b.g.strings = {"left", "right"};
  std::uint32_t dur = b.fact("dur", runtime::value_type::duration);
  std::uint32_t num = b.fact("num", runtime::value_type::number);
  std::uint32_t flag = b.fact("flag", runtime::value_type::boolean);
  std::uint32_t col = b.fact("col", runtime::value_type::enumeration, e);
  std::uint32_t cols = b.fact("cols", runtime::value_type::set, e);
  std::uint32_t side = b.fact("side", runtime::value_type::text);
  std::vector<std::uint32_t> pool;
  auto op = [&] { return static_cast<runtime::compare_op>(pick(4)); };  // <, <=, >, >=
  for (int i = 0; i < 9; ++i) {
    switch (pick(7)) {
      case 0: pool.push_back(b.compare(dur, op(), day_thresholds[pick(day_thresholds.size())], "dur cmp")); break;
      case 1: pool.push_back(b.compare(num, op(), static_cast<double>(pick(5)), "num cmp")); break;
      case 2: pool.push_back(b.simple(runtime::node_kind::fact_true, flag, 0, "flag")); break;
      case 3: pool.push_back(b.simple(runtime::node_kind::enum_in, col, 1 + pick(6), "col in")); break;
      case 4: pool.push_back(b.simple(runtime::node_kind::set_any, cols, 1 + pick(7), "cols any")); break;
      case 5: pool.push_back(b.simple(runtime::node_kind::is_known, static_cast<std::uint32_t>(pick(6)), 0, "known")); break;
      case 6: {
        runtime::node n;
        n.kind = runtime::node_kind::text_equals;
        n.slot = static_cast<std::int32_t>(side);
        n.op = runtime::compare_op::eq;
        n.mask = pick(2);
        pool.push_back(b.add(n, "side ="));
        break;
      }
    }
  }
  for (int i = 0; i < 8; ++i) {
    std::size_t k = pick(4);
    if (k == 0) {
      pool.push_back(b.connective(runtime::node_kind::not_, {pool[pick(pool.size())]}, "not"));
    } else if (k == 3) {
      pool.push_back(b.criterion("c" + std::to_string(i), pool[pick(pool.size())]));
    } else {
      std::vector<std::uint32_t> kids;
      for (std::size_t j = 0, n = 2 + pick(2); j < n; ++j) kids.push_back(pool[pick(pool.size())]);
      pool.push_back(b.connective(k == 1 ? runtime::node_kind::and_ : runtime::node_kind::or_, kids, k == 1 ? "and" : "or"));
    }
  }
  add_catalog(b.g);
  for (std::size_t v = 0, n = 2 + pick(3); v < n; ++v) {
    std::uint32_t at = b.variant(std::to_string(v + 1), static_cast<std::int32_t>(pool[pool.size() - 1 - pick(8)]));
    for (std::uint32_t p = 0; p < 3; ++p)
      if (pick(4) != 0) b.g.variants[at].ratings.push_back({p, static_cast<std::uint32_t>(pick(3)), {}, {}, ""});
  }
  b.g.policy = pick(2) ? runtime::select_policy::first : runtime::select_policy::unique;
  return b.g;
}

}  // namespace rubric::test
