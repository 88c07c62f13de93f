// Every CDS Hooks route, discovery included, needs a client JWT the service
// trusts (CDS Hooks 2.0 "Trusting CDS Clients"). A refused call is 401 with
// the same body whatever the reason — nothing about keys reaches the client —
// and the reason goes to the log. (The verifier's own rejection cases are
// tests/service/jwt_verifier_test.cpp; this suite checks the wiring.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair } from 'jose';
import { startServer, scratch, lowBackPainGraph, call, hookRequest, serviceRequest, lowBackPainPrefetch } from './lib/service.mjs';
import { signToken } from './lib/auth.mjs';

let server;
before(async () => { server = await startServer(['--catalog', lowBackPainGraph(scratch())]); });
after(async () => server && server.stop());

const request = () => hookRequest('order-sign', [serviceRequest('ct', '72133')], { prefetch: lowBackPainPrefetch() });
const feedback = { feedback: [{ card: crypto.randomUUID(), outcome: 'overridden', outcomeTimestamp: '2026-11-30T07:00:00Z' }] };

async function refused(path, body, headers, reason) {
  const before = server.logs.length;
  const r = await call(server, path, body, { method: body === undefined ? 'GET' : 'POST', token: null, headers });
  assert.equal(r.status, 401, `${path}: ${r.text}`);
  assert.deepEqual(r.json, { error: 'unauthorized' });
  assert.equal(r.headers.get('www-authenticate'), 'Bearer');
  const logged = server.logs.slice(before).find((l) => l.event === 'unauthorized');
  assert.equal(logged?.reason, reason);
}

test('no token: 401 on discovery, both hooks and feedback', async () => {
  await refused('/cds-services', undefined, {}, 'no_token');
  await refused('/cds-services/order-sign', request(), {}, 'no_token');
  await refused('/cds-services/order-select', request(), {}, 'no_token');
  await refused('/cds-services/order-sign/feedback', feedback, {}, 'no_token');
});

test('a token for another endpoint, an unknown key, a forged signature: the same 401', async () => {
  const wrongAud = await signToken(server.privateKey, `${server.url}/cds-services`);
  await refused('/cds-services/order-sign', request(), { Authorization: `Bearer ${wrongAud}` }, 'aud_mismatch');
  const unknownKid = await signToken(server.privateKey, `${server.url}/cds-services/order-sign`, { header: { kid: 'someone-else' } });
  await refused('/cds-services/order-sign', request(), { Authorization: `Bearer ${unknownKid}` }, 'kid_unknown');
  const { privateKey: other } = await generateKeyPair('ES384');
  const forged = await signToken(other, `${server.url}/cds-services/order-sign`);
  await refused('/cds-services/order-sign', request(), { Authorization: `Bearer ${forged}` }, 'bad_signature');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
  await refused('/cds-services', undefined, { Authorization: `Bearer ${none}` }, 'alg_none');
});

test('a token is good once: its replay is refused', async () => {
  const token = await signToken(server.privateKey, `${server.url}/cds-services`);
  const first = await call(server, '/cds-services', undefined, { method: 'GET', token });
  assert.equal(first.status, 200);
  await refused('/cds-services', undefined, { Authorization: `Bearer ${token}` }, 'jti_replayed');
});

test('a valid token: answered; health, readiness and metrics need none', async () => {
  const r = await call(server, '/cds-services/order-sign', request());
  assert.equal(r.status, 200, r.text);
  for (const path of ['/healthz', '/readyz', '/metrics'])
    assert.equal((await call(server, path, undefined, { method: 'GET', token: null })).status, 200, path);
});

test('the service refuses to start with no trust configured', async () => {
  await assert.rejects(startServer(['--catalog', 'guidelines/acr/low_back_pain.rubric'], { auth: 'none' }),
    /give --auth-config FILE \(which CDS clients to trust\), or --insecure-no-auth for a local trial/);
});
