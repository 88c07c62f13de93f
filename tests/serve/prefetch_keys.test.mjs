// Missing vs null for every prefetch key beyond the problem list and the
// procedures (prefetch.test.mjs): `questionnaireResponses` (Low Back Pain's
// red-flag screen), `observations` (Suspected PE's heart rate and D-dimer),
// and `medicationRequests` / `medicationStatements` (a test guideline whose
// one fact is on the medication list, declared complete or not). For each:
// a key not sent leaves its record unknown and the card says "(not sent)";
// `null` is known-empty, which decides only where the bindings declare that
// record complete (questionnaires and observations never are); a missing key
// is read from the allowed FHIR server when the request gives one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  RUBRIC, startServer, scratch, lowBackPainGraph, call, hookRequest, serviceRequest, lowBackPainPrefetch,
  assertCdsResponse, assertFhirResources, pamaRating, searchset,
} from './lib/service.mjs';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const without = (object, key) => Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));
let server, openServer, fhirServer, fhirUrl;
const fhirRequests = [];
const fhirAuthorization = { access_token: 'keys-token', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'cds-service' };

// The Suspected PE case of guidelines/acr/cases/suspected_pe/wells3-ddimer600.bundle.json
// (70 years, Wells 3, D-dimer 600 ng/mL FEU) as a prefetch, and its CTA order.
function peCase() {
  const resources = JSON.parse(readFileSync('guidelines/acr/cases/suspected_pe/wells3-ddimer600.bundle.json', 'utf8')).entry.map((e) => e.resource);
  const of = (type) => resources.filter((r) => r.resourceType === type);
  return {
    order: { ...of('ServiceRequest')[0], status: 'draft' },
    prefetch: { patient: of('Patient')[0], conditions: searchset(of('Condition')), observations: searchset(of('Observation')),
      questionnaireResponses: searchset(of('QuestionnaireResponse')) },
  };
}

function warfarin(resourceType) {
  return {
    resourceType, id: `warfarin-${resourceType}`, status: 'active', ...(resourceType === 'MedicationRequest' ? { intent: 'order' } : {}),
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: '11289', display: 'warfarin' }] },
    subject: { reference: 'Patient/m1' }, ...(resourceType === 'MedicationRequest' ? { authoredOn: '2026-11-01' } : { effectiveDateTime: '2026-11-01' }),
  };
}
const mriOrder = () => without(serviceRequest('mri', '72148', { patient: 'm1' }), 'reasonCode');
const medicationPatient = { resourceType: 'Patient', id: 'm1', birthDate: '1970-01-01' };

before(async () => {
  const dir = scratch();
  const lbp = lowBackPainGraph(dir);
  const pe = join(dir, 'pe.graph.json');
  execFileSync(RUBRIC, ['compile', 'guidelines/acr/suspected_pe.rubric', '-o', pe]);
  const meds = join(dir, 'medications.graph.json');
  execFileSync(RUBRIC, ['compile', 'tests/serve/fixtures/medications.rubric', '-o', meds]);
  // The same guideline with the medication list not declared complete.
  const medsOpen = join(dir, 'medications-open.graph.json');
  const g = JSON.parse(readFileSync(meds, 'utf8'));
  g.fhir.medications_complete = false;
  writeFileSync(medsOpen, JSON.stringify(g));

  const pc = peCase();
  const answers = {
    '/fhir/QuestionnaireResponse?patient=p1': lowBackPainPrefetch().questionnaireResponses,
    '/fhir/Observation?patient=pe70': pc.prefetch.observations,
    '/fhir/MedicationRequest?patient=m1': searchset([]),
    '/fhir/MedicationStatement?patient=m1': searchset([warfarin('MedicationStatement')]),
  };
  fhirServer = createServer((req, res) => {
    fhirRequests.push(req.url);
    const body = answers[req.url];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/fhir+json' });
    res.end(JSON.stringify(body ?? { resourceType: 'OperationOutcome' }));
  });
  await new Promise((resolve) => fhirServer.listen(0, '127.0.0.1', resolve));
  fhirUrl = `http://127.0.0.1:${fhirServer.address().port}/fhir`;
  // Orders route by CPT code: 72133 with a low back pain reason to Low Back
  // Pain, 72148 without one to the test guideline (loaded first), 71275 to PE.
  server = await startServer(['--catalog', meds, lbp, pe, '--fhir-server-allow', fhirUrl]);
  openServer = await startServer(['--catalog', medsOpen]);
});
after(async () => {
  if (server) await server.stop();
  if (openServer) await openServer.stop();
  if (fhirServer) await new Promise((resolve) => fhirServer.close(resolve));
});

