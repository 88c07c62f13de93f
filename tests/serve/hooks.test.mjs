// Discovery, order-sign and order-select against the real `rubric serve`:
// the PAMA connectathon case, a better-rated alternative, selections, orders
// Rubric does not rate, and malformed requests. Every answer is checked
// against the CDS Hooks 2.0 schema and every returned ServiceRequest as FHIR R4.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, scratch, lowBackPainGraph, call, hookRequest, serviceRequest, lowBackPainPrefetch, searchset, condition,
  assertCdsResponse, assertDiscovery, assertFhirResources, pamaRating, ICD10CM, SNOMED,
} from './lib/service.mjs';

let server;
before(async () => {
  server = await startServer(['--catalog', lowBackPainGraph(scratch()), '--qcdsm-id', 'G-TEST']);
});
after(async () => server && server.stop());

const PAMA = 'http://fhir.org/argonaut/Extension/pama-rating';

test('discovery: one service per hook, prefetch templates from the bindings', async () => {
  const r = await call(server, '/cds-services', undefined, { method: 'GET' });
  assert.equal(r.status, 200);
  assertDiscovery(r.json);
  assert.deepEqual(r.json.services.map((s) => [s.hook, s.id]), [['order-select', 'order-select'], ['order-sign', 'order-sign']]);
  for (const s of r.json.services)
    assert.deepEqual(s.prefetch, {
      patient: 'Patient/{{context.patientId}}',
      conditions: 'Condition?patient={{context.patientId}}',
      procedures: 'Procedure?patient={{context.patientId}}',
      questionnaireResponses: 'QuestionnaireResponse?patient={{context.patientId}}',
    });
  assert.match(r.json.services[1].description, /Low Back Pain/);
});

