// The verifier's findings on small hand-built graphs: each finding kind with
// its message, and every printed counterexample replayed by the runtime here
// again (independently of the verifier's own replay).
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/verify/verify.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/patient.hpp"
#include "verify_graph_builder.hpp"

using namespace rubric;
using runtime::compare_op;
using runtime::node_kind;
using runtime::truth;
using runtime::value_type;

namespace {

std::vector<compiler::diagnostic> verify(const runtime::graph& g, bool errors_only = false) {
  compiler::source_manager sources;
  sources.add("test.rubric", std::string(4000, '\n'));
  compiler::diagnostic_sink sink;
  compiler::verify_options o;
  o.errors_only = errors_only;
  compiler::verify_graph(g, sources, sink, o);
  return sink.items();
}

std::vector<compiler::diagnostic> with_code(const std::vector<compiler::diagnostic>& ds, compiler::diag_code c) {
  std::vector<compiler::diagnostic> out;
  for (const auto& d : ds)
    if (d.code == c) out.push_back(d);
  return out;
}

std::string note_after(const compiler::diagnostic& d, const std::string& prefix) {
  for (const std::string& n : d.notes)
    if (n.rfind(prefix, 0) == 0) return n.substr(prefix.size());
  return {};
}

// Decodes the printed patient JSON with the runtime and evaluates it.
runtime::evaluation replay(const runtime::graph& g, const compiler::diagnostic& d) {
  std::string json = note_after(d, "as patient JSON: ");
  REQUIRE_FALSE(json.empty());
  runtime::patient_decoder decoder(g);
  runtime::patient p;
  std::string error;
  REQUIRE(decoder.decode(json, p, error));
  runtime::evaluation ev;
  runtime::evaluate(g, p, ev);
  CHECK(ev.violated.empty());
  return ev;
}

bool guard_true(const runtime::graph& g, const runtime::evaluation& ev, std::size_t v) {
  return g.variants[v].guard < 0 || ev.values[static_cast<std::size_t>(g.variants[v].guard)] == truth::yes;
}

// Duration d (days), bool b, set flags of {x, y}: the usual small scenario.
struct scenario {
  test::graph_builder b;
  std::uint32_t d, flag, flags;
  std::uint32_t persistent, acute, no_flags, has_flag;
  scenario() {
    std::int32_t e = b.enumeration("flag", {"x", "y"});
    d = b.fact("duration", value_type::duration);
    flag = b.fact("treated", value_type::boolean);
    flags = b.fact("flags", value_type::set, e);
    persistent = b.criterion("persistent", b.compare(d, compare_op::ge, 42, "duration >= 6 weeks"), "Lasted six weeks");
    acute = b.criterion("acute", b.compare(d, compare_op::lt, 42, "duration < 6 weeks"), "Less than six weeks");
    no_flags = b.criterion("no_flags", b.simple(node_kind::set_empty, flags, 0, "flags is empty"), "No flags");
    has_flag = b.criterion("treated_c", b.simple(node_kind::fact_true, flag, 0, "treated"), "Treated");
  }
};

}  // namespace

TEST_CASE("verify: a guard that can never hold is an error naming the conflicting criteria", "[verify]") {
  scenario s;
  auto both = s.b.connective(node_kind::and_, {s.persistent, s.acute}, "persistent and acute");
  s.b.variant("1", static_cast<std::int32_t>(both));
  auto ds = with_code(verify(s.b.g, true), compiler::diag_code::guard_never_holds);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].level == compiler::severity::error);
  CHECK(ds[0].message == "the guard of variant `1` can never hold");
  CHECK(std::find(ds[0].notes.begin(), ds[0].notes.end(), "`persistent`, `acute` cannot all be true for the same patient") !=
        ds[0].notes.end());
}

