// The editor scenario of issue 16, against the real binary: open the Low Back
// Pain guideline (no diagnostics), misspell a procedure (R0400 with a "did you
// mean" fix, applied), hover a fact, a criterion and a procedure, go to a
// stdlib definition, complete inside `{ }` and inside `rate "`, format, save a
// copy without its `otherwise` and add a gap finding's patient as an example
// (the file then passes `rubric test`), shut down. docs/editor.md walks
// through the same steps.
// Run: RUBRIC=build/rubric node --test tests/lsp/   (from the project root)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, lsp, positionOf, applyEdit } from './client.mjs';

const rubric = path.resolve(process.env.RUBRIC ?? 'build/rubric');
const project = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rubric-lsp-'));
// The module `acr.low_back_pain` lives in acr/low_back_pain.rubric under its root.
fs.mkdirSync(path.join(work, 'acr'));
const file = path.join(work, 'acr', 'low_back_pain.rubric');
const original = fs.readFileSync(path.join(project, 'guidelines/acr/low_back_pain.rubric'), 'utf8');
fs.writeFileSync(file, original);
const uri = pathToFileURL(file).href;
const client = new Client(rubric);
after(() => { client.kill(); fs.rmSync(work, { recursive: true, force: true }); });

test('initialize announces the features', async () => {
  const init = await client.initialize(pathToFileURL(work).href);
  const caps = init.capabilities;
  assert.equal(init.serverInfo.name, 'rubric');
  assert.equal(caps.textDocumentSync.change, lsp.TextDocumentSyncKind.Incremental);
  for (const p of ['hoverProvider', 'definitionProvider', 'referencesProvider', 'documentFormattingProvider',
    'documentRangeFormattingProvider', 'documentSymbolProvider', 'foldingRangeProvider'])
    assert.equal(caps[p], true, p);
  assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix']);
  assert.ok(caps.semanticTokensProvider.legend.tokenTypes.includes('enumMember'));
});

test('the Low Back Pain guideline opens without diagnostics', async () => {
  client.open(uri, original);
  const ds = await client.waitDiagnostics(uri, () => true, 'diagnostics of the opened guideline');
  assert.deepEqual(ds, []);
});

