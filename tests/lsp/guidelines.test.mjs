// Every guideline of the project in the editor, in place: each opens without
// diagnostics, and every name the server colours (every semantic token) has a
// hover and a definition — so no declaration kind of the language (facts,
// scores, values, counts, categories, procedures, stdlib members…) is left
// without them as the language grows.
// Run: RUBRIC=build/rubric node --test tests/lsp/   (from the project root)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, lsp, positionOf } from './client.mjs';

const rubric = path.resolve(process.env.RUBRIC ?? 'build/rubric');
const project = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const root = path.join(project, 'guidelines');

function guidelines(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return guidelines(p);
    return e.name.endsWith('.rubric') ? [p] : [];
  }).sort();
}

const files = guidelines(root);
const client = new Client(rubric);
after(() => client.kill());

test('the server starts on the guidelines folder', async () => {
  assert.ok(files.length >= 1, 'no guideline found');
  await client.initialize(pathToFileURL(root).href);
});

// Semantic tokens come as relative (line, start, length) quintuples.
function tokenPositions(data) {
  const out = [];
  let line = 0, start = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    start = data[i] === 0 ? start + data[i + 1] : data[i + 1];
    out.push({ line, character: start, length: data[i + 2] });
  }
  return out;
}

for (const file of files) {
  test(`${path.relative(project, file)}: no diagnostics, and every coloured name has a hover and a definition`, async () => {
    const uri = pathToFileURL(file).href;
    const text = fs.readFileSync(file, 'utf8');
    client.open(uri, text);
    assert.deepEqual(await client.waitDiagnostics(uri, () => true, `diagnostics of ${file}`), []);
    const tokens = await client.request(lsp.SemanticTokensRequest.type, { textDocument: { uri } });
    const names = tokenPositions(tokens.data);
    assert.ok(names.length > 50, `${names.length} tokens`);
    const lines = text.split('\n');
    const missing = [];
    for (const t of names) {
      const position = { line: t.line, character: t.character + 1 };
      const word = lines[t.line].slice(t.character, t.character + t.length);
      const h = await client.request(lsp.HoverRequest.type, { textDocument: { uri }, position }, `hover on ${word}`);
      const d = await client.request(lsp.DefinitionRequest.type, { textDocument: { uri }, position }, `definition of ${word}`);
      if (!h || !h.contents.value) missing.push(`hover ${t.line + 1}:${t.character + 1} ${word}`);
      if (!d) missing.push(`definition ${t.line + 1}:${t.character + 1} ${word}`);
    }
    assert.deepEqual(missing, []);
    client.notify(lsp.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  });
}

// The FHIR block of Low Back Pain: its facts, members and code lists are
// names like any other (hover, definition into stdlib/codes), and completion
// after a bound fact offers the sources of the binding language.
test('low_back_pain.rubric: the FHIR block names facts, members and code lists', async () => {
  const file = path.join(root, 'acr', 'low_back_pain.rubric');
  const uri = pathToFileURL(file).href;
  const text = fs.readFileSync(file, 'utf8');
  client.open(uri, text);
  await client.waitDiagnostics(uri, () => true, 'diagnostics of low_back_pain.rubric');
  const feverLine = '  red_flags has fever                        from any condition in fever within';
  const hoverAt = async (delta) => {
    const h = await client.request(lsp.HoverRequest.type, { textDocument: { uri }, position: positionOf(text, feverLine, delta) }, 'hover');
    return h ? h.contents.value : '';
  };
  const list = await hoverAt(feverLine.indexOf(' fever within') + 2);
  assert.match(list, /\*\*code list\*\* `stdlib\.codes\.red_flags\.fever` — Fever/);
  assert.match(list, /- ICD10CM R50\.9 Fever, unspecified/);
  assert.match(list, /- SNOMED 386661006 Fever/);
  const def = await client.request(lsp.DefinitionRequest.type,
    { textDocument: { uri }, position: positionOf(text, feverLine, feverLine.indexOf(' fever within') + 2) }, 'definition of fever');
  assert.ok(def.uri.endsWith('stdlib/codes/red_flags.rubric'), def.uri);
  assert.equal(def.range.start.line, 41);
  assert.match(await hoverAt(4), /red_flags/);
  assert.match(await hoverAt('  red_flags has '.length + 1), /fever/i);
  const unbound = '  intervention_candidate                     is unbound';
  const h = await client.request(lsp.HoverRequest.type, { textDocument: { uri }, position: positionOf(text, unbound, 4) }, 'hover unbound fact');
  assert.match(h.contents.value, /intervention_candidate/);
  // Completion after a fact of the block (invoked, as with Ctrl+Space).
  const age = positionOf(text, '  age                                        from age at the order');
  const items = await client.request(lsp.CompletionRequest.type, {
    textDocument: { uri }, position: { line: age.line, character: '  age                                        '.length },
    context: { triggerKind: lsp.CompletionTriggerKind.Invoked } }, 'completion of a binding source');
  const labels = (Array.isArray(items) ? items : items.items).map((i) => i.label);
  for (const l of ['from age at the order', 'from any condition in', 'from latest observation in', 'is unbound'])
    assert.ok(labels.includes(l), `${l} in ${labels.join(', ')}`);
  client.notify(lsp.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
});

test('shutdown', async () => {
  assert.equal(await client.shutdown(), 0);
});