TEST_CASE("verify: a guard excluded by an assumption never holds", "[verify]") {
  scenario s;
  s.b.variant("1", static_cast<std::int32_t>(s.persistent));
  s.b.assume(s.b.compare(s.d, compare_op::le, 30, "duration <= 30 days"), "duration <= 30 days");
  auto ds = with_code(verify(s.b.g, true), compiler::diag_code::guard_never_holds);
  REQUIRE(ds.size() == 1);
  // The `assume` is what rules the guard out, and the note says so.
  CHECK(std::find(ds[0].notes.begin(), ds[0].notes.end(),
                  "`assume duration <= 30 days` rules out every patient this guard describes; without it the guard could hold") !=
        ds[0].notes.end());
}

TEST_CASE("verify: contradictory assumptions are reported once and stop the run", "[verify]") {
  scenario s;
  s.b.variant("1", static_cast<std::int32_t>(s.persistent));
  s.b.assume(s.persistent, "persistent");
  s.b.assume(s.acute, "acute");
  auto all = verify(s.b.g);
  REQUIRE(all.size() == 1);
  CHECK(all[0].code == compiler::diag_code::assumptions_contradict);
}

TEST_CASE("verify: select unique overlap shows a patient matching both variants", "[verify]") {
  scenario s;
  s.b.g.policy = runtime::select_policy::unique;
  s.b.variant("1", static_cast<std::int32_t>(s.persistent));
  s.b.variant("2", static_cast<std::int32_t>(s.has_flag));
  s.b.variant("3", static_cast<std::int32_t>(s.acute));
  auto ds = with_code(verify(s.b.g, true), compiler::diag_code::unique_overlap);
  REQUIRE(ds.size() == 2);  // 1 & 2, 2 & 3; never 1 & 3
  CHECK(ds[0].message == "variants `1` and `2` can both hold for the same patient");
  CHECK(ds[1].message == "variants `2` and `3` can both hold for the same patient");
  for (std::size_t i = 0; i < ds.size(); ++i) {
    auto ev = replay(s.b.g, ds[i]);
    CHECK(guard_true(s.b.g, ev, i));
    CHECK(guard_true(s.b.g, ev, i + 1));
  }
  // Facts the overlap does not need are left out of the patient.
  CHECK(note_after(ds[0], "for example, both guards are true for this patient: given ") ==
        "duration = 6 weeks, treated = true");
}

TEST_CASE("verify: a variant shadowed under select first names the winners", "[verify]") {
  scenario s;
  s.b.variant("1", static_cast<std::int32_t>(s.persistent));
  auto narrower = s.b.connective(node_kind::and_, {s.persistent, s.has_flag}, "persistent and treated_c");
  s.b.variant("2", static_cast<std::int32_t>(narrower));
  auto ds = with_code(verify(s.b.g), compiler::diag_code::variant_shadowed);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].level == compiler::severity::warning);
  CHECK(ds[0].message == "variant `2` can never be selected: variant `1` always wins before it");
  auto ev = replay(s.b.g, ds[0]);
  REQUIRE(ev.selected.size() == 1);
  CHECK(ev.selected[0] == 0);
  CHECK(guard_true(s.b.g, ev, 1));
  // Warnings are not run by `rubric check`.
  CHECK(with_code(verify(s.b.g, true), compiler::diag_code::variant_shadowed).empty());
}

TEST_CASE("verify: overlaps under select first are info and say who wins", "[verify]") {
  scenario s;
  s.b.variant("1", static_cast<std::int32_t>(s.has_flag));
  s.b.variant("2", static_cast<std::int32_t>(s.persistent));
  auto ds = with_code(verify(s.b.g), compiler::diag_code::variant_overlap);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].level == compiler::severity::info);
  CHECK(ds[0].message == "variants `1` and `2` overlap: variant `1` wins");
  auto ev = replay(s.b.g, ds[0]);
  CHECK(ev.result == runtime::status::matched);
  CHECK(ev.selected == std::vector<std::uint32_t>{0});
  CHECK(guard_true(s.b.g, ev, 1));
}

