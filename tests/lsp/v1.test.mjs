// The v1 language in the editor, against the real binary, on the v1
// acceptance file (tests/v1/wells.rubric: a Wells score, an age-adjusted
// D-dimer cut-off as a `value`, PERC as `none of (…)`, `integer 3..15`,
// quantities in ng/mL, /min and %): hover on scores, values and quantity or
// integer facts; completion of scores and values in conditions, of `if` after
// a score line's points, and of units (from the runtime's unit table) after a
// number and after `in`; definition and references of a score; the outline;
// and R0126 for a variant's second `when`.
// Run: RUBRIC=build/rubric node --test tests/lsp/   (from the project root)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, lsp, positionOf } from './client.mjs';

const rubric = path.resolve(process.env.RUBRIC ?? 'build/rubric');
const project = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rubric-lsp-v1-'));
// The module `wells` lives in wells.rubric at its root.
const file = path.join(work, 'wells.rubric');
const original = fs.readFileSync(path.join(project, 'tests/v1/wells.rubric'), 'utf8');
fs.writeFileSync(file, original);
const uri = pathToFileURL(file).href;
const client = new Client(rubric);
after(() => { client.kill(); fs.rmSync(work, { recursive: true, force: true }); });

async function hoverAt(needle, delta, occurrence = 1) {
  const position = positionOf(client.texts.get(uri), needle, delta, occurrence);
  const h = await client.request(lsp.HoverRequest.type, { textDocument: { uri }, position }, `hover on ${needle}`);
  assert.ok(h, `no hover on ${needle}`);
  return h.contents.value;
}

async function complete(position, what, triggerCharacter) {
  const context = triggerCharacter
    ? { triggerKind: lsp.CompletionTriggerKind.TriggerCharacter, triggerCharacter }
    : { triggerKind: lsp.CompletionTriggerKind.Invoked };
  const r = await client.request(lsp.CompletionRequest.type, { textDocument: { uri }, position, context }, what);
  return Array.isArray(r) ? r : r.items;
}

// Inserts `text` at the start of the line holding `needle`, asks for
// completion at its end, and takes the insertion back.
async function completeInserted(needle, text, what, trigger) {
  const at = positionOf(client.texts.get(uri), needle);
  const version = client.edit(uri, [{ range: { start: at, end: at }, newText: text + '\n' }]);
  await client.waitDiagnostics(uri, () => true, `diagnostics after typing ${what}`, version);
  const items = await complete({ line: at.line, character: text.length }, what, trigger);
  const back = client.edit(uri, [{ range: { start: at, end: { line: at.line + 1, character: 0 } }, newText: '' }]);
  assert.equal(client.texts.get(uri), original);
  await client.waitDiagnostics(uri, (d) => d.length === 0, `diagnostics after taking ${what} back`, back);
  return items;
}

test('the v1 acceptance file opens without diagnostics', async () => {
  await client.initialize(pathToFileURL(work).href);
  client.open(uri, original);
  assert.deepEqual(await client.waitDiagnostics(uri, () => true, 'diagnostics of wells.rubric'), []);
});

test('hover shows a score: its lines and the range of its sum', async () => {
  const score = await hoverAt('  wells > 4', 3);
  assert.match(score, /^\*\*score\*\* `wells` — Wells score for pulmonary embolism/);
  assert.match(score, /\| 3 \| `dvt_signs` \|/);
  assert.match(score, /\| 1\.5 \| `heart_rate > 100 \/min` \|/);
  assert.match(score, /From 0 to 12\.5\. An unknown line adds 0 or its points/);
  assert.match(score, /Used in criterion `pe_likely`\./);
});