test('connectathon: CT lumbar spine (CPT 72133) for low back pain without red flags is not-appropriate', async () => {
  const order = serviceRequest('ct-lumbar', '72133');
  const r = await call(server, '/cds-services/order-sign', hookRequest('order-sign', [order], { prefetch: lowBackPainPrefetch() }));
  assert.equal(r.status, 200, r.text);
  assertCdsResponse(r.json);
  assertFhirResources(r.json);
  assert.equal(r.json.cards.length, 1);
  const card = r.json.cards[0];
  assert.equal(card.summary, 'CT lumbar spine without and with IV contrast: Usually not appropriate (ACR Low Back Pain, variant 1)');
  assert.equal(card.indicator, 'warning');
  assert.equal(card.source.label, 'ACR Appropriateness Criteria: Low Back Pain (topic 141, Neurologic panel)');
  assert.deepEqual(card.source.topic, { system: 'urn:rubric:guideline', code: 'acr.low_back_pain', display: 'Low Back Pain' });
  assert.match(card.detail, /^\*\*Variant 1\*\*: Acute low back pain/);
  assert.match(card.detail, /- Pain has lasted less than 6 weeks \(acute\) \(How long this episode of low back pain has lasted: 2 weeks\)/);
  assert.match(card.detail, /\| \*\*CT lumbar spine without and with IV contrast\*\* \(ordered\) \| Usually not appropriate \| ☢☢☢☢ \|/);
  assert.match(card.detail, /- Imaging rarely changes the first steps of care in this scenario: start conservative management\./);
  assert.match(card.detail, /Hutchins TA, Peckham M, Shah LM/);
  // Every procedure of variant 1 is usually not appropriate: the suggestion is to cancel.
  assert.equal(card.selectionBehavior, 'at-most-one');
  assert.deepEqual(card.suggestions.map((s) => s.label), ['Cancel this order in favour of conservative care']);
  assert.deepEqual(card.suggestions[0].actions[0].type, 'delete');
  assert.deepEqual(card.suggestions[0].actions[0].resourceId, 'ServiceRequest/ct-lumbar');
  // The PAMA rating: an update of the order, unchanged except for the extensions.
  assert.equal(r.json.systemActions.length, 1);
  const action = r.json.systemActions[0];
  assert.equal(action.type, 'update');
  const { extension, ...rest } = action.resource;
  assert.deepEqual(rest, order);
  assert.equal(pamaRating(action.resource), 'not-appropriate');
  assert.deepEqual(extension.map((e) => e.url), [
    PAMA, `${PAMA}-qcdsm-consulted`, `${PAMA}-consult-id`, `${PAMA}-auc-applied`,
  ]);
  assert.equal(extension[1].valueString, 'G-TEST');
  assert.match(extension[2].valueUri, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(extension[3].valueUri, 'https://doi.org/10.1016/j.jacr.2021.08.002');
  // Reproducible: the graph's hash and the Rubric version on the card, the same consult id in the log.
  const decision = card.extension['org.rubric.decision'];
  assert.equal(decision.graphHash, server.started.guidelines[0].graphHash);
  assert.match(decision.graphHash, /^sha256:[0-9a-f]{64}$/);
  assert.equal(decision.rubricVersion, '0.1.0');
  assert.equal(decision.consultId, extension[2].valueUri);
  assert.equal(decision.variant, '1');
  const logged = server.logs.find((l) => l.event === 'hook' && l.orders[0]?.consultId === decision.consultId);
  assert.deepEqual(logged.orders[0], { consultId: decision.consultId, guideline: 'acr.low_back_pain', graphHash: decision.graphHash, status: 'matched', rating: 'not-appropriate' });
});

test('a fresh consult id for every answer', async () => {
  const request = hookRequest('order-sign', [serviceRequest('ct-lumbar', '72133')], { prefetch: lowBackPainPrefetch() });
  const a = await call(server, '/cds-services/order-sign', request);
  const b = await call(server, '/cds-services/order-sign', request);
  const id = (r) => r.json.systemActions[0].resource.extension[2].valueUri;
  assert.notEqual(id(a), id(b));
  assert.notEqual(a.json.cards[0].uuid, b.json.cards[0].uuid);
});

test('cauda equina signs: CT without contrast may be appropriate; MRI is suggested', async () => {
  const prefetch = lowBackPainPrefetch();
  prefetch.conditions.entry.push({ resource: condition('ces', ICD10CM, 'G83.4', '2026-11-28', { display: 'Cauda equina syndrome' }) });
  const order = serviceRequest('ct', '72131');
  const r = await call(server, '/cds-services/order-sign', hookRequest('order-sign', [order], { prefetch }));
  assert.equal(r.status, 200, r.text);
  assertCdsResponse(r.json);
  assertFhirResources(r.json);
  const card = r.json.cards[0];
  assert.equal(card.summary, 'CT lumbar spine without IV contrast: May be appropriate (ACR Low Back Pain, variant 4)');
  assert.equal(card.indicator, 'warning');
  assert.equal(pamaRating(r.json.systemActions[0].resource), 'appropriate');
  assert.deepEqual(card.suggestions.map((s) => [s.label, s.isRecommended]), [
    ['Order MRI lumbar spine without and with IV contrast instead (Usually appropriate)', true],
    ['Order MRI lumbar spine without IV contrast instead (Usually appropriate)', true],
  ]);
  const changed = card.suggestions[1].actions[0];
  assert.equal(changed.type, 'update');
  assert.deepEqual(changed.resource.code, { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '72148', display: 'MRI lumbar spine without IV contrast' }], text: 'MRI lumbar spine without IV contrast' });
  assert.equal(changed.resource.id, 'ct');
  assert.match(card.detail, /- Urgent: image without delay to confirm or exclude cauda equina syndrome\./);
});

test('an appropriate order: an info card, no suggestions, rated appropriate', async () => {
  const prefetch = lowBackPainPrefetch();
  prefetch.conditions.entry.push({ resource: condition('ces', ICD10CM, 'G83.4', '2026-11-28') });
  const r = await call(server, '/cds-services/order-sign', hookRequest('order-sign', [serviceRequest('mri', '72148')], { prefetch }));
  assertCdsResponse(r.json);
  const card = r.json.cards[0];
  assert.equal(card.summary, 'MRI lumbar spine without IV contrast: Usually appropriate (ACR Low Back Pain, variant 4)');
  assert.equal(card.indicator, 'info');
  assert.equal(card.suggestions, undefined);
  assert.equal(pamaRating(r.json.systemActions[0].resource), 'appropriate');
});