TEST_CASE("verify: gaps are distinct regions, each with one fully known patient", "[verify]") {
  scenario s;
  auto v1 = s.b.connective(node_kind::and_, {s.persistent, s.no_flags}, "persistent and no_flags");
  auto v2 = s.b.connective(node_kind::and_, {s.acute, s.no_flags}, "acute and no_flags");
  s.b.variant("1", static_cast<std::int32_t>(v1));
  s.b.variant("2", static_cast<std::int32_t>(v2));
  auto ds = with_code(verify(s.b.g), compiler::diag_code::coverage_gap);
  REQUIRE(ds.size() == 1);  // one region: flags not empty, whatever the duration
  CHECK(ds[0].message == "no variant covers patients where `not no_flags`");
  auto ev = replay(s.b.g, ds[0]);
  CHECK(ev.result == runtime::status::no_criteria_apply);
  std::string given = note_after(ds[0], "for example, no variant matches this fully known patient: given ");
  CHECK(given.find("duration = ") != std::string::npos);
  CHECK(given.find("treated = ") != std::string::npos);  // fully known
  CHECK(given.find("flags = {") != std::string::npos);

  SECTION("an otherwise outcome closes the gap") {
    s.b.g.otherwise.present = true;
    CHECK(with_code(verify(s.b.g), compiler::diag_code::coverage_gap).empty());
  }
  SECTION("an assumption that rules the region out closes the gap") {
    s.b.assume(s.no_flags, "no_flags");
    CHECK(with_code(verify(s.b.g), compiler::diag_code::coverage_gap).empty());
  }
}

TEST_CASE("verify: several gap regions are reported separately and capped", "[verify]") {
  scenario s;
  // Covered: persistent and treated; acute and not treated. Gaps: the other two combinations.
  auto untreated = s.b.connective(node_kind::not_, {s.has_flag}, "not treated_c");
  s.b.variant("1", static_cast<std::int32_t>(s.b.connective(node_kind::and_, {s.persistent, s.has_flag}, "a")));
  s.b.variant("2", static_cast<std::int32_t>(s.b.connective(node_kind::and_, {s.acute, untreated}, "b")));
  auto ds = with_code(verify(s.b.g), compiler::diag_code::coverage_gap);
  REQUIRE(ds.size() == 2);
  std::vector<std::string> messages{ds[0].message, ds[1].message};
  std::sort(messages.begin(), messages.end());
  CHECK(messages[0] == "no variant covers patients where `acute and treated_c`");
  CHECK(messages[1] == "no variant covers patients where `persistent and not treated_c`");
  for (const auto& d : ds) CHECK(replay(s.b.g, d).result == runtime::status::no_criteria_apply);
}

TEST_CASE("verify: a transition whose condition excludes its target's guard", "[verify]") {
  scenario s;
  auto v1 = s.b.variant("1", static_cast<std::int32_t>(s.acute));
  auto v2 = s.b.variant("2", static_cast<std::int32_t>(s.persistent));
  s.b.next(v1, v2, s.acute);       // acute can never lead into `persistent`
  s.b.next(v1, v2, s.persistent);  // fine
  auto ds = with_code(verify(s.b.g), compiler::diag_code::transition_never_leads);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message == "this `next 2` condition can never hold together with variant `2`'s guard");
}

TEST_CASE("verify: a transition whose target always loses to an earlier variant", "[verify]") {
  scenario s;
  auto v1 = s.b.variant("1", static_cast<std::int32_t>(s.has_flag));
  auto v2 = s.b.variant("2", static_cast<std::int32_t>(s.persistent));
  auto v3 = s.b.variant("3", static_cast<std::int32_t>(s.acute));
  auto treated_and_persistent = s.b.connective(node_kind::and_, {s.has_flag, s.persistent}, "treated_c and persistent");
  s.b.next(v3, v2, treated_and_persistent);  // treated patients always get variant 1
  (void)v1;
  auto ds = with_code(verify(s.b.g), compiler::diag_code::transition_never_leads);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message == "this `next 2` condition never leads into variant `2`: an earlier variant always wins");
  auto ev = replay(s.b.g, ds[0]);
  CHECK(ev.selected == std::vector<std::uint32_t>{0});
  CHECK(guard_true(s.b.g, ev, 1));
}

