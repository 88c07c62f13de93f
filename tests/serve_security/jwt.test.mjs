// Every JWT rejection of CDS Hooks 2.0 §Trusting CDS Clients against the real
// `rubric serve`: tokens signed with jose (ES384, RS384 with RSA 3072, and
// the wrong kinds), a JWK Set served on 127.0.0.1 as an allow-listed `jku`.
// Each refused call must get 401 with the same generic body (nothing about
// keys or claims), and the service's log must name the reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, base64url } from 'jose';

const RUBRIC = process.env.RUBRIC;
const ROOT = resolve(import.meta.dirname, '../..');
const ISS = 'https://ehr.example.org';

let dir, service, base, logFile, jkuServer, jkuUrl, keys;

async function keyPair(alg, kid, options = {}) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...options });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

function startService() {
  return new Promise((resolveStart, reject) => {
    const child = spawn(RUBRIC, ['serve', '--catalog', join(ROOT, 'guidelines/acr/low_back_pain.rubric'),
      '--listen', '127.0.0.1:0', '--auth-config', join(dir, 'auth.json'),
      '--feedback-db', join(dir, 'feedback.sqlite'), '--log', logFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => reject(new Error(`rubric serve exited ${code}: ${stderr}`)));
    const poll = setInterval(() => {
      let text = '';
      try { text = readFileSync(logFile, 'utf8'); } catch { return; }
      const listening = text.split('\n').filter(Boolean).map(JSON.parse).find((l) => l.event === 'listening');
      if (listening) {
        clearInterval(poll);
        resolveStart({ child, base: `http://127.0.0.1:${listening.port}` });
      }
    }, 20);
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rubric-jwt-'));
  logFile = join(dir, 'serve.log');
  keys = {
    es: await keyPair('ES384', 'ehr-es384'),
    rs: await keyPair('RS384', 'ehr-rs384', { modulusLength: 3072 }),
    impostor: await keyPair('ES384', 'ehr-es384'),
    jku: await keyPair('ES384', 'ehr-jku'),
    es256: await keyPair('ES256', 'ehr-es256'),
  };
  jkuServer = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: [keys.jku.jwk] }));
  });
  await new Promise((r) => jkuServer.listen(0, '127.0.0.1', r));
  jkuUrl = `http://127.0.0.1:${jkuServer.address().port}/jwks.json`;
  writeFileSync(join(dir, 'ehr-keys.json'), JSON.stringify({ keys: [keys.es.jwk, keys.rs.jwk] }));
  writeFileSync(join(dir, 'auth.json'), JSON.stringify({
    issuers: [{ iss: ISS, jwks_file: 'ehr-keys.json', jku: [jkuUrl] }],
    clock_skew_seconds: 30,
  }));
  ({ child: service, base } = await startService());
});