async function sign(srv, order, prefetch, { fetch = false, patient } = {}) {
  const extra = fetch ? { fhirServer: fhirUrl, fhirAuthorization } : {};
  const r = await call(srv, '/cds-services/order-sign', hookRequest('order-sign', [order], { prefetch, extra, patient }));
  assert.equal(r.status, 200, r.text);
  assertCdsResponse(r.json);
  assertFhirResources(r.json);
  return r.json;
}
const rating = (answer) => (answer.systemActions ? pamaRating(answer.systemActions[0].resource) : null);

test('discovery asks for every key the loaded bindings read', async () => {
  const r = await call(server, '/cds-services', undefined, { method: 'GET' });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.json.services[0].prefetch).sort(), [
    'conditions', 'medicationRequests', 'medicationStatements', 'observations', 'patient', 'procedures', 'questionnaireResponses']);
  assert.equal(r.json.services[0].prefetch.observations, 'Observation?patient={{context.patientId}}');
});

// --- questionnaireResponses: Low Back Pain's red-flag screen (night pain is asked, never coded)

const lbpOrder = () => serviceRequest('ct', '72133');
const screenUnknown = /no completed QuestionnaireResponse to `http:\/\/example\.org\/rubric\/Questionnaire\/lbp-red-flags` in the window/;

test('questionnaireResponses sent: the screen decides the red flags, rated', async () => {
  const a = await sign(server, lbpOrder(), lowBackPainPrefetch());
  assert.equal(rating(a), 'not-appropriate');
  assert.equal(a.cards[0].summary, 'CT lumbar spine without and with IV contrast: Usually not appropriate (ACR Low Back Pain, variant 1)');
});

test('questionnaireResponses not sent: the red flags are unknown and the card says the key was not sent', async () => {
  const a = await sign(server, lbpOrder(), without(lowBackPainPrefetch(), 'questionnaireResponses'));
  assert.equal(rating(a), null);
  assert.equal(a.cards[0].summary, 'CT lumbar spine without and with IV contrast: no rating yet; missing: Red flags found in the history or examination');
  assert.match(a.cards[0].detail, new RegExp(screenUnknown.source + ', and the request has no prefetch `questionnaireResponses` \\(not sent\\)'));
});

test('questionnaireResponses null: known to be none, but a screen is never complete, so still no rating', async () => {
  const a = await sign(server, lbpOrder(), { ...lowBackPainPrefetch(), questionnaireResponses: null });
  assert.equal(rating(a), null);
  assert.equal(a.cards[0].summary, 'CT lumbar spine without and with IV contrast: no rating yet; missing: Red flags found in the history or examination');
  assert.match(a.cards[0].detail, screenUnknown);
  assert.doesNotMatch(a.cards[0].detail, /questionnaireResponses/);
});

test('questionnaireResponses not sent, FHIR server allowed: read from it, rated', async () => {
  fhirRequests.length = 0;
  const a = await sign(server, lbpOrder(), without(lowBackPainPrefetch(), 'questionnaireResponses'), { fetch: true });
  assert.equal(rating(a), 'not-appropriate');
  assert.deepEqual(fhirRequests, ['/fhir/QuestionnaireResponse?patient=p1']);
});

// --- observations: Suspected PE's heart rate and D-dimer (observations are never complete)

const peSummary = 'CTA pulmonary arteries with IV contrast: Usually not appropriate (ACR Suspected Pulmonary Embolism, variant 1)';
const ddimerUnknown = 'unknown: no final Observation in `stdlib.codes.pulmonary_embolism.d_dimer_feu`';

test('observations sent: the D-dimer below the cut-off decides, rated', async () => {
  const { order, prefetch } = peCase();
  const a = await sign(server, order, prefetch, { patient: 'pe70' });
  assert.equal(rating(a), 'not-appropriate');
  assert.equal(a.cards[0].summary, peSummary);
  assert.match(a.cards[0].detail, /= 600 ng\/mL: Observation\/ddimer \(LOINC 48065-7 [^)]*\) = 0\.6 mg\/L, effective 2025-06-02T09:15:00Z/);
});

test('observations not sent: heart rate and D-dimer unknown, no rating, the card says the key was not sent', async () => {
  const { order, prefetch } = peCase();
  const a = await sign(server, order, without(prefetch, 'observations'), { patient: 'pe70' });
  assert.equal(rating(a), null);
  assert.match(a.cards[0].summary, /^CTA pulmonary arteries with IV contrast: no rating yet; missing: Heart rate, D-dimer/);
  assert.ok(a.cards[0].detail.includes(`(\`d_dimer\`): ${ddimerUnknown}, and the request has no prefetch \`observations\` (not sent)`), a.cards[0].detail);
});