test('a misspelt procedure gets R0400 and a "did you mean" fix that clears it', async () => {
  const text = client.texts.get(uri);
  // Variant 2's MRI rating: "without" loses a letter.
  const at = positionOf(text, 'rate "MRI lumbar spine without IV contrast"', 'rate "MRI lumbar spine with'.length, 2);
  const version = client.edit(uri, [{ range: { start: at, end: { line: at.line, character: at.character + 3 } }, newText: 'ot' }]);
  assert.match(client.texts.get(uri).split('\n')[at.line], /"MRI lumbar spine withot IV contrast"/);
  const ds = await client.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'R0400'), 'R0400', version);
  const d = ds.find((x) => x.code === 'R0400');
  assert.equal(d.severity, lsp.DiagnosticSeverity.Error);
  assert.match(d.message, /^`MRI lumbar spine withot IV contrast` is not in the procedure catalog/);
  assert.match(d.message, /help: did you mean `"MRI lumbar spine without IV contrast"`\?/);
  assert.match(d.codeDescription.href, /docs\/diagnostics\.md#r0400-unknown_procedure$/);
  assert.equal(d.range.start.line, at.line);
  const actions = await client.request(lsp.CodeActionRequest.type,
    { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
  const fix = actions.find((a) => a.title === 'Replace with `"MRI lumbar spine without IV contrast"`');
  assert.ok(fix, `no did-you-mean action among ${actions.map((a) => a.title).join('; ')}`);
  assert.equal(fix.isPreferred, true);
  const v2 = client.edit(uri, fix.edit.changes[uri]);
  assert.equal(client.texts.get(uri), original);
  assert.deepEqual(await client.waitDiagnostics(uri, () => true, 'diagnostics after the fix', v2), []);
});

async function hoverAt(needle, delta, occurrence = 1) {
  const position = positionOf(client.texts.get(uri), needle, delta, occurrence);
  const h = await client.request(lsp.HoverRequest.type, { textDocument: { uri }, position }, `hover on ${needle}`);
  assert.ok(h, `no hover on ${needle}`);
  return h.contents.value;
}

test('hover explains a fact, a criterion, a procedure, a category and a variant', async () => {
  const fact = await hoverAt('symptom_duration >= subacute', 3);
  assert.match(fact, /\*\*fact\*\* `symptom_duration` — How long this episode of low back pain has lasted/);
  assert.match(fact, /Type: duration/);
  assert.match(fact, /Used in criterion `persistent_pain`, criterion `acute_pain`/);
  const age = await hoverAt('  age  ', 2);
  assert.match(age, /`fixed`: a what-if question never changes it/);
  const criterion = await hoverAt('when persistent_pain and no_red_flags', 6);
  assert.match(criterion, /\*\*criterion\*\* `persistent_pain` — Pain has lasted 6 weeks or longer/);
  assert.match(criterion, /symptom_duration >= subacute/);
  assert.match(criterion, /In plain words: How long this episode of low back pain has lasted is at least 6 weeks/);
  assert.match(criterion, /Used in criterion `failed_therapy_in_candidate`, variant 2\./);
  const procedure = await hoverAt('rate "Radiography lumbar spine"', 8);
  assert.match(procedure, /\*\*procedure\*\* "Radiography lumbar spine" \(`stdlib\.spine\.radiography_lumbar`\)/);
  assert.match(procedure, /Modality: Radiography/);
  assert.match(procedure, /Adult RRL: ☢☢☢ \(1-10 mSv\)/);
  assert.match(procedure, /CPT 72100/);
  const category = await hoverAt('Usually not appropriate', 3);
  assert.match(category, /\*\*category\*\* `usually_not_appropriate`/);
  assert.match(category, /Ratings 1 to 3/);
  const variant = await hoverAt('next 3 when', 5);
  assert.match(variant, /\*\*variant 3\*\* Subacute or chronic low back pain/);
  assert.match(variant, /\| MRI lumbar spine without IV contrast \| Usually appropriate \| O \|/);
});

test('go to definition reaches the stdlib', async () => {
  const text = client.texts.get(uri);
  const procedure = await client.request(lsp.DefinitionRequest.type,
    { textDocument: { uri }, position: positionOf(text, 'rate "CT myelography lumbar spine"', 10) });
  assert.equal(procedure.uri, pathToFileURL(path.join(project, 'stdlib/spine.rubric')).href);
  const stdlib = fs.readFileSync(path.join(project, 'stdlib/spine.rubric'), 'utf8');
  assert.deepEqual(procedure.range.start, positionOf(stdlib, 'ct_myelography', 0));
  const member = await client.request(lsp.DefinitionRequest.type,
    { textDocument: { uri }, position: positionOf(text, 'saddle_anesthesia', 2) });
  assert.equal(member.uri, procedure.uri);
  assert.deepEqual(member.range.start, positionOf(stdlib, 'saddle_anesthesia', 0));
  const refs = await client.request(lsp.ReferencesRequest.type,
    { textDocument: { uri }, position: positionOf(text, 'criterion no_red_flags', 11), context: { includeDeclaration: false } });
  // Variants 1 and 2 test it.
  assert.deepEqual(refs.map((r) => r.range.start),
    [positionOf(text, 'no_red_flags and not completed_therapy'), positionOf(text, 'no_red_flags and not completed_therapy', 0, 2)]);
});

async function complete(position, what) {
  const r = await client.request(lsp.CompletionRequest.type, { textDocument: { uri }, position }, what);
  return (Array.isArray(r) ? r : r.items);
}

test('completion offers enum members inside { } and procedures inside rate "', async () => {
  const text = client.texts.get(uri);
  const members = await complete(positionOf(text, '{significant_trauma}', 1), 'members');
  const labels = members.map((i) => i.label);
  for (const m of ['fever', 'saddle_anesthesia', 'osteoporosis']) assert.ok(labels.includes(m), m);
  assert.equal(members.find((i) => i.label === 'fever').kind, lsp.CompletionItemKind.EnumMember);
  // Type a new rating mid-word: the file no longer parses, completion still answers.
  const at = positionOf(text, '  advise "Urgent');
  const version = client.edit(uri, [{ range: { start: at, end: at }, newText: '  rate "CT lum\n' }]);
  const broken = await client.waitDiagnostics(uri, (d) => d.length > 0, 'a syntax error', version);
  assert.match(broken[0].code, /^R01/);
  const procs = await complete({ line: at.line, character: '  rate "CT lum'.length }, 'procedure names');
  const names = procs.map((i) => i.label);
  assert.equal(names.length, 11);
  assert.ok(names.includes('CT lumbar spine without IV contrast'));
  const item = procs.find((i) => i.label === 'CT lumbar spine with IV contrast');
  assert.equal(item.textEdit.newText, 'CT lumbar spine with IV contrast"');
  client.edit(uri, [item.textEdit]);
  const eol = { line: at.line, character: '  rate "CT lumbar spine with IV contrast"'.length };
  client.edit(uri, [{ range: { start: eol, end: eol }, newText: ' ' }]);
  const cats = await complete({ line: at.line, character: '  rate "CT lumbar spine with IV contrast" '.length }, 'categories');
  assert.deepEqual(cats.map((i) => i.label), ['Usually appropriate', 'May be appropriate',
    'May be appropriate (Disagreement)', 'Usually not appropriate']);
  // Back to the original text.
  const line = client.texts.get(uri).split('\n')[at.line];
  const v = client.edit(uri, [{ range: { start: at, end: { line: at.line + 1, character: 0 } }, newText: '' }]);
  assert.equal(line, '  rate "CT lumbar spine with IV contrast" ');
  assert.equal(client.texts.get(uri), original);
  assert.deepEqual(await client.waitDiagnostics(uri, () => true, 'diagnostics after undo', v), []);
});

test('formatting restores the canonical layout, for the document and a range', async () => {
  const at = positionOf(client.texts.get(uri), 'let subacute = 6 weeks');
  client.edit(uri, [{ range: { start: at, end: { line: at.line, character: 22 } }, newText: 'let   subacute=6   weeks' }]);
  const ranged = await client.request(lsp.DocumentRangeFormattingRequest.type,
    { textDocument: { uri }, range: { start: at, end: { line: at.line, character: 5 } }, options: { tabSize: 2, insertSpaces: true } });
  assert.equal(ranged.length, 1);
  assert.equal(ranged[0].newText, 'let subacute = 6 weeks\n');
  const whole = await client.request(lsp.DocumentFormattingRequest.type,
    { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  assert.equal(whole.length, 1);
  assert.equal(applyEdit(client.texts.get(uri), whole[0]), original);
  client.edit(uri, whole);
  assert.equal(client.texts.get(uri), original);
});

test('a gap finding on save becomes an example that passes rubric test', async () => {
  // Without its `otherwise`, some patients fall through every variant.
  const text = client.texts.get(uri);
  const start = positionOf(text, 'otherwise "No ACR variant applies"');
  const end = positionOf(text, '# --- Assumptions');
  let version = client.edit(uri, [{ range: { start, end }, newText: '' }]);
  fs.writeFileSync(file, client.texts.get(uri));
  client.notify(lsp.DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  const ds = await client.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'R0504'), 'the solver findings after save', version);
  const gap = ds.find((x) => x.code === 'R0504');
  assert.equal(gap.severity, lsp.DiagnosticSeverity.Warning);
  assert.match(gap.message, /^no variant covers patients where/);
  assert.match(gap.message, /note: for example, no variant matches this fully known patient: given age = /);
  const actions = await client.request(lsp.CodeActionRequest.type,
    { textDocument: { uri }, range: gap.range, context: { diagnostics: [gap] } });
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Add an `otherwise` outcome for patients no variant covers'), titles.join('; '));
  assert.ok(titles.includes('Silence R0504 here, with a reason'), titles.join('; '));
  const add = actions.find((a) => a.title.startsWith('Add this patient as an example'));
  assert.ok(add, titles.join('; '));
  assert.equal(add.title, 'Add this patient as an example (the runtime answers no_criteria_apply)');
  const [edit] = add.edit.changes[uri];
  assert.match(edit.newText, /\nexample "R0504 no variant covers patients where [^\n]*"\n  given age = [^\n]*\n  expect status no_criteria_apply\n$/);
  version = client.edit(uri, add.edit.changes[uri]);
  fs.writeFileSync(file, client.texts.get(uri));
  // The example is a real test: `rubric test` runs it, and it passes.
  const out = execFileSync(rubric, ['test', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out, /R0504 no variant covers patients/);
  client.notify(lsp.DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  await client.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'R0504'), 'findings after the second save', version);
});

test('outline, folding and semantic tokens describe the file', async () => {
  const symbols = await client.request(lsp.DocumentSymbolRequest.type, { textDocument: { uri } });
  const names = symbols.map((s) => s.name);
  for (const n of ['acr.low_back_pain', 'patient', 'persistent_pain', 'variant 2', 'example']) assert.ok(names.includes(n), n);
  assert.equal(symbols.find((s) => s.name === 'patient').children.length, 9);
  const folds = await client.request(lsp.FoldingRangeRequest.type, { textDocument: { uri } });
  assert.ok(folds.length > 20);
  const tokens = await client.request(lsp.SemanticTokensRequest.type, { textDocument: { uri } });
  assert.equal(tokens.data.length % 5, 0);
  assert.ok(tokens.data.length / 5 > 300);
});

test('shutdown and exit end the server with status 0', async () => {
  assert.equal(await client.shutdown(), 0);
});
