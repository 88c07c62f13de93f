// Parser tests: the AST built for tests/fixtures/every_construct.rubric (every
// construct of the v0 syntax), its spans, comments and declaration order.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "compiler/syntax/parser.hpp"

namespace {

using namespace rubric::compiler;

struct parsed {
  source_manager sources;
  diagnostic_sink sink;
  std::optional<ast::module> module;
};

parsed parse_text(std::string text, std::string path = "test.rubric") {
  parsed p;
  file_id id = p.sources.add(std::move(path), std::move(text));
  p.module = parse_module(p.sources, id, p.sink);
  return p;
}

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(RUBRIC_SOURCE_DIR) + "/tests/fixtures/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string text_of(const parsed& p, span s) { return std::string(p.sources.text(s)); }
std::string where(const parsed& p, span s) { return p.sources.location(s); }

const parsed& every_construct() {
  static const parsed p = parse_text(read_fixture("every_construct.rubric"), "every_construct.rubric");
  return p;
}

}  // namespace

TEST_CASE("parser: every construct parses without diagnostics", "[parser]") {
  const parsed& p = every_construct();
  INFO(render_text(p.sources, p.sink.items()));
  REQUIRE(p.sink.items().empty());
  REQUIRE(p.module.has_value());
}

TEST_CASE("parser: module header", "[parser]") {
  const parsed& p = every_construct();
  REQUIRE(p.module);
  const ast::header& h = p.module->head;
  CHECK(h.kind == ast::module_kind::guideline);
  CHECK(h.module.text == "fixtures.every_construct");
  CHECK(h.title.value == "Every construct");
  CHECK(text_of(p, h.title.where) == "\"Every construct\"");
  REQUIRE(h.source);
  CHECK(h.source->value == "ACR Appropriateness Criteria: Low Back Pain");
  REQUIRE(h.citation);
  CHECK(h.citation->value.find("S361–S379") != std::string::npos);
  REQUIRE(h.revised);
  CHECK(h.revised->value == 2021);
  REQUIRE(h.doi);
  CHECK(h.doi->value == "10.1016/j.jacr.2021.08.002");
  REQUIRE(h.url);
  REQUIRE(h.license);
  CHECK(h.license->value == "ACR content © American College of Radiology");
  REQUIRE(h.scale);
  CHECK(h.scale->text == "appropriateness");
  REQUIRE(h.radiation);
  CHECK(h.radiation->text == "relative_radiation_level");
  REQUIRE(h.select);
  CHECK(h.select->policy == ast::select_policy::first);
  REQUIRE(h.select->order.size() == 3);
  CHECK(h.select->order[0].text == "2");
  CHECK(h.select->order[2].text == "acute");
  CHECK(where(p, h.where) == "every_construct.rubric:3:1");
}