test('observations null: none on record, but observations are never complete, so still no rating', async () => {
  const { order, prefetch } = peCase();
  const a = await sign(server, order, { ...prefetch, observations: null }, { patient: 'pe70' });
  assert.equal(rating(a), null);
  assert.ok(a.cards[0].detail.includes(`(\`d_dimer\`): ${ddimerUnknown} in the window\n`), a.cards[0].detail);
  assert.doesNotMatch(a.cards[0].detail, /prefetch `observations`/);
});

test('observations not sent, FHIR server allowed: read from it, rated', async () => {
  fhirRequests.length = 0;
  const { order, prefetch } = peCase();
  const a = await sign(server, order, without(prefetch, 'observations'), { fetch: true, patient: 'pe70' });
  assert.equal(rating(a), 'not-appropriate');
  assert.equal(a.cards[0].summary, peSummary);
  assert.deepEqual(fhirRequests, ['/fhir/Observation?patient=pe70']);
});

// --- medicationRequests / medicationStatements: one record in two keys

const onWarfarin = 'MRI lumbar spine without IV contrast: Usually not appropriate (ACR Medication list from the prefetch (a test guideline), variant 1)';
const notOnWarfarin = 'MRI lumbar spine without IV contrast: Usually appropriate (ACR Medication list from the prefetch (a test guideline), variant 2)';
const unknownWarfarin = 'MRI lumbar spine without IV contrast: no rating yet; missing: Taking warfarin';
const noWarfarin = 'no MedicationRequest or MedicationStatement in `medications.warfarin`';

test('medications: warfarin in either key is found, rated', async () => {
  for (const key of ['medicationRequests', 'medicationStatements']) {
    const type = key === 'medicationRequests' ? 'MedicationRequest' : 'MedicationStatement';
    const a = await sign(server, mriOrder(), { patient: medicationPatient, [key]: searchset([warfarin(type)]) }, { patient: 'm1' });
    assert.equal(a.cards[0].summary, onWarfarin, key);
    assert.equal(rating(a), 'not-appropriate');
    assert.match(a.cards[0].detail, new RegExp(`${type}/warfarin-${type} \\(RxNorm 11289 warfarin, an unverified code\\)`));
  }
});

test('medications: both keys null and the list declared complete: known not on warfarin, rated', async () => {
  const a = await sign(server, mriOrder(), { patient: medicationPatient, medicationRequests: null, medicationStatements: null }, { patient: 'm1' });
  assert.equal(a.cards[0].summary, notOnWarfarin);
  assert.equal(rating(a), 'appropriate');
  assert.ok(a.cards[0].detail.includes(`${noWarfarin}, and medications are declared complete`), a.cards[0].detail);
});

test('medications: one key null, the other not sent: unknown, and the card names the key not sent', async () => {
  const a = await sign(server, mriOrder(), { patient: medicationPatient, medicationRequests: null }, { patient: 'm1' });
  assert.equal(a.cards[0].summary, unknownWarfarin);
  assert.equal(rating(a), null);
  assert.ok(a.cards[0].detail.includes(`unknown: ${noWarfarin}, and the request has no prefetch \`medicationStatements\` (not sent)`), a.cards[0].detail);
});

test('medications: neither key sent: unknown, both named', async () => {
  const a = await sign(server, mriOrder(), { patient: medicationPatient }, { patient: 'm1' });
  assert.equal(a.cards[0].summary, unknownWarfarin);
  assert.ok(a.cards[0].detail.includes(`unknown: ${noWarfarin}, and the request has no prefetch \`medicationRequests\` or \`medicationStatements\` (not sent)`), a.cards[0].detail);
});

test('medications: neither key sent, FHIR server allowed: both read from it, rated', async () => {
  fhirRequests.length = 0;
  const a = await sign(server, mriOrder(), { patient: medicationPatient }, { fetch: true, patient: 'm1' });
  assert.equal(a.cards[0].summary, onWarfarin);
  assert.deepEqual(fhirRequests, ['/fhir/MedicationRequest?patient=m1', '/fhir/MedicationStatement?patient=m1']);
});

test('medications: both keys null but the list not declared complete: still unknown', async () => {
  const a = await sign(openServer, mriOrder(), { patient: medicationPatient, medicationRequests: null, medicationStatements: null }, { patient: 'm1' });
  assert.equal(a.cards[0].summary, unknownWarfarin);
  assert.equal(rating(a), null);
  assert.ok(a.cards[0].detail.includes(`unknown: ${noWarfarin}, and the record of medications is not declared complete`), a.cards[0].detail);
});

test('the Patient is required for every guideline: a PE order without it and no FHIR server is 412', async () => {
  const { order, prefetch } = peCase();
  const r = await call(server, '/cds-services/order-sign', hookRequest('order-sign', [order], { prefetch: without(prefetch, 'patient'), patient: 'pe70' }));
  assert.equal(r.status, 412);
  assert.deepEqual(r.json, { error: 'the Patient is required: not in the prefetch, and the request gives no FHIR server this service may read' });
});
