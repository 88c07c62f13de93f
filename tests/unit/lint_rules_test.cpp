// Style lints and silences through lint_text (parse → check → lower → verify
// → lints → silences), with their message text.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/lint/lint.hpp"

using namespace rubric::compiler;

namespace {

const std::string head = R"(guideline lint_case "Lint case"
  scale stdlib.acr.appropriateness
  radiation stdlib.acr.relative_radiation_level

import stdlib.acr
import stdlib.spine
)";

const std::string variants = R"(
criterion persistent_pain "Pain has lasted six weeks or longer":
  symptom_duration >= 6 weeks

variant 1 "Acute pain"
  when not persistent_pain
  rate "MRI lumbar spine without IV contrast" usually not appropriate
  source "test"

variant 2 "Persistent pain"
  when persistent_pain
  rate "MRI lumbar spine without IV contrast" usually not appropriate
  source "test"
)";

std::vector<diagnostic> lint(const std::string& text) {
  compile_result r = lint_text("lint_case.rubric", text);
  return r.diagnostics.items();
}

std::vector<std::string> codes(const std::vector<diagnostic>& ds, bool with_info = false) {
  std::vector<std::string> out;
  for (const auto& d : ds)
    if (with_info || d.level != severity::info) out.emplace_back(info(d.code).code);
  return out;
}

}  // namespace

TEST_CASE("lint: a clean guideline has no warnings", "[lint]") {
  auto ds = lint(head + "patient\n  symptom_duration : duration \"How long\"\n" + variants);
  CHECK(codes(ds).empty());
}

TEST_CASE("lint: unused fact, let and criterion, each once", "[lint]") {
  auto ds = lint(head + "let spare = 3 weeks\npatient\n  symptom_duration : duration \"How long\"\n  spare_fact : bool \"Spare\"\n" +
                 variants + "criterion spare_criterion \"Spare\":\n  spare_fact and spare_criterion_helper\n" +
                 "criterion spare_criterion_helper \"Helper\":\n  symptom_duration < spare\n");
  std::vector<std::string> c = codes(ds);
  CHECK(std::count(c.begin(), c.end(), "R0601") == 0);  // spare_fact is used by a criterion
  CHECK(std::count(c.begin(), c.end(), "R0602") == 0);  // spare is used by the helper
  CHECK(std::count(c.begin(), c.end(), "R0603") == 1);  // only the top criterion is unused
  for (const auto& d : ds)
    if (d.code == diag_code::unused_criterion) CHECK(d.message == "the criterion `spare_criterion` is never used");
}

TEST_CASE("lint: a silence at the end of the line, with a reason", "[lint]") {
  auto ds = lint(head + "patient\n  symptom_duration : duration \"How long\"\n  spare : bool \"Spare\"  # rubric: allow(R0601) exported to the registry\n" + variants);
  CHECK(codes(ds).empty());
}

TEST_CASE("lint: a silence above, across a blank line and another comment", "[lint]") {
  auto ds = lint(head + "patient\n  symptom_duration : duration \"How long\"\n  # rubric: allow(R0601) exported to the registry\n\n  # the registry needs it\n  spare : bool \"Spare\"\n" + variants);
  CHECK(codes(ds).empty());
}

TEST_CASE("lint: a silence without a reason still silences, and is reported", "[lint]") {
  auto ds = lint(head + "patient\n  symptom_duration : duration \"How long\"\n  spare : bool \"Spare\"  # rubric: allow(R0601)\n" + variants);
  REQUIRE(codes(ds) == std::vector<std::string>{"R0608"});
  CHECK(ds.front().message == "this `rubric: allow(R0601)` gives no reason");
}

TEST_CASE("lint: a silence for another code silences nothing", "[lint]") {
  auto ds = lint(head + "patient\n  symptom_duration : duration \"How long\"\n  spare : bool \"Spare\"  # rubric: allow(R0602) wrong code\n" + variants);
  std::vector<std::string> c = codes(ds);
  std::sort(c.begin(), c.end());
  CHECK(c == std::vector<std::string>{"R0601", "R0609"});
}

TEST_CASE("lint: errors cannot be silenced", "[lint]") {
  auto ds = lint(head + "patient\n  symptom_duration : duration \"How long\"\n" + variants +
                 "variant 3 \"Never\"\n  # rubric: allow(R0501) trying to hide it\n  when persistent_pain and not persistent_pain\n"
                 "  rate \"MRI lumbar spine without IV contrast\" usually not appropriate\n  source \"test\"\n");
  std::vector<std::string> c = codes(ds);
  CHECK(std::count(c.begin(), c.end(), "R0501") == 1);
  CHECK(std::count(c.begin(), c.end(), "R0609") == 1);
}

TEST_CASE("lint: a silence inside a string is not a silence", "[lint]") {
  auto sources = source_manager();
  file_id f = sources.add("x.rubric", "advise \"# rubric: allow(R0601) no\"\nlet a = 1 # rubric: allow(R0602) why\n");
  auto s = find_silences(sources, f);
  REQUIRE(s.size() == 1);
  CHECK(s[0].line == 2);
  CHECK(s[0].target_line == 2);
  CHECK(s[0].codes == std::vector<std::string>{"R0602"});
  CHECK(s[0].reason == "why");
}

TEST_CASE("lint: a library module is not checked for unused declarations", "[lint]") {
  compile_result r = lint_file(std::string(RUBRIC_SOURCE_DIR) + "/stdlib/spine.rubric");
  CHECK(codes(r.diagnostics.items()).empty());
}
