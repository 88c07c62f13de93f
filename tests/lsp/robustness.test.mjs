// The server survives what editing throws at it: typing that breaks the file
// mid-word at every keystroke, an import cycle, an import deleted on disk, an
// open file deleted on disk, a missing standard library, malformed requests.
// Run: RUBRIC=build/rubric node --test tests/lsp/   (from the project root)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, lsp, rpc, positionOf, withTimeout } from './client.mjs';

const rubric = path.resolve(process.env.RUBRIC ?? 'build/rubric');
const project = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rubric-lsp-robust-'));
const clients = [];
after(() => { for (const c of clients) c.kill(); fs.rmSync(work, { recursive: true, force: true }); });

function write(relative, text) {
  const file = path.join(work, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return { file, uri: pathToFileURL(file).href, text };
}

async function started(env = {}) {
  const c = new Client(rubric, [], env);
  clients.push(c);
  await c.initialize(pathToFileURL(work).href);
  return c;
}

test('typing that breaks the file at every keystroke never stalls the server', async () => {
  const c = await started();
  const doc = write('acr/low_back_pain.rubric', fs.readFileSync(path.join(project, 'guidelines/acr/low_back_pain.rubric'), 'utf8'));
  c.open(doc.uri, doc.text);
  await c.waitDiagnostics(doc.uri, () => true, 'first diagnostics');
  const at = positionOf(doc.text, 'when persistent_pain and no_red_flags');
  // Type a new clause one character at a time, asking for hover and completion
  // after each: half of these states do not parse.
  const typed = '  when not (symptom_duration >= 3 weeks and red_flags has any of {fev';
  let version = 0;
  for (let i = 0; i < typed.length; i++) {
    const pos = { line: at.line, character: i };
    version = c.edit(doc.uri, [{ range: { start: pos, end: pos }, newText: typed[i] }]);
    await c.request(lsp.HoverRequest.type, { textDocument: { uri: doc.uri }, position: pos }, `hover after ${i + 1} characters`);
    await c.request(lsp.CompletionRequest.type, { textDocument: { uri: doc.uri }, position: { line: at.line, character: i + 1 } },
      `completion after ${i + 1} characters`);
  }
  const members = await c.request(lsp.CompletionRequest.type,
    { textDocument: { uri: doc.uri }, position: { line: at.line, character: typed.length } });
  assert.ok(members.items.some((i) => i.label === 'fever'), 'members of red_flag inside the unfinished set');
  const ds = await c.waitDiagnostics(doc.uri, (d) => d.length > 0, 'the syntax error', version);
  assert.match(ds[0].code, /^R01/);
  assert.ok(ds[0].message.length > 0);
  // Hostile text: a stray NUL, a lone surrogate's UTF-8 neighbours, a very long line.
  const pos = { line: at.line, character: 0 };
  version = c.edit(doc.uri, [{ range: { start: pos, end: pos }, newText: 'criterion \u0000 ☢☢ ' + 'x'.repeat(20000) + '\n' }]);
  const hostile = await c.waitDiagnostics(doc.uri, (d) => d.length > 0, 'diagnostics for hostile text', version);
  assert.ok(hostile.every((d) => /^R0\d\d\d$/.test(d.code)));
  const symbols = await c.request(lsp.DocumentSymbolRequest.type, { textDocument: { uri: doc.uri } });
  assert.ok(Array.isArray(symbols));
  assert.equal(await c.shutdown(), 0);
});

test('an import cycle, a deleted import and a deleted file are reported clearly', async () => {
  const c = await started();
  const a = write('cyc/a.rubric', 'library cyc.a "A"\n\nimport cyc.b\n');
  write('cyc/b.rubric', 'library cyc.b "B"\n\nimport cyc.a\n');
  c.open(a.uri, a.text);
  const cycle = await c.waitDiagnostics(a.uri, (d) => d.length > 0, 'the import cycle');
  assert.equal(cycle[0].code, 'R0202');
  assert.match(cycle[0].message, /importing `cyc\.a` here creates an import cycle/);
  assert.match(cycle[0].message, /the cycle is `cyc\.a` → `cyc\.b` → `cyc\.a`/);
  assert.equal(cycle[0].range.start.line, 2);
  assert.match(cycle[0].relatedInformation[0].location.uri, /cyc\/b\.rubric$/);

  const facts = write('g/facts.rubric', 'library g.facts "Shared facts"\n\npatient\n  age : duration "Age"\n');
  const main = write('g/main.rubric', 'library g.main "Main"\n\nimport g.facts\n\ncriterion grown_up "Adult":\n  age >= 18 years\n');
  c.open(main.uri, main.text);
  assert.deepEqual(await c.waitDiagnostics(main.uri, () => true, 'a clean library'), []);
  fs.rmSync(facts.file);
  c.notify(lsp.DidChangeWatchedFilesNotification.type, { changes: [{ uri: facts.uri, type: lsp.FileChangeType.Deleted }] });
  const missing = await c.waitDiagnostics(main.uri, (d) => d.length > 0, 'the deleted import');
  assert.equal(missing[0].code, 'R0200');
  assert.match(missing[0].message, /^module `g\.facts` was not found/);

  fs.rmSync(main.file);
  c.notify(lsp.DidChangeWatchedFilesNotification.type, { changes: [{ uri: main.uri, type: lsp.FileChangeType.Deleted }] });
  const note = await c.waitFor(() => c.messages.find((m) => /deleted on disk/.test(m.message)), 'the deleted-file message');
  assert.equal(note.type, lsp.MessageType.Warning);
  assert.match(note.message, /g\/main\.rubric` was deleted on disk; its text stays open here and is still checked/);
  // Still answering about the open text.
  const hover = await c.request(lsp.HoverRequest.type, { textDocument: { uri: main.uri }, position: { line: 4, character: 12 } });
  assert.match(hover.contents.value, /\*\*criterion\*\* `grown_up`/);
  assert.equal(await c.shutdown(), 0);
});

test('a missing standard library is reported, and imports of it fail clearly', async () => {
  const c = await started({ RUBRIC_HOME: path.join(work, 'no-such-home') });
  const note = await c.waitFor(() => c.messages.find((m) => /standard library was not found/.test(m.message)), 'the stdlib message');
  assert.equal(note.type, lsp.MessageType.Warning);
  assert.match(note.message, /Set RUBRIC_HOME to the folder that holds `stdlib\/`/);
  const doc = write('acr/low_back_pain.rubric', fs.readFileSync(path.join(project, 'guidelines/acr/low_back_pain.rubric'), 'utf8'));
  c.open(doc.uri, doc.text);
  const ds = await c.waitDiagnostics(doc.uri, (d) => d.length > 0, 'missing stdlib modules');
  assert.equal(ds[0].code, 'R0200');
  assert.match(ds[0].message, /^module `stdlib\.acr` was not found/);
  assert.equal(await c.shutdown(), 0);
});

test('malformed and unknown requests get errors, and the server carries on', async () => {
  const c = await started();
  const doc0 = write('g3/y.rubric', 'library g3.y "Y"\n').uri;
  c.open(doc0, 'library g3.y "Y"\n');
  const byName = rpc.ParameterStructures.byName;
  // No position, and a document that is not open: both are invalid parameters.
  await assert.rejects(withTimeout(c.connection.sendRequest('textDocument/hover', byName, { textDocument: { uri: doc0 } }), 'hover'),
    (e) => e.code === rpc.ErrorCodes.InvalidParams && /malformed parameters/.test(e.message));
  await assert.rejects(withTimeout(c.connection.sendRequest('textDocument/hover', byName,
    { textDocument: { uri: 'file:///nowhere.rubric' }, position: { line: 0, character: 0 } }), 'hover'),
  (e) => e.code === rpc.ErrorCodes.InvalidParams && e.message === 'the document is not open');
  await assert.rejects(withTimeout(c.connection.sendRequest('rubric/noSuchMethod', byName, {}), 'unknown method'),
    (e) => e.code === rpc.ErrorCodes.MethodNotFound && e.message === 'unknown method `rubric/noSuchMethod`');
  const doc = write('g2/x.rubric', 'library g2.x "X"\n\npatient\n  age : duration "Age"\n');
  c.open(doc.uri, doc.text);
  const hover = await c.request(lsp.HoverRequest.type, { textDocument: { uri: doc.uri }, position: { line: 3, character: 3 } });
  assert.match(hover.contents.value, /\*\*fact\*\* `age` — Age/);
  assert.equal(await c.shutdown(), 0);
});
