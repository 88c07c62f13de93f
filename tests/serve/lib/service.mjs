// Shared by the `rubric serve` suites: start the real binary on a free
// loopback port, read its JSON-line log, stop it with SIGTERM (it must exit
// 0), validate answers against the CDS Hooks 2.0 schema (ajv) and returned
// ServiceRequests as FHIR R4 (npm `fhir`), and build hook requests.
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020.js';
import fhirPackage from 'fhir';
import { clientTrust, signToken } from './auth.mjs';

export const RUBRIC = process.env.RUBRIC;
if (!RUBRIC) throw new Error('set RUBRIC to the rubric binary');

export function scratch() {
  return mkdtempSync(join(tmpdir(), 'rubric-serve-'));
}

// The Low Back Pain graph, compiled from the shipped guideline. The shipped
// night-pain code list is empty (no code could be verified), so a FHIR record
// can never show the red flags absent; like tests/runtime_only/runtime_fhir_test.cpp,
// the tests add one test-only code to it so the record can decide.
export function lowBackPainGraph(dir, { testNightPainCode = true } = {}) {
  const out = join(dir, testNightPainCode ? 'lbp-test.graph.json' : 'lbp.graph.json');
  execFileSync(RUBRIC, ['compile', 'guidelines/acr/low_back_pain.rubric', '-o', out]);
  if (testNightPainCode) {
    const g = JSON.parse(readFileSync(out, 'utf8'));
    const list = g.fhir.code_lists.find((l) => l.id === 'stdlib.codes.red_flags.nocturnal_pain');
    if (list) list.codes.push({ system: 'http://snomed.info/sct', code: '0000000', display: 'Test-only night pain code', prefix: false, unverified: true });
    writeFileSync(out, JSON.stringify(g));
  }
  return out;
}

// A catalog folder holding the Low Back Pain test graph (lbp.json), and the
// same guideline under another title — another graph, another hash — to
// swap in for a reload test.
export function reloadableCatalog(dir) {
  const graph = lowBackPainGraph(dir);
  const retitled = join(dir, 'retitled.graph.json');
  const g = JSON.parse(readFileSync(graph, 'utf8'));
  g.guideline.title = 'Low Back Pain (retitled)';
  writeFileSync(retitled, JSON.stringify(g));
  const catalog = join(dir, 'catalog');
  mkdirSync(catalog);
  copyFileSync(graph, join(catalog, 'lbp.json'));
  return { graph, retitled, catalog };
}

