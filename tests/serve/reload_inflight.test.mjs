// Hot reload with a request in flight (docs/serve.md, "Hot reload"): a
// request keeps the catalog it started with. The request is held in flight
// by this test's own FHIR server on 127.0.0.1, which does not answer the
// service's read of the Conditions until the test says so; meanwhile the
// catalog is swapped. The held request finishes on the old graph (its hash),
// the next one uses the new graph; a catalog whose `.rubric` file does not
// compile is refused, with the compiler's diagnostic, while the old graph
// keeps serving — the request held across that refusal included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, scratch, reloadableCatalog, call, hookRequest, serviceRequest, lowBackPainPrefetch } from './lib/service.mjs';

let server, fhirServer, fhirUrl, dir, catalog, newGraph;
const adminKey = 'inflight-key-0123456789abcdef';
const held = [];  // the service's Condition reads not answered yet: { release, url }
let conditionsRead;  // resolves when the next Condition read arrives

before(async () => {
  dir = scratch();
  ({ retitled: newGraph, catalog } = reloadableCatalog(dir));
  writeFileSync(join(dir, 'admin.key'), `${adminKey}\n`);

  const conditions = lowBackPainPrefetch().conditions;
  fhirServer = createServer((req, res) => {
    const answer = () => {
      res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
      res.end(JSON.stringify(conditions));
    };
    if (req.url !== '/fhir/Condition?patient=p1') { res.writeHead(404).end(); return; }
    held.push({ release: answer, url: req.url });
    conditionsRead?.();
  });
  await new Promise((resolve) => fhirServer.listen(0, '127.0.0.1', resolve));
  fhirUrl = `http://127.0.0.1:${fhirServer.address().port}/fhir`;
  // --fhir-timeout 60: the held read must outlast the reload and the next call on a loaded machine.
  server = await startServer(['--catalog', catalog, '--admin-key-file', join(dir, 'admin.key'),
    '--fhir-server-allow', fhirUrl, '--fhir-timeout', '60', '--threads', '4']);
});
after(async () => {
  for (const h of held.splice(0)) h.release();
  if (server) await server.stop();
  if (fhirServer) await new Promise((resolve) => fhirServer.close(resolve));
});

const fhirAuthorization = { access_token: 'inflight-token', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'cds-service' };

// A call whose Conditions the service must read from the test's FHIR server,
// which holds that read; once it is held, resolves with { answer }, the
// call's pending answer (wrapped: an async function would wait for it).
async function startHeldCall() {
  const { conditions, ...prefetch } = lowBackPainPrefetch();
  const arrived = new Promise((resolve) => { conditionsRead = resolve; });
  const answer = call(server, '/cds-services/order-sign', hookRequest('order-sign', [serviceRequest('ct', '72133')], {
    prefetch, extra: { fhirServer: fhirUrl, fhirAuthorization },
  }));
  await arrived;
  return { answer };
}

async function decide() {
  const r = await call(server, '/cds-services/order-sign', hookRequest('order-sign', [serviceRequest('ct', '72133')], { prefetch: lowBackPainPrefetch() }));
  assert.equal(r.status, 200, r.text);
  return r.json.cards[0].extension['org.rubric.decision'];
}

async function reload() {
  return call(server, '/admin/reload', undefined, { method: 'POST', token: null, headers: { Authorization: `Bearer ${adminKey}` } });
}

function releaseHeld() {
  assert.equal(held.length, 1, 'one Condition read is held');
  held.pop().release();
}

test('a request in flight finishes on the graph it started with; the next one uses the new graph', async () => {
  const before = await decide();
  const { answer: pending } = await startHeldCall();

  copyFileSync(newGraph, join(catalog, 'lbp.json'));
  const swapped = await reload();
  assert.deepEqual([swapped.status, swapped.json], [200, { status: 'reloaded: 1 guidelines' }]);
  const next = await decide();
  assert.notEqual(next.graphHash, before.graphHash);
  assert.equal(next.guideline, 'acr.low_back_pain');

  releaseHeld();
  const r = await pending;
  assert.equal(r.status, 200, r.text);
  const inFlight = r.json.cards[0].extension['org.rubric.decision'];
  assert.equal(inFlight.graphHash, before.graphHash, 'the held request was decided by the graph it started with');
  assert.equal(inFlight.status, 'matched', r.json.cards[0].detail);
  // The log says the same: the held call's decision names the old hash and came after the swap.
  const entry = server.logs.find((l) => l.event === 'hook' && l.orders?.[0]?.consultId === inFlight.consultId);
  assert.equal(entry.orders[0].graphHash, before.graphHash);
  const reloadAt = server.logs.findIndex((l) => l.event === 'reload');
  assert.ok(server.logs.indexOf(entry) > reloadAt, 'the held call was answered after the reload');
});

test('a catalog that does not compile is refused (its diagnostic on stderr); the old graph keeps serving, in flight and after', async () => {
  const before = await decide();
  const { answer: pending } = await startHeldCall();

  // A guideline that rates a procedure no catalog has: the compiler refuses it.
  writeFileSync(join(catalog, 'broken.rubric'), [
    'guideline broken "A guideline that does not compile (test)"',
    '  scale stdlib.acr.appropriateness',
    '',
    'import stdlib.acr',
    'import stdlib.spine',
    '',
    'variant 1 "Everyone"',
    '  when true',
    '  rate "MRI of the elbow" usually appropriate',
    '',
  ].join('\n'));
  const refused = await reload();
  assert.equal(refused.status, 409);
  assert.match(refused.json.error, /^reload refused, the catalog in use stays: `[^`]*\/broken\.rubric` does not load \(see the diagnostics on stderr\)$/);
  assert.match(server.logs.find((l) => l.event === 'reload_refused').reason, /broken\.rubric` does not load/);
  // The compiler's diagnostic, with its place, is on the service's stderr.
  assert.match(server.stderr(), /broken\.rubric:9:\d+: error\[R\d+\]: [^\n]*`MRI of the elbow`/);

  const during = await decide();
  assert.equal(during.graphHash, before.graphHash);
  releaseHeld();
  const r = await pending;
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.cards[0].extension['org.rubric.decision'].graphHash, before.graphHash);

  rmSync(join(catalog, 'broken.rubric'));
  assert.equal((await decide()).graphHash, before.graphHash);
});