test('hover shows a value: its formula and its unit', async () => {
  const value = await hoverAt('d_dimer >= age_adjusted_cutoff', 'd_dimer >= '.length + 2);
  assert.match(value, /^\*\*value\*\* `age_adjusted_cutoff` — Age-adjusted D-dimer cut-off/);
  assert.match(value, /```rubric\nvalue age_adjusted_cutoff =\n  if age > 50 years then \(age in years\) \* 10 ng\/mL else d_dimer_cutoff\n```/);
  assert.match(value, /A quantity in `ng\/mL` \(mass concentration\)\./);
  assert.match(value, /Used in criterion `d_dimer_positive`\./);
});

test('hover shows the unit, dimension and range of quantity and integer facts', async () => {
  assert.match(await hoverAt('at least 1 of (gcs', 'at least 1 of ('.length + 1),
    /\*\*fact\*\* `gcs` — Glasgow Coma Scale score, 2 hours after injury\n\nType: whole number \(`integer`\), range 3\.\.15/);
  assert.match(await hoverAt('  vomiting  ', 3), /Type: whole number \(`integer`\), at least 0/);
  assert.match(await hoverAt('  d_dimer  ', 3), /Type: number in `ng\/mL` \(mass concentration\), at least 0/);
  assert.match(await hoverAt('  oxygen_saturation  ', 3), /Type: number in `%` \(dimensionless\), range 0\.\.100/);
  assert.match(await hoverAt('  heart_rate  ', 3), /Type: number in `\/min` \(rate\)\n/);
});

test('definition and references of a score', async () => {
  const text = client.texts.get(uri);
  const def = await client.request(lsp.DefinitionRequest.type,
    { textDocument: { uri }, position: positionOf(text, '  wells > 4', 4) });
  assert.equal(def.uri, uri);
  assert.deepEqual(def.range.start, positionOf(text, 'score wells', 'score '.length));
  const refs = await client.request(lsp.ReferencesRequest.type,
    { textDocument: { uri }, position: positionOf(text, 'value age_adjusted_cutoff', 8), context: { includeDeclaration: true } });
  assert.deepEqual(refs.map((r) => r.range.start),
    [positionOf(text, 'age_adjusted_cutoff'), positionOf(text, 'd_dimer >= age_adjusted_cutoff', 'd_dimer >= '.length)]);
});

test('completion offers scores and values in conditions', async () => {
  const items = await completeInserted('criterion recent_injury', 'criterion likely: wel', 'names in a condition');
  const wells = items.find((i) => i.label === 'wells');
  assert.ok(wells, items.map((i) => i.label).join(' '));
  assert.equal(wells.kind, lsp.CompletionItemKind.Variable);
  assert.equal(wells.detail, 'Wells score for pulmonary embolism');
  assert.equal(items.find((i) => i.label === 'age_adjusted_cutoff').detail, 'Age-adjusted D-dimer cut-off');
  for (const k of ['at least', 'none of', 'all of']) assert.ok(items.some((i) => i.label === k), k);
});

test('completion offers units of the compared fact after a number, its own first', async () => {
  const rate = await completeInserted('criterion recent_injury', 'criterion fast: heart_rate > 120 ', 'units of /min', ' ');
  assert.equal(rate[0].label, '/min');
  assert.equal(rate[0].detail, 'the unit of `heart_rate`');
  assert.equal(rate[0].preselect, true);
  assert.ok(rate.some((i) => i.label === '/h'));
  for (const i of rate.slice(1)) assert.equal(i.detail, 'rate', i.label);
  // A partly typed unit is replaced as a whole (it contains `/`).
  const mass = await completeInserted('criterion recent_injury', 'criterion high: d_dimer > 0.5 mg/', 'units of ng/mL');
  assert.equal(mass[0].label, 'ng/mL');
  const mgl = mass.find((i) => i.label === 'mg/L');
  assert.ok(mgl, mass.map((i) => i.label).join(' '));
  assert.equal(mgl.detail, 'mass concentration');
  assert.deepEqual(mgl.textEdit.range.start, { line: mgl.textEdit.range.start.line, character: 'criterion high: d_dimer > 0.5 '.length });
  assert.ok(!mass.some((i) => i.label === 'mmol/L'), 'a substance concentration is another dimension');
  // A duration: the time units, words and UCUM codes.
  const time = await completeInserted('criterion recent_injury', 'criterion old: age > 65 ', 'units of a duration', ' ');
  for (const u of ['years', 'months', 'wk', 'h']) assert.ok(time.some((i) => i.label === u), u);
  assert.ok(!time.some((i) => i.label === 'mg'));
  // A score is a plain number: no unit, the words that may follow it.
  const plain = await completeInserted('criterion recent_injury', 'criterion very_likely: wells > 6 ', 'after a score', ' ');
  assert.deepEqual(plain.map((i) => i.label), ['and', 'or', 'then', 'else']);
  // `age in `: a quantity as a plain number of a unit of its dimension.
  const conv = await completeInserted('criterion recent_injury', 'criterion old: (age in ', 'units after in', ' ');
  assert.ok(conv.some((i) => i.label === 'years'));
  assert.ok(!conv.some((i) => i.label === 'ng/mL'));
});