TEST_CASE("parser: imports, enums, scales, procedures", "[parser]") {
  const parsed& p = every_construct();
  REQUIRE(p.module);
  const ast::module& m = *p.module;
  REQUIRE(m.imports.size() == 1);
  CHECK(m.imports[0].module.text == "stdlib.acr");
  CHECK(text_of(p, m.imports[0].where) == "import stdlib.acr");

  REQUIRE(m.enums.size() == 2);
  CHECK(m.enums[0].id.text == "red_flag");
  REQUIRE(m.enums[0].label);
  CHECK(m.enums[0].label->value == "Red flag");
  REQUIRE(m.enums[0].members.size() == 3);
  CHECK(m.enums[0].members[1].id.text == "fever");
  CHECK(m.enums[0].members[1].label->value == "Fever");
  CHECK_FALSE(m.enums[0].members[2].label);
  CHECK(text_of(p, m.enums[0].members[0].where) == "saddle_anesthesia  \"Saddle anesthesia\"");
  CHECK_FALSE(m.enums[1].label);

  REQUIRE(m.scales.size() == 2);
  const ast::scale_decl& a = m.scales[0];
  CHECK(a.id.text == "appropriateness");
  CHECK(a.label.value == "ACR Appropriateness Category");
  REQUIRE(a.levels.size() == 3);
  CHECK(a.levels[0].id.text == "usually_appropriate");
  REQUIRE(a.levels[0].range_min);
  CHECK(a.levels[0].range_min->value == 7);
  CHECK(a.levels[0].range_max->value == 9);
  REQUIRE(a.levels[0].means);
  CHECK(a.levels[1].label.value == "May be appropriate (Disagreement)");
  const ast::scale_decl& r = m.scales[1];
  REQUIRE(r.levels.size() == 4);
  CHECK(r.levels[1].label.value == "☢");
  REQUIRE(r.levels[1].adult);
  CHECK(r.levels[1].adult->value == "<0.1 mSv");
  CHECK(r.levels[1].pediatric->value == "<0.03 mSv");

  REQUIRE(m.procedures.size() == 3);
  const ast::procedure_decl& mri = m.procedures[0];
  CHECK(mri.id.text == "mri_lumbar_without");
  CHECK(mri.display.value == "MRI lumbar spine without IV contrast");
  CHECK(mri.modality->value == "MRI");
  CHECK(mri.region->value == "lumbar spine");
  CHECK(mri.contrast->value == "without IV contrast");
  REQUIRE(mri.adult_rrl);
  CHECK(mri.adult_rrl->spelling == "O");
  REQUIRE(mri.pediatric_rrl);
  REQUIRE(mri.codes.size() == 2);
  CHECK(mri.codes[0].system.text == "CPT");
  CHECK(mri.codes[0].value.value == "72148");
  CHECK(text_of(p, mri.codes[1].where) == "code RadLex \"RID10321\"");
  CHECK(m.procedures[1].adult_rrl->spelling == "☢☢");
  CHECK(m.procedures[2].adult_rrl->spelling == "☢☢☢");
  CHECK_FALSE(m.procedures[2].pediatric_rrl);
}

TEST_CASE("parser: patient facts and lets", "[parser]") {
  const parsed& p = every_construct();
  REQUIRE(p.module);
  const ast::module& m = *p.module;
  REQUIRE(m.patients.size() == 1);
  const auto& facts = m.patients[0].facts;
  REQUIRE(facts.size() == 9);
  CHECK(facts[0].id.text == "age");
  CHECK(facts[0].type.kind == ast::type_kind::duration);
  CHECK(facts[0].fixed);
  CHECK(facts[0].label->value == "Age");
  CHECK_FALSE(facts[1].fixed);
  CHECK(facts[3].type.kind == ast::type_kind::set_of);
  CHECK(facts[3].type.named.text == "red_flag");
  CHECK(text_of(p, facts[3].type.named.where) == "red_flag");
  CHECK(facts[4].type.kind == ast::type_kind::boolean);
  CHECK(facts[5].type.kind == ast::type_kind::text);
  CHECK(facts[6].type.kind == ast::type_kind::number);
  CHECK(facts[7].type.kind == ast::type_kind::named);
  CHECK(facts[7].type.named.text == "laterality");
  CHECK_FALSE(facts[8].label);

  REQUIRE(m.lets.size() == 5);
  CHECK(m.lets[0].id.text == "subacute");
  CHECK(m.lets[0].value.kind == ast::expr_kind::number);
  CHECK(m.lets[0].value.number_value.value == 6);
  CHECK(m.lets[0].value.number_value.unit_of == ast::unit::week);
  CHECK(m.lets[0].value.number_value.spelling == "6 weeks");
  CHECK(m.lets[1].value.number_value.unit_of == ast::unit::year);
  CHECK(m.lets[2].value.number_value.unit_of == ast::unit::day);
  CHECK(m.lets[3].value.number_value.unit_of == ast::unit::month);
  CHECK(m.lets[4].value.number_value.value == -0.5);
  CHECK(m.lets[4].value.number_value.unit_of == ast::unit::none);
}

