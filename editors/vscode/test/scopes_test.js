// Tokenizes .rubric files with the real VS Code TextMate engine (vscode-textmate
// + vscode-oniguruma) and checks that each construct gets its scope.
// Usage: node test/scopes_test.js   (run from editors/vscode)
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = path.resolve(__dirname, '..');
const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
const onig = oniguruma.loadWASM(wasm).then(() => ({
  createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
  createOnigString: (s) => new oniguruma.OnigString(s),
}));
const registry = new vsctm.Registry({
  onigLib: onig,
  loadGrammar: async (scope) => {
    if (scope !== 'source.rubric') return null;
    const file = path.join(root, 'syntaxes', 'rubric.tmLanguage.json');
    return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
  },
});

function tokenize(grammar, text) {
  const out = [];
  let stack = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) out.push({ line: i + 1, src: line, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    stack = r.ruleStack;
  });
  return out;
}

// [a substring of the line, the token's text (trimmed), a scope the token must have]
const sample_expectations = [
  ['# A sample', '#', 'comment.line.number-sign.rubric'],
  ['guideline acr', 'guideline', 'keyword.declaration.rubric'],
  ['guideline acr', 'acr.sample', 'entity.name.namespace.rubric'],
  ['guideline acr', 'Sample guideline', 'string.quoted.double.rubric'],
  ['revised', '2021', 'constant.numeric.rubric'],
  ['scale     appropriateness', 'the rating scale', 'comment.line.number-sign.rubric'],
  ['select', 'first', 'constant.language.policy.rubric'],
  ['select', 'order', 'keyword.other.rubric'],
  ['import', 'stdlib.acr', 'entity.name.namespace.rubric'],
  ['procedure mri', 'mri_lumbar_without', 'entity.name.type.procedure.rubric'],
  ['adult rrl', '☢☢☢', 'constant.other.radiation-level.rubric'],
  ['adult rrl', 'rrl', 'keyword.other.rubric'],
  ['age        :', 'age', 'variable.other.fact.rubric'],
  ['age        :', 'duration', 'storage.type.rubric'],
  ['age        :', 'fixed', 'keyword.other.rubric'],
  ['red_flags  :', 'set', 'storage.type.rubric'],
  ['red_flags  :', '\\"', 'constant.character.escape.rubric'],
  ['let subacute', '6', 'constant.numeric.rubric'],
  ['let subacute', 'weeks', 'keyword.other.unit.rubric'],
  ['criterion persistent', 'criterion', 'keyword.declaration.rubric'],
  ['criterion persistent', 'persistent_pain', 'entity.name.function.rubric'],
  ['symptom_duration >=', '>=', 'keyword.operator.comparison.rubric'],
  ['symptom_duration >=', 'and', 'keyword.operator.logical.rubric'],
  ['symptom_duration >=', 'empty', 'keyword.operator.logical.rubric'],
  ['variant 2 "', '2', 'entity.name.section.variant.rubric'],
  ['when persistent_pain and not', 'when', 'keyword.control.rubric'],
  ['when persistent_pain and not', 'has', 'keyword.operator.logical.rubric'],
  ['rate "MRI', 'rate', 'keyword.other.rate.rubric'],
  ['rate "MRI', 'MRI lumbar spine without IV contrast', 'string.quoted.double.procedure.rubric'],
  ['rate "MRI', 'usually not appropriate', 'constant.other.category.usually-not-appropriate.rubric'],
  ['rate "CT', 'may be appropriate (Disagreement)', 'constant.other.category.may-be-appropriate-disagreement.rubric'],
  ['rate "CT', 'score', 'keyword.other.rubric'],
  ['rate "CT', '5', 'constant.numeric.rubric'],
  ['rate mri_lumbar', 'mri_lumbar_without', 'entity.name.type.procedure.rubric'],
  ['rate mri_lumbar', 'Usually appropriate', 'constant.other.category.usually-appropriate.rubric'],
  ['rate mri_lumbar', 'O', 'constant.other.radiation-level.rubric'],
  ['advise', 'years', 'keyword.other.unit.rubric'],
  ['next 3', 'urgent', 'keyword.control.rubric'],
  ['given age', '55', 'constant.numeric.rubric'],
  ['given age', 'a', 'keyword.other.unit.rubric'],
  ['given age', 'wk', 'keyword.other.unit.rubric'],
  ['given age', 'unknown', 'constant.language.rubric'],
  ['expect status', 'matched', 'constant.language.status.rubric'],
  ['expect "MRI', 'MRI lumbar spine without IV contrast', 'string.quoted.double.procedure.rubric'],
  ['expect "MRI', 'usually not appropriate', 'constant.other.category.usually-not-appropriate.rubric'],
  ['gcs        :', 'integer', 'storage.type.rubric'],
  ['let d_dimer_cutoff', 'ng/mL', 'keyword.other.unit.rubric'],
  ['score wells', 'score', 'keyword.declaration.rubric'],
  ['score wells', 'wells', 'entity.name.function.rubric'],
  ['1.5 if heart_rate', '/min', 'keyword.other.unit.rubric'],
  ['value cutoff', 'value', 'keyword.declaration.rubric'],
  ['if age > 50', 'then', 'keyword.control.arithmetic.rubric'],
  ['if age > 50', '*', 'keyword.operator.arithmetic.rubric'],
  ['none of (gcs', 'none', 'keyword.control.arithmetic.rubric'],
  ['codes fever_codes', 'codes', 'keyword.declaration.rubric'],
  ['codes fever_codes', 'fever_codes', 'entity.name.type.code-list.rubric'],
  ['ICD10CM "R50.9"', 'R50.9', 'string.quoted.double.rubric'],
  ['fhir "Facts', 'fhir', 'keyword.declaration.rubric'],
  ['complete conditions', 'complete', 'keyword.other.fhir.rubric'],
  ['from age at the order', 'from', 'keyword.other.fhir.rubric'],
  ['from age at the order', 'order', 'keyword.other.fhir.rubric'],
  ['from any condition', 'within', 'keyword.other.fhir.rubric'],
  ['from any condition', '4', 'constant.numeric.rubric'],
  ['from any condition', 'weeks', 'keyword.other.unit.rubric'],
  ['from any condition', 'fever_codes', 'entity.name.type.code-list.rubric'],
  ['from latest observation', 'observation', 'keyword.other.fhir.rubric'],
  ['from latest observation', 'stdlib.codes.gcs', 'entity.name.type.code-list.rubric'],
  ['is unbound', 'unbound', 'keyword.other.fhir.rubric'],
  ['is unbound', "the surgeon's judgement", 'string.quoted.double.rubric'],
];