test('completion offers any unit of the table after a number in a fact declaration', async () => {
  const items = await completeInserted('  gcs  ', '  creatinine : number 0.. umol', 'units of the table');
  for (const u of ['umol/L', 'mg/dL', 'mm[Hg]', 'days', 'mol']) assert.ok(items.some((i) => i.label === u), u);
  assert.ok(!items.some((i) => i.label === 'Cel'), 'a refused unit is not offered');
});

test('completion offers `if` after the points of a score line', async () => {
  const items = await completeInserted('  1   if malignancy', '  2 ', '`if` in a score', ' ');
  assert.deepEqual(items.map((i) => i.label), ['if']);
});

test('the outline lists scores with their lines, and values', async () => {
  const symbols = await client.request(lsp.DocumentSymbolRequest.type, { textDocument: { uri } });
  const wells = symbols.find((s) => s.name === 'wells' && s.kind !== lsp.SymbolKind.Module);
  assert.equal(wells.kind, lsp.SymbolKind.Number);
  assert.ok(symbols.some((s) => s.name === 'wells' && s.kind === lsp.SymbolKind.Module), 'the module header');
  assert.equal(wells.detail, 'Wells score for pulmonary embolism');
  assert.deepEqual(wells.children.map((c) => c.name).slice(0, 3), ['3 if dvt_signs', '3 if pe_most_likely', '1.5 if heart_rate > 100 /min']);
  assert.equal(wells.children.length, 7);
  assert.ok(symbols.some((s) => s.name === 'age_adjusted_cutoff' && s.kind === lsp.SymbolKind.Number));
});

test('a variant with a second `when` gets R0126 pointing at both', async () => {
  const text = client.texts.get(uri);
  const at = positionOf(text, '  rate "CT head without IV contrast"             CT not recommended');
  const version = client.edit(uri, [{ range: { start: at, end: at }, newText: '  when since_injury <= 6 hours and not intoxicated\n' }]);
  const ds = await client.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'R0126'), 'R0126', version);
  assert.equal(ds.length, 1, JSON.stringify(ds));
  const [d] = ds;
  assert.equal(d.message.split('\n')[0], 'variant `head_low` has a second `when`');
  assert.match(d.message, /help: a variant has one condition: join the two with `and` in one `when`/);
  assert.equal(d.range.start.line, at.line);
  assert.equal(d.relatedInformation[0].message, 'first `when` here');
  assert.deepEqual(d.relatedInformation[0].location.range.start, positionOf(text, 'presentation = head_injury and recent_injury\n'));
  const back = client.edit(uri, [{ range: { start: at, end: { line: at.line + 1, character: 0 } }, newText: '' }]);
  assert.deepEqual(await client.waitDiagnostics(uri, () => true, 'diagnostics after taking it back', back), []);
});

test('shutdown', async () => {
  assert.equal(await client.shutdown(), 0);
});