TEST_CASE("verify: what each variant needs, including earlier guards under select first", "[verify]") {
  scenario s;
  s.b.variant("1", static_cast<std::int32_t>(s.has_flag));
  s.b.variant("2", static_cast<std::int32_t>(s.persistent));
  auto req = compiler::variant_requirements(s.b.g);
  REQUIRE(req.size() == 2);
  CHECK(req[0] == std::vector<std::uint32_t>{s.flag});
  CHECK(req[1] == std::vector<std::uint32_t>{s.d, s.flag});  // an unknown `treated` leaves it undetermined
  compiler::write_requirements(s.b.g);
  CHECK(s.b.g.variants[1].requires_facts == std::vector<std::uint32_t>{s.d, s.flag});
  auto ds = with_code(verify(s.b.g), compiler::diag_code::variant_requires);
  REQUIRE(ds.size() == 2);
  CHECK(ds[1].message == "variant `2` needs `duration`, `treated`");
}

TEST_CASE("verify: a fact under an `or` whose other side decides is not always needed", "[verify]") {
  scenario s;
  auto either = s.b.connective(node_kind::or_, {s.persistent, s.has_flag}, "persistent or treated_c");
  s.b.variant("1", static_cast<std::int32_t>(either));
  auto req = compiler::variant_requirements(s.b.g);
  // Each fact can block: duration unknown and not treated leaves it unknown, and vice versa.
  CHECK(req[0] == std::vector<std::uint32_t>{s.d, s.flag});
  // `treated is known and treated`: now `treated` is always true (an `assume`
  // is broken only when false, so it must also be known): duration never matters.
  auto known = s.b.simple(node_kind::is_known, s.flag, 0, "treated is known");
  s.b.assume(s.b.connective(node_kind::and_, {known, s.has_flag}, "treated is known and treated"), "treated is known and treated");
  req = compiler::variant_requirements(s.b.g);
  CHECK(req[0] == std::vector<std::uint32_t>{s.flag});
}

// Issue 19: an overall solver budget bounds the cost of a guideline, and what
// it leaves undecided is reported as not proved, never silently dropped.
TEST_CASE("verify: past the overall budget, questions are not proved and requirements stay listed", "[verify]") {
  scenario s;
  s.b.variant("1", static_cast<std::int32_t>(s.has_flag));
  s.b.variant("2", static_cast<std::int32_t>(s.persistent));
  std::size_t unanswered = 0;
  auto req = compiler::variant_requirements(s.b.g, 10000, 0, &unanswered);
  CHECK(unanswered > 0);
  REQUIRE(req.size() == 2);
  CHECK(req[0] == std::vector<std::uint32_t>{s.flag});          // every fact of the cone, unproved
  CHECK(req[1] == std::vector<std::uint32_t>{s.d, s.flag});
  CHECK_FALSE(compiler::write_requirements(s.b.g, 10000, 0));
  compiler::source_manager sources;
  sources.add("test.rubric", std::string(4000, '\n'));
  compiler::diagnostic_sink sink;
  compiler::verify_options o;
  o.errors_only = false;
  o.budget_ms = 0;
  compiler::verify_graph(s.b.g, sources, sink, o);
  auto ds = with_code(sink.items(), compiler::diag_code::verification_incomplete);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message.rfind("the solver gave up on ", 0) == 0);
  CHECK(ds[0].message.find(" questions: the findings that depend on them are not proved") != std::string::npos);
  CHECK(ds[0].notes == std::vector<std::string>{"each question may take 10000 ms, and all of them together 0 ms"});
}

TEST_CASE("verify: requirements of a wide guard are settled without one question per fact", "[verify]") {
  // f0 and … and f199: every fact is needed; the first patient found shows it
  // for all of them by replay, so the solver answers a handful of questions.
  test::graph_builder b;
  std::vector<std::uint32_t> leaves;
  for (int i = 0; i < 200; ++i) {
    auto slot = b.fact("f" + std::to_string(i), value_type::boolean);
    leaves.push_back(b.simple(node_kind::fact_true, slot, 0, "f" + std::to_string(i)));
  }
  auto all = b.connective(node_kind::and_, leaves, "all");
  b.variant("1", static_cast<std::int32_t>(all));
  auto req = compiler::variant_requirements(b.g);
  REQUIRE(req.size() == 1);
  CHECK(req[0].size() == 200);
}