function check_expectations(tokens, expectations, file) {
  let failed = 0;
  for (const [line_has, text, scope] of expectations) {
    const candidates = tokens.filter((t) => t.src.includes(line_has) && t.text.trim() === text);
    if (!candidates.some((t) => t.scopes.includes(scope))) {
      failed++;
      const seen = candidates.map((t) => t.scopes.join(' ')).join(' | ') || 'no such token';
      console.log(`FAIL ${file}: \`${text}\` on the line with \`${line_has}\` should have ${scope}; got: ${seen}`);
    }
  }
  return failed;
}

// Properties every real guideline file must have: each rating line's procedure
// and category are scoped, no token is marked invalid, comments are comments.
function check_file_properties(tokens, file) {
  let failed = 0, ratings = 0;
  const fail = (t, why) => { failed++; console.log(`FAIL ${file}:${t.line}: ${why}: ${t.src.trim()}`); };
  const by_line = new Map();
  for (const t of tokens) { if (!by_line.has(t.line)) by_line.set(t.line, []); by_line.get(t.line).push(t); }
  for (const [, ts] of by_line) {
    const src = ts[0].src;
    for (const t of ts) if (t.scopes.some((s) => s.startsWith('invalid'))) fail(t, 'invalid token');
    if (/^\s*rate\s/.test(src)) {
      ratings++;
      if (!ts.some((t) => t.scopes.some((s) => s.startsWith('string.quoted.double.procedure') || s.startsWith('entity.name.type.procedure'))))
        fail(ts[0], 'rating without a procedure scope');
      if (!ts.some((t) => t.scopes.some((s) => s.startsWith('constant.other.category'))))
        fail(ts[0], 'rating without a category scope');
    }
    const hash = ts.find((t) => t.text.startsWith('#') && !t.scopes.some((s) => s.startsWith('string')));
    if (hash && !hash.scopes.includes('comment.line.number-sign.rubric')) fail(hash, 'comment not scoped as comment');
  }
  return { failed, ratings };
}

(async () => {
  const grammar = await registry.loadGrammar('source.rubric');
  let failed = 0, checked = 0;
  const sample = path.join(__dirname, 'sample.rubric');
  const sample_tokens = tokenize(grammar, fs.readFileSync(sample, 'utf8'));
  failed += check_expectations(sample_tokens, sample_expectations, 'sample.rubric');
  checked += sample_expectations.length;
  for (const file of process.argv.slice(2)) {
    const r = check_file_properties(tokenize(grammar, fs.readFileSync(file, 'utf8')), file);
    failed += r.failed;
    checked += 1;
    console.log(`${file}: ${r.ratings} rating lines tokenized`);
  }
  console.log(`${checked - Math.min(failed, checked)} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