TEST_CASE("parser: criteria and expressions", "[parser]") {
  const parsed& p = every_construct();
  REQUIRE(p.module);
  const auto& c = p.module->criteria;
  REQUIRE(c.size() == 5);
  CHECK(c[0].id.text == "persistent_pain");
  CHECK(c[0].label->value == "Pain has lasted six weeks or longer");
  CHECK(c[0].body.kind == ast::expr_kind::compare);
  CHECK(c[0].body.op == ast::compare_op::ge);
  CHECK(c[0].body.operands[0].text_value == "symptom_duration");
  CHECK(c[0].body.operands[1].text_value == "subacute");
  CHECK(text_of(p, c[0].body.where) == "symptom_duration >= subacute");

  CHECK(c[1].body.kind == ast::expr_kind::has_any);
  REQUIRE(c[1].body.operands.size() == 2);
  CHECK(c[1].body.operands[1].kind == ast::expr_kind::set);
  CHECK(c[1].body.operands[1].operands.size() == 2);
  CHECK(text_of(p, c[1].body.operands[1].where) == "{saddle_anesthesia, fever}");
  CHECK(c[2].body.kind == ast::expr_kind::has_all);
  CHECK_FALSE(c[2].label);
  CHECK(c[3].body.kind == ast::expr_kind::is_empty);

  // (red_flags is not empty or not (age < 18 years)) and side in {…} and … : one flattened `and`.
  const ast::expr& e = c[4].body;
  REQUIRE(e.kind == ast::expr_kind::and_);
  REQUIRE(e.operands.size() == 9);
  const ast::expr& either = e.operands[0];
  REQUIRE(either.kind == ast::expr_kind::or_);
  CHECK(either.operands[0].kind == ast::expr_kind::is_not_empty);
  REQUIRE(either.operands[1].kind == ast::expr_kind::not_);
  CHECK(either.operands[1].operands[0].kind == ast::expr_kind::compare);
  CHECK(either.operands[1].operands[0].op == ast::compare_op::lt);
  CHECK(e.operands[1].kind == ast::expr_kind::in_set);
  CHECK(e.operands[2].kind == ast::expr_kind::is_known);
  CHECK(e.operands[3].kind == ast::expr_kind::is_unknown);
  CHECK(e.operands[4].op == ast::compare_op::ne);
  CHECK(e.operands[5].op == ast::compare_op::gt);
  CHECK(e.operands[5].operands[1].number_value.unit_of == ast::unit::year);
  CHECK(e.operands[6].op == ast::compare_op::le);
  CHECK(e.operands[6].operands[1].number_value.unit_of == ast::unit::week);
  CHECK(e.operands[7].op == ast::compare_op::eq);
  CHECK(e.operands[8].operands[1].kind == ast::expr_kind::boolean);
  CHECK(e.operands[8].operands[1].bool_value);
  CHECK(text_of(p, e.where).rfind("(red_flags is not empty", 0) == 0);
  CHECK(text_of(p, e.where).size() > 100);
}

