// Plain words keep the author's grouping (issue 10, item 5): every and/or/not
// nesting to depth 3 is rendered by runtime::plain_words, read back by the
// small parser below, and must give the same tree — so the words a reviewer
// reads in `rubric doc` and `rubric graph` describe exactly one rule.
#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/graph.hpp"
#include "runtime/plain_words.hpp"

using namespace rubric::runtime;

namespace {

// A condition tree: a leaf (fact index) or not/and/or over subtrees.
struct tree {
  node_kind kind = node_kind::fact_true;
  int leaf = 0;
  std::vector<std::shared_ptr<const tree>> kids;
};
using tree_ptr = std::shared_ptr<const tree>;

tree_ptr leaf(int i) { return std::make_shared<tree>(tree{node_kind::fact_true, i, {}}); }
tree_ptr make(node_kind k, std::vector<tree_ptr> kids) { return std::make_shared<tree>(tree{k, 0, std::move(kids)}); }

bool same(const tree& a, const tree& b) {
  if (a.kind != b.kind || a.kids.size() != b.kids.size()) return false;
  if (a.kind == node_kind::fact_true) return a.leaf == b.leaf;
  for (std::size_t i = 0; i < a.kids.size(); ++i)
    if (!same(*a.kids[i], *b.kids[i])) return false;
  return true;
}

const std::vector<std::string> labels = {"Mechanism includes a fall", "Height of the fall is more than 3 m",
                                         "Number of stairs is at least 5"};

// The graph for one tree: facts F0.., nodes children first; returns the root.
std::uint32_t add(graph& g, const tree& t) {
  node n;
  n.kind = t.kind;
  if (t.kind == node_kind::fact_true) {
    n.slot = t.leaf;
  } else {
    std::vector<std::uint32_t> kids;
    for (const auto& k : t.kids) kids.push_back(add(g, *k));
    n.first = static_cast<std::uint32_t>(g.children.size());
    n.count = static_cast<std::uint32_t>(kids.size());
    g.children.insert(g.children.end(), kids.begin(), kids.end());
  }
  g.nodes.push_back(n);
  g.info.push_back({"", {}});
  return static_cast<std::uint32_t>(g.nodes.size() - 1);
}

// Reads plain words back: group := part { ("; and " | "; or ") part } (one
// connective per group); part := "not " part | "(" group ")" | LABEL.
class reader {
 public:
  explicit reader(std::string s) : s_(std::move(s)) {}
  tree_ptr read() {
    tree_ptr t = group();
    if (pos_ != s_.size()) throw std::runtime_error("trailing text at " + std::to_string(pos_));
    return t;
  }

 private:
  std::string s_;
  std::size_t pos_ = 0;
  bool at(const std::string& w) const { return s_.compare(pos_, w.size(), w) == 0; }

  tree_ptr group() {
    std::vector<tree_ptr> parts{part()};
    node_kind kind = node_kind::constant;
    while (at("; and ") || at("; or ")) {
      node_kind k = at("; and ") ? node_kind::and_ : node_kind::or_;
      if (kind != node_kind::constant && k != kind) throw std::runtime_error("`and` and `or` mixed in one group");
      kind = k;
      pos_ += k == node_kind::and_ ? 6 : 5;
      parts.push_back(part());
    }
    return parts.size() == 1 ? parts.front() : make(kind, parts);
  }
  tree_ptr part() {
    if (at("not ")) {
      pos_ += 4;
      return make(node_kind::not_, {part()});
    }
    if (at("(")) {
      ++pos_;
      tree_ptr t = group();
      if (!at(")")) throw std::runtime_error("missing )");
      ++pos_;
      return t;
    }
    for (std::size_t i = 0; i < labels.size(); ++i)
      if (at(labels[i])) {
        pos_ += labels[i].size();
        return leaf(static_cast<int>(i));
      }
    throw std::runtime_error("no condition at " + std::to_string(pos_));
  }
};

// Every and/or/not nesting of depth ≤ d over leaves 0 and 1: below depth 3
// every combination; at depth 3 each group pairs a depth-2 tree with a
// depth-1 one on either side (every shape, without the square blow-up). Groups
// of three (with leaf 2) up to depth 2.
std::vector<tree_ptr> trees(int d) {
  if (d == 0) return {leaf(0), leaf(1)};
  std::vector<tree_ptr> lower = trees(d - 1), out = lower;
  std::vector<tree_ptr> small = d == 3 ? trees(1) : lower;
  for (const auto& a : lower) out.push_back(make(node_kind::not_, {a}));
  for (const auto& a : lower)
    for (const auto& b : small) {
      for (node_kind k : {node_kind::and_, node_kind::or_}) {
        out.push_back(make(k, {a, b}));
        if (d == 3) out.push_back(make(k, {b, a}));
      }
    }
  if (d <= 2)
    for (const auto& a : lower) {
      out.push_back(make(node_kind::and_, {a, leaf(2), a}));
      out.push_back(make(node_kind::or_, {leaf(2), a, leaf(0)}));
    }
  return out;
}

}  // namespace

TEST_CASE("plain words read back as the same condition for every and/or/not nesting to depth 3") {
  std::size_t checked = 0;
  for (const tree_ptr& t : trees(3)) {
    graph g;
    for (std::size_t i = 0; i < labels.size(); ++i) g.facts.push_back({"f" + std::to_string(i), labels[i], value_type::boolean, -1, false, {}});
    std::uint32_t root = add(g, *t);
    std::string words = plain_words(g, root);
    INFO(words);
    tree_ptr back;
    REQUIRE_NOTHROW(back = reader(words).read());
    REQUIRE(same(*t, *back));
    ++checked;
  }
  CHECK(checked > 10000);
}

TEST_CASE("plain words of the issue's rule keep the group") {
  // mechanisms has any of {fall} and (fall_height > 3 or stairs >= 5)
  graph g;
  for (std::size_t i = 0; i < labels.size(); ++i) g.facts.push_back({"f" + std::to_string(i), labels[i], value_type::boolean, -1, false, {}});
  std::uint32_t root = add(g, *make(node_kind::and_, {leaf(0), make(node_kind::or_, {leaf(1), leaf(2)})}));
  CHECK(plain_words(g, root) ==
        "Mechanism includes a fall; and (Height of the fall is more than 3 m; or Number of stairs is at least 5)");
  std::uint32_t neg = add(g, *make(node_kind::not_, {make(node_kind::or_, {leaf(1), leaf(2)})}));
  CHECK(plain_words(g, neg) == "not (Height of the fall is more than 3 m; or Number of stairs is at least 5)");
}
