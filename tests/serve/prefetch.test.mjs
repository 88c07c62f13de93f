// Prefetch semantics (CDS Hooks 2.0 "Prefetch Template"): a key the client
// did not send is unknown, a key sent as null is known and empty; a missing
// key is read from the client's FHIR server when the request gives one the
// operator allowed; the Patient is required, so without it the answer is 412.
// Then the replay: each logged decision, run again through `rubric eval --fhir`
// on the same request and graph, gives the same rating.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  RUBRIC, startServer, scratch, lowBackPainGraph, call, hookRequest, serviceRequest, lowBackPainPrefetch,
  assertCdsResponse, assertFhirResources, pamaRating,
} from './lib/service.mjs';

let server, fhirServer, fhirUrl, graph, dir;
const fhirRequests = [];
const sent = new Map();  // hookInstance → request, for the replay

before(async () => {
  dir = scratch();
  graph = lowBackPainGraph(dir);
  // A FHIR server on loopback that answers the three prefetch queries for patient p1.
  const data = lowBackPainPrefetch();
  fhirServer = createServer((req, res) => {
    fhirRequests.push({ url: req.url, authorization: req.headers.authorization });
    const answers = { '/fhir/Patient/p1': data.patient, '/fhir/Condition?patient=p1': data.conditions,
      '/fhir/Procedure?patient=p1': { resourceType: 'Bundle', type: 'searchset', entry: [] },
      '/fhir/QuestionnaireResponse?patient=p1': data.questionnaireResponses };
    const body = answers[req.url];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/fhir+json' });
    res.end(JSON.stringify(body ?? { resourceType: 'OperationOutcome' }));
  });
  await new Promise((resolve) => fhirServer.listen(0, '127.0.0.1', resolve));
  fhirUrl = `http://127.0.0.1:${fhirServer.address().port}/fhir`;
  server = await startServer(['--catalog', graph, '--fhir-server-allow', fhirUrl]);
});
after(async () => {
  if (server) await server.stop();
  if (fhirServer) await new Promise((resolve) => fhirServer.close(resolve));
});

async function sign(prefetch, extra = {}) {
  const request = hookRequest('order-sign', [serviceRequest('ct', '72133')], { prefetch, extra });
  sent.set(request.hookInstance, request);
  return call(server, '/cds-services/order-sign', request);
}

test('procedures sent as null: known to be none, so the order is rated', async () => {
  const r = await sign(lowBackPainPrefetch());
  assert.equal(r.status, 200, r.text);
  assert.equal(pamaRating(r.json.systemActions[0].resource), 'not-appropriate');
  assert.match(r.json.cards[0].detail, /Structured conservative management completed \(0 if none\) = 0 days: no Procedure in `stdlib\.codes\.low_back_pain\.conservative_therapy`, and procedures are declared complete/);
});

test('procedures not sent: unknown, so no rating and a card naming what is missing', async () => {
  const { procedures, ...prefetch } = lowBackPainPrefetch();
  const r = await sign(prefetch);
  assert.equal(r.status, 200, r.text);
  assertCdsResponse(r.json);
  assertFhirResources(r.json);
  assert.equal(r.json.systemActions, undefined, 'no PAMA rating on insufficient data');
  const card = r.json.cards[0];
  assert.equal(card.indicator, 'info');
  assert.equal(card.summary, 'CT lumbar spine without and with IV contrast: no rating yet; missing: Structured conservative management completed (0 if none), History of…');
  assert.ok(card.summary.length < 140);
  assert.match(card.detail, /^\*\*No rating yet: the record does not decide the clinical scenario\.\*\* Still possible: variant 5, variant 1\./);
  assert.match(card.detail, /- Structured conservative management completed \(0 if none\) \(`conservative_therapy`\): unknown: no Procedure in `stdlib\.codes\.low_back_pain\.conservative_therapy`, and the request has no prefetch `procedures` \(not sent\)/);
  assert.match(card.detail, /\*\*What the missing facts would decide\*\* for CT lumbar spine without and with IV contrast\n\n/);
  assert.match(card.detail, /- Variant 5 \(Low back pain with history of prior lumbar surgery[^)]*\), if New or progressing symptoms after prior lumbar surgery: Usually not appropriate\n/);
  assert.match(card.detail, /- Variant 1 \(Acute low back pain[^)]*\), if not “At least 6 weeks of structured conservative management completed”: Usually not appropriate\n/);
  assert.equal(card.extension['org.rubric.decision'].status, 'undetermined');
  assert.equal(card.extension['org.rubric.decision'].pamaRating, undefined);
});