TEST_CASE("parser: variants, ratings, advice, transitions", "[parser]") {
  const parsed& p = every_construct();
  REQUIRE(p.module);
  const auto& vs = p.module->variants;
  REQUIRE(vs.size() == 3);
  const ast::variant_decl& v = vs[0];
  CHECK(v.id.text == "2");
  CHECK(v.title.value == "Subacute or chronic low back pain. Initial imaging.");
  REQUIRE(v.guard);
  CHECK(v.guard->kind == ast::expr_kind::and_);
  CHECK(v.guard->operands.size() == 3);
  CHECK(v.guard->operands[2].kind == ast::expr_kind::not_);
  REQUIRE(v.ratings.size() == 3);
  CHECK(v.ratings[0].procedure.by_display_name);
  CHECK(v.ratings[0].procedure.text == "Radiography lumbar spine");
  CHECK(v.ratings[0].category.words == std::vector<std::string>{"usually", "not", "appropriate"});
  CHECK(v.ratings[0].category.spelling == "usually not appropriate");
  CHECK(v.ratings[1].category.words ==
        std::vector<std::string>{"may", "be", "appropriate", "disagreement"});
  CHECK(v.ratings[1].category.spelling == "May be appropriate (Disagreement)");
  CHECK_FALSE(v.ratings[2].procedure.by_display_name);
  CHECK(v.ratings[2].procedure.text == "mri_lumbar_without");
  REQUIRE(v.ratings[2].score);
  CHECK(v.ratings[2].score->value == 8);
  REQUIRE(v.ratings[2].rrl);
  CHECK(v.ratings[2].rrl->spelling == "O");
  REQUIRE(vs[1].ratings.size() == 1);
  CHECK(vs[1].ratings[0].category.words == std::vector<std::string>{"usually_not_appropriate"});
  CHECK(vs[1].ratings[0].rrl->spelling == "☢☢☢");
  CHECK_FALSE(vs[1].ratings[0].score);
  CHECK(text_of(p, v.ratings[2].where) == "rate mri_lumbar_without                      usually appropriate score 8 rrl O");
  REQUIRE(v.advice.size() == 2);
  CHECK_FALSE(v.advice[0].when);
  REQUIRE(v.advice[1].when);
  CHECK(v.advice[1].when->text_value == "improved");
  REQUIRE(v.next.size() == 2);
  CHECK(v.next[0].target.text == "3");
  CHECK_FALSE(v.next[0].urgent);
  CHECK(v.next[0].label->value == "Symptoms persist after 6 weeks of therapy");
  CHECK(v.next[1].target.text == "acute");
  CHECK(v.next[1].urgent);
  CHECK(v.next[1].when.text_value == "cauda_equina_signs");
  CHECK(v.source->value == "ACR Appropriateness Criteria Low Back Pain, variant 2");
  CHECK(v.evidence->value == "Narrative, 2021 revision");
  CHECK(where(p, v.where) == "every_construct.rubric:88:1");
  CHECK(vs[2].id.text == "acute");
  CHECK(vs[2].guard->kind == ast::expr_kind::or_);
  CHECK(vs[2].guard->operands.size() == 3);
}

TEST_CASE("parser: otherwise, assume, examples", "[parser]") {
  const parsed& p = every_construct();
  REQUIRE(p.module);
  const ast::module& m = *p.module;
  REQUIRE(m.otherwise.size() == 1);
  CHECK(m.otherwise[0].label->value == "No ACR variant applies");
  REQUIRE(m.otherwise[0].advice.size() == 2);
  CHECK(m.otherwise[0].advice[0].when);
  REQUIRE(m.assumes.size() == 2);
  CHECK(m.assumes[0].condition.op == ast::compare_op::le);
  CHECK(m.assumes[0].label->value == "Therapy cannot outlast the episode");
  CHECK_FALSE(m.assumes[1].label);

  REQUIRE(m.examples.size() == 2);
  const ast::example_decl& x = m.examples[0];
  CHECK(x.title.value == "55-year-old, 3 months of pain, no radiculopathy");
  REQUIRE(x.given.size() == 9);
  CHECK(x.given[0].fact.text == "age");
  CHECK(x.given[0].value.number_value.value == 55);
  CHECK(x.given[3].value.kind == ast::expr_kind::set);
  CHECK(x.given[3].value.operands.empty());
  CHECK(x.given[5].value.kind == ast::expr_kind::unknown);
  CHECK(x.given[6].value.kind == ast::expr_kind::name);
  CHECK(x.given[7].value.kind == ast::expr_kind::string);
  CHECK(x.given[7].value.text_value == "says \"it hurts\"");
  CHECK(text_of(p, x.given[1].where) == "symptom_duration = 12 weeks");
  REQUIRE(x.expect.size() == 4);
  CHECK(x.expect[0].kind == ast::expect_kind::variant);
  CHECK(x.expect[0].names[0].text == "2");
  CHECK(x.expect[1].kind == ast::expect_kind::status);
  CHECK(x.expect[1].names[0].text == "matched");
  CHECK(x.expect[2].kind == ast::expect_kind::rating);
  CHECK(x.expect[2].procedure.text == "MRI lumbar spine without IV contrast");
  CHECK(x.expect[2].category.words == std::vector<std::string>{"usually", "appropriate"});
  CHECK(x.expect[3].procedure.text == "ct_lumbar");
  CHECK_FALSE(x.expect[3].procedure.by_display_name);
  CHECK(x.expect[3].category.words == std::vector<std::string>{"may", "be", "appropriate", "disagreement"});
  const ast::example_decl& y = m.examples[1];
  REQUIRE(y.expect.size() == 3);
  CHECK(y.expect[0].kind == ast::expect_kind::status);
  CHECK(y.expect[0].names[0].text == "undetermined");
  CHECK(y.expect[1].kind == ast::expect_kind::missing);
  CHECK(y.expect[1].names.size() == 1);
  CHECK(y.expect[2].kind == ast::expect_kind::candidates);
  CHECK(y.expect[2].names[1].text == "acute");
  CHECK(text_of(p, y.expect[2].where) == "expect candidates 2, acute");
}