test('order-select rates only the selected draft orders', async () => {
  const orders = [serviceRequest('ct', '72133'), serviceRequest('mri', '72148')];
  const r = await call(server, '/cds-services/order-select',
    hookRequest('order-select', orders, { prefetch: lowBackPainPrefetch(), selections: ['ServiceRequest/mri'] }));
  assert.equal(r.status, 200, r.text);
  assertCdsResponse(r.json);
  assertFhirResources(r.json);
  assert.equal(r.json.cards.length, 1);
  assert.match(r.json.cards[0].summary, /^MRI lumbar spine without IV contrast: Usually not appropriate/);
  assert.equal(r.json.systemActions[0].resource.id, 'mri');
});

test('order-sign rates every draft order, each with its own consult id', async () => {
  const orders = [serviceRequest('ct', '72133'), serviceRequest('mri', '72148')];
  const r = await call(server, '/cds-services/order-sign', hookRequest('order-sign', orders, { prefetch: lowBackPainPrefetch() }));
  assertCdsResponse(r.json);
  assert.deepEqual(r.json.systemActions.map((a) => a.resource.id), ['ct', 'mri']);
  assert.notEqual(r.json.systemActions[0].resource.extension[2].valueUri, r.json.systemActions[1].resource.extension[2].valueUri);
});

test('orders no guideline rates get no card and no rating', async () => {
  const knee = serviceRequest('knee', '73721', { reason: [[SNOMED, '239720000', 'Tear of meniscus of knee']] });
  const lab = { resourceType: 'MedicationRequest', id: 'm', status: 'draft', intent: 'order', subject: { reference: 'Patient/p1' }, medicationCodeableConcept: { text: 'ibuprofen' } };
  const request = hookRequest('order-sign', [knee], { prefetch: lowBackPainPrefetch() });
  request.context.draftOrders.entry.push({ resource: lab });
  const r = await call(server, '/cds-services/order-sign', request);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { cards: [] });
  assertCdsResponse(r.json);
});

test('malformed requests are 400 with a reason; unknown services 404', async () => {
  const good = hookRequest('order-sign', [serviceRequest('ct', '72133')], { prefetch: lowBackPainPrefetch() });
  const cases = [
    ['{', 'the body is not valid JSON'],
    [[], 'expected a CDS Hooks request object'],
    [{ ...good, hook: 'order-select' }, 'hook "order-select" does not match the service "order-sign"'],
    [{ ...good, hookInstance: 7 }, 'hookInstance: expected a string'],
    [{ ...good, context: { patientId: 'p1' } }, 'context.draftOrders: expected a FHIR Bundle of draft orders'],
    [{ ...good, prefetch: { patient: 'Patient/p1' } }, 'prefetch.patient: expected a FHIR resource, a Bundle or null'],
    [{ ...good, prefetch: { ...good.prefetch, patient: { resourceType: 'Patient', id: 'p1', birthDate: '1980-13-01' } } },
      'prefetch.patient.birthDate: "1980-13-01" is not a FHIR date'],
  ];
  for (const [body, error] of cases) {
    const r = await call(server, '/cds-services/order-sign', body);
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
    assert.deepEqual(r.json, { error });
  }
  const select = await call(server, '/cds-services/order-select', { ...good, hook: 'order-select' });
  assert.deepEqual([select.status, select.json], [400, { error: 'context.selections: expected an array of references (order-select)' }]);
  const unknown = await call(server, '/cds-services/patient-view', good);
  assert.deepEqual([unknown.status, unknown.json], [404, { error: 'no service "patient-view"' }]);
  // Logs name where a request was wrong, never the values it held.
  const logged = server.logs.filter((l) => l.event === 'hook' && l.status === 400).map((l) => l.errorAt);
  assert.ok(logged.includes('prefetch.patient.birthDate'));
  assert.ok(!JSON.stringify(server.logs).includes('1980-13-01'));
});

test('health and readiness', async () => {
  assert.deepEqual((await call(server, '/healthz', undefined, { method: 'GET' })).json, { status: 'ok' });
  assert.deepEqual((await call(server, '/readyz', undefined, { method: 'GET' })).json, { status: 'ready', guidelines: 1 });
});