// Starts `rubric serve`; resolves once it logs that it listens. With `auth`
// 'jwt' (the default) the service trusts a client key made here, and call()
// signs every request with it; 'none' passes no trust at all.
export async function startServer(args, { timeoutMs = 60000, auth = 'jwt' } = {}) {
  let trust;
  if (auth === 'jwt') trust = await clientTrust(scratch());
  const authArgs = trust ? ['--auth-config', trust.config] : [];
  const proc = spawn(RUBRIC, ['serve', '--listen', '127.0.0.1:0', ...authArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = [];
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const lines = createInterface({ input: proc.stdout });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rubric serve did not start: ${stderr}`)), timeoutMs);
    lines.on('line', (line) => {
      const entry = JSON.parse(line);
      logs.push(entry);
      if (entry.event === 'listening') { clearTimeout(timer); resolve(entry); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`rubric serve exited ${code}: ${stderr}`)); });
  });
  const started = await listening;
  const url = `http://127.0.0.1:${started.port}`;
  return {
    url, logs, proc, started, privateKey: trust?.privateKey,
    stderr: () => stderr,
    // SIGTERM; the server finishes what is in flight and exits 0.
    async stop() {
      proc.kill('SIGTERM');
      const { code, signal } = await exited;
      assert.equal(signal, null, `rubric serve died of ${signal}: ${stderr}`);
      assert.equal(code, 0, `rubric serve exited ${code}: ${stderr}`);
      assert.equal(logs.at(-1).event, 'stopped');
    },
  };
}

const schema = JSON.parse(readFileSync(new URL('../schema/cds-hooks-2.0.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
ajv.addSchema(schema);
const responseValidator = ajv.getSchema('urn:rubric:test:cds-hooks-2.0#/$defs/response');
const discoveryValidator = ajv.getSchema('urn:rubric:test:cds-hooks-2.0#/$defs/discovery');

export function assertCdsResponse(body) {
  assert.ok(responseValidator(body), `not a CDS Hooks 2.0 response: ${ajv.errorsText(responseValidator.errors)}`);
}
export function assertDiscovery(body) {
  assert.ok(discoveryValidator(body), `not a CDS Hooks 2.0 discovery response: ${ajv.errorsText(discoveryValidator.errors)}`);
}

const fhir = new fhirPackage.Fhir();
// Every ServiceRequest an answer returns (system actions, suggestion actions) is valid FHIR R4.
export function assertFhirResources(body) {
  const actions = [...(body.systemActions ?? []), ...body.cards.flatMap((c) => (c.suggestions ?? []).flatMap((s) => s.actions ?? []))];
  for (const a of actions.filter((x) => x.resource)) {
    const result = fhir.validate(a.resource, { errorOnUnexpected: true });
    const errors = result.messages.filter((m) => m.severity === 'error');
    assert.ok(result.valid && errors.length === 0, `invalid FHIR R4 ${a.resource.resourceType}: ${JSON.stringify(errors)}`);
  }
}

export const CPT = 'http://www.ama-assn.org/go/cpt';
export const SNOMED = 'http://snomed.info/sct';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

export function serviceRequest(id, cpt, { reason = [[SNOMED, '279039007', 'Low back pain']], authoredOn = '2026-11-30', patient = 'p1' } = {}) {
  return {
    resourceType: 'ServiceRequest', id, status: 'draft', intent: 'order',
    code: { coding: [{ system: CPT, code: cpt }] },
    subject: { reference: `Patient/${patient}` },
    authoredOn,
    reasonCode: reason.map(([system, code, display]) => ({ coding: [{ system, code, display }] })),
  };
}

export function condition(id, system, code, onset, { patient = 'p1', display } = {}) {
  return {
    resourceType: 'Condition', id,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { coding: [{ system, code, ...(display ? { display } : {}) }] },
    subject: { reference: `Patient/${patient}` },
    onsetDateTime: onset,
  };
}

export const searchset = (resources) => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) });

// A CDS Hooks request; `prefetch` undefined leaves the key out.
export function hookRequest(hook, orders, { prefetch, selections, patient = 'p1', hookInstance = crypto.randomUUID(), extra = {} } = {}) {
  const context = { userId: 'Practitioner/example', patientId: patient, draftOrders: searchset(orders) };
  context.draftOrders.type = 'collection';
  if (hook === 'order-select') context.selections = selections ?? orders.map((o) => `ServiceRequest/${o.id}`);
  return { hook, hookInstance, context, ...(prefetch === undefined ? {} : { prefetch }), ...extra };
}

// The connectathon patient: 46 years old, low back pain for two weeks, no red flags, no procedures.
// The red-flag screen of guidelines/acr/cases/seed-55yo.bundle.json (every
// flag answered no), taken the day before the order.
function redFlagScreen() {
  const seed = JSON.parse(readFileSync('guidelines/acr/cases/seed-55yo.bundle.json', 'utf8'));
  const qr = seed.entry.map((e) => e.resource).find((r) => r.resourceType === 'QuestionnaireResponse');
  return { ...qr, subject: { reference: 'Patient/p1' }, authored: '2026-11-29' };
}

export function lowBackPainPrefetch({ onset = '2026-11-16' } = {}) {
  return {
    patient: { resourceType: 'Patient', id: 'p1', birthDate: '1980-02-01' },
    conditions: searchset([condition('lbp', SNOMED, '279039007', onset, { display: 'Low back pain' })]),
    procedures: null,
    questionnaireResponses: searchset([redFlagScreen()]),
  };
}

// One call; signed with a fresh JWT for this endpoint unless `token` is
// given (a string) or null (no Authorization header from here).
export async function call(server, path, body, { method = 'POST', headers = {}, token } = {}) {
  if (token === undefined && server.privateKey) token = await signToken(server.privateKey, server.url + path);
  const res = await fetch(server.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text, headers: res.headers };
}

export const pamaRating = (resource) =>
  resource.extension.find((e) => e.url === 'http://fhir.org/argonaut/Extension/pama-rating').valueCodeableConcept.coding
    .find((c) => c.system === 'http://fhir.org/argonaut/CodeSystem/pama-rating').code;