after(async () => {
  if (service) {
    service.removeAllListeners('exit');
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
  }
  await new Promise((r) => jkuServer.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const now = () => Math.floor(Date.now() / 1000);

function claims(path, overrides = {}) {
  return { iss: ISS, sub: 'ehr-client', aud: base + path, iat: now(), exp: now() + 120, jti: randomUUID(), ...overrides };
}

async function sign(key, payload, header = {}) {
  const protectedHeader = { alg: key.alg, typ: 'JWT', kid: key.kid, ...header };
  for (const [k, v] of Object.entries(protectedHeader)) if (v === undefined) delete protectedHeader[k];
  return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(key.privateKey);
}

// A token whose header and signature are written by hand (alg none, HMAC).
function handmade(header, payload, signature = '') {
  const part = (o) => base64url.encode(JSON.stringify(o));
  return `${part(header)}.${part(payload)}.${base64url.encode(signature)}`;
}

async function call(path, token, { method = 'GET', body } = {}) {
  const headers = token === undefined ? {} : { Authorization: `Bearer ${token}` };
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body });
  return { status: res.status, text: await res.text(), auth: res.headers.get('www-authenticate') };
}

function lastRejection() {
  const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map(JSON.parse);
  return lines.filter((l) => l.event === 'unauthorized').at(-1);
}

let genericBody;
async function assertRejected(token, reason, path = '/cds-services', options = {}) {
  const res = await call(path, token, options);
  assert.equal(res.status, 401, res.text);
  assert.equal(res.auth, 'Bearer');
  genericBody ??= res.text;
  assert.equal(res.text, genericBody, 'every 401 has the same body');
  assert.doesNotMatch(res.text, /kid|alg|key|iss|aud|exp|jti|signature/i);
  const logged = lastRejection();
  assert.equal(logged.reason, reason);
  assert.equal(logged.path, path);
  return logged;
}

test('an ES384 token of a trusted issuer opens discovery', async () => {
  const res = await call('/cds-services', await sign(keys.es, claims('/cds-services')));
  assert.equal(res.status, 200, res.text);
  assert.ok(JSON.parse(res.text).services.length > 0);
});

test('an RS384 token (RSA 3072) is accepted on a hook call too', async () => {
  const path = '/cds-services/order-select';
  const res = await call(path, await sign(keys.rs, claims(path)), { method: 'POST', body: '{}' });
  assert.notEqual(res.status, 401, res.text);  // the body is refused (400), but after the token was accepted
});

test('a key from the allow-listed jku is fetched and trusted', async () => {
  const res = await call('/cds-services', await sign(keys.jku, claims('/cds-services'), { jku: jkuUrl }));
  assert.equal(res.status, 200, res.text);
});

test('no token: 401', async () => {
  await assertRejected(undefined, 'no_token');
  await assertRejected(undefined, 'no_token', '/cds-services/order-select', { method: 'POST', body: '{}' });
});

test('alg none: 401', async () => {
  await assertRejected(handmade({ alg: 'none', kid: 'ehr-es384' }, claims('/cds-services')), 'alg_none');
});

test('every HMAC alg: 401, even keyed with the public key', async () => {
  const secret = new TextEncoder().encode(JSON.stringify(keys.es.jwk));
  for (const alg of ['HS256', 'HS384', 'HS512']) {
    const token = await new SignJWT(claims('/cds-services')).setProtectedHeader({ alg, kid: 'ehr-es384' }).sign(secret);
    await assertRejected(token, 'alg_hmac');
  }
});

test('an alg other than ES384/RS384 (ES256): 401', async () => {
  await assertRejected(await sign(keys.es256, claims('/cds-services')), 'alg_unsupported');
});

test('missing kid: 401', async () => {
  await assertRejected(await sign(keys.es, claims('/cds-services'), { kid: undefined }), 'kid_missing');
});

test('unknown kid: 401', async () => {
  await assertRejected(await sign(keys.es, claims('/cds-services'), { kid: 'someone-else' }), 'kid_unknown');
});

test('a signature by another key with the same kid: 401', async () => {
  await assertRejected(await sign(keys.impostor, claims('/cds-services')), 'bad_signature');
});

test('wrong aud (another endpoint of the same service): 401', async () => {
  await assertRejected(await sign(keys.es, claims('/cds-services/order-sign')), 'aud_mismatch');
});

test('expired: 401', async () => {
  await assertRejected(await sign(keys.es, claims('/cds-services', { iat: now() - 600, exp: now() - 300 })), 'expired');
});

test('iat in the future beyond the skew: 401', async () => {
  await assertRejected(await sign(keys.es, claims('/cds-services', { iat: now() + 120, exp: now() + 240 })),
    'issued_in_future');
});

test('exp more than 5 minutes ahead: 401', async () => {
  await assertRejected(await sign(keys.es, claims('/cds-services', { exp: now() + 3600 })), 'lifetime_too_long');
});

test('iss not allow-listed: 401', async () => {
  await assertRejected(await sign(keys.es, claims('/cds-services', { iss: 'https://evil.example.org' })),
    'iss_not_allowed');
});

test('a jku that is not allow-listed: 401, and it is never fetched', async () => {
  let fetched = 0;
  const other = createServer((req, res) => { fetched++; res.end(JSON.stringify({ keys: [keys.jku.jwk] })); });
  await new Promise((r) => other.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${other.address().port}/jwks.json`;
  try {
    await assertRejected(await sign(keys.jku, claims('/cds-services'), { jku: url }), 'jku_not_allowed');
    assert.equal(fetched, 0);
  } finally {
    await new Promise((r) => other.close(r));
  }
});

test('a replayed jti: the second use is 401', async () => {
  const token = await sign(keys.es, claims('/cds-services'));
  assert.equal((await call('/cds-services', token)).status, 200);
  await assertRejected(token, 'jti_replayed');
});

test('each missing required claim: 401', async () => {
  for (const name of ['iss', 'sub', 'aud', 'exp', 'iat', 'jti']) {
    const payload = claims('/cds-services');
    delete payload[name];
    const logged = await assertRejected(await sign(keys.es, payload), 'claim_missing');
    assert.equal(logged.detail, `claim \`${name}\``);
  }
});

test('feedback needs a token too', async () => {
  await assertRejected(undefined, 'no_token', '/cds-services/order-select/feedback', { method: 'POST', body: '{}' });
});