test('conditions sent as null: no red flags and no back pain on record', async () => {
  const r = await sign({ ...lowBackPainPrefetch(), conditions: null });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.systemActions, undefined);
  assert.match(r.json.cards[0].summary, /no rating yet; missing: How long this episode of low back pain has lasted$/);
});

test('conditions not sent: the red flags are unknown too', async () => {
  const { conditions, ...prefetch } = lowBackPainPrefetch();
  const r = await sign(prefetch);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.systemActions, undefined);
  assert.match(r.json.cards[0].detail, /and the request has no prefetch `conditions` \(not sent\)/);
});

test('no Patient and no FHIR server: 412 Precondition Failed', async () => {
  const { patient, ...prefetch } = lowBackPainPrefetch();
  const r = await sign(prefetch);
  assert.equal(r.status, 412);
  assert.deepEqual(r.json, { error: 'the Patient is required: not in the prefetch, and the request gives no FHIR server this service may read' });
});

test('no prefetch at all: read from the allowed FHIR server with the bearer token', async () => {
  fhirRequests.length = 0;
  const r = await call(server, '/cds-services/order-sign', hookRequest('order-sign', [serviceRequest('ct', '72133')], {
    extra: { fhirServer: fhirUrl, fhirAuthorization: { access_token: 'token-123', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'cds-service' } },
  }));
  assert.equal(r.status, 200, r.text);
  assert.equal(pamaRating(r.json.systemActions[0].resource), 'not-appropriate');
  assert.deepEqual(fhirRequests, [
    { url: '/fhir/Patient/p1', authorization: 'Bearer token-123' },
    { url: '/fhir/Condition?patient=p1', authorization: 'Bearer token-123' },
    { url: '/fhir/Procedure?patient=p1', authorization: 'Bearer token-123' },
    { url: '/fhir/QuestionnaireResponse?patient=p1', authorization: 'Bearer token-123' },
  ]);
});

test('a FHIR server the operator did not allow is never called: 412', async () => {
  fhirRequests.length = 0;
  const r = await call(server, '/cds-services/order-sign', hookRequest('order-sign', [serviceRequest('ct', '72133')], {
    extra: { fhirServer: 'http://127.0.0.1:9/fhir', fhirAuthorization: { access_token: 't', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 's' } },
  }));
  assert.equal(r.status, 412);
  assert.equal(fhirRequests.length, 0);
});

test('a FHIR server that fails to give the Patient: 412 naming the failure', async () => {
  const r = await call(server, '/cds-services/order-sign', hookRequest('order-sign', [serviceRequest('ct', '72133')], {
    patient: 'nobody',
    extra: { fhirServer: fhirUrl, fhirAuthorization: { access_token: 't', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 's' } },
  }));
  assert.equal(r.status, 412);
  assert.deepEqual(r.json, { error: 'the Patient is required: not in the prefetch, and reading it from the FHIR server failed: GET Patient/nobody: HTTP 404' });
});

// `rubric eval --fhir` reads the same CDS Hooks request; its rating of the
// ordered procedure must be the one the service logged for that hookInstance.
test('replay: every logged decision is what `rubric eval --fhir` gives on the same request and graph', () => {
  const decisions = server.logs.filter((l) => l.event === 'hook' && l.status === 200 && sent.has(l.hookInstance));
  assert.ok(decisions.length >= 4, `only ${decisions.length} decisions logged`);
  for (const entry of decisions) {
    const file = join(dir, `${entry.hookInstance}.json`);
    writeFileSync(file, JSON.stringify(sent.get(entry.hookInstance)));
    const out = JSON.parse(execFileSync(RUBRIC, ['eval', graph, '--fhir', file, '--format', 'json'], { encoding: 'utf8' }));
    const rated = out.fhir.ordered_rating;
    const expected = out.status !== 'matched' ? (out.status === 'undetermined' ? null : 'no-criteria-apply')
      : rated === null ? 'no-criteria-apply' : rated === 'Usually not appropriate' ? 'not-appropriate' : 'appropriate';
    assert.equal(entry.orders[0].rating, expected, `hookInstance ${entry.hookInstance}: eval says ${out.status} ${rated}`);
    assert.equal(entry.orders[0].status, out.status);
  }
});