TEST_CASE("parser: comments and declaration order are kept", "[parser]") {
  const parsed& p = every_construct();
  REQUIRE(p.module);
  const ast::module& m = *p.module;
  REQUIRE(m.comments.size() == 9);
  CHECK(m.comments[0].text == " Every construct of Rubric v0 in one file (docs/design/syntax-v0.md).");
  CHECK(m.comments[2].text == " the rating scale");
  CHECK(where(p, m.comments[2].where) == "every_construct.rubric:10:47");
  CHECK(m.comments[8].text == " matched | undetermined | no_criteria_apply");
  REQUIRE(m.order.size() == 27);
  CHECK(m.order[0].kind == ast::decl_kind::import);
  CHECK(m.order[1].kind == ast::decl_kind::enumeration);
  CHECK(m.order[3].kind == ast::decl_kind::scale);
  CHECK(m.order.back().kind == ast::decl_kind::example);
  CHECK(m.order.back().index == 1);
}

TEST_CASE("parser: a BOM and CRLF line ends are accepted", "[parser]") {
  parsed p = parse_text("\xEF\xBB\xBFguideline a \"T\"\r\nlet x = 3 weeks # c\r\ncriterion c \"C\":\r\n  x > 2 weeks\r\n");
  INFO(render_text(p.sources, p.sink.items()));
  REQUIRE(p.module);
  CHECK(p.sink.items().empty());
  CHECK(p.module->comments.at(0).text == " c");
  CHECK(p.module->criteria.at(0).body.kind == ast::expr_kind::compare);
}

TEST_CASE("parser: keywords are guarded; unit words are not reserved", "[parser]") {
  parsed p = parse_text(
      "guideline a \"T\"\npatient\n  variantx : bool\n  d : duration\n  weeks : number\n"
      "criterion c: variantx and d > 3 d and weeks = 2\n");
  INFO(render_text(p.sources, p.sink.items()));
  REQUIRE(p.module);
  CHECK(p.module->patients[0].facts[0].id.text == "variantx");
  const ast::expr& e = p.module->criteria[0].body;
  REQUIRE(e.operands.size() == 3);
  CHECK(e.operands[1].operands[1].number_value.unit_of == ast::unit::day);
  CHECK(e.operands[2].operands[0].text_value == "weeks");
}

TEST_CASE("parser: a library header and a scale declaration after it", "[parser]") {
  parsed p = parse_text(
      "library stdlib.acr \"ACR scales\"\n  radiation stdlib.acr.rrl_scale\nscale rrl_scale \"RRL\"\n  level none \"O\"\n");
  INFO(render_text(p.sources, p.sink.items()));
  REQUIRE(p.module);
  CHECK(p.module->head.kind == ast::module_kind::library);
  CHECK_FALSE(p.module->head.scale);
  CHECK(p.module->head.radiation->text == "stdlib.acr.rrl_scale");
  REQUIRE(p.module->scales.size() == 1);
  CHECK(p.module->scales[0].levels[0].id.text == "none");
}
