// Keys and signed CDS Hooks client JWTs for the load and fault tests
// (tests/load/run.sh) and the speed benchmark (bench/serve_bench.sh).
//   node tokens.mjs keys DIR ISS [ES384|RS384]
//       makes an ES384 (P-384) or RS384 (RSA 2048) key pair; writes DIR/private.jwk, DIR/jwks.json and DIR/auth.json (the
//       `--auth-config` trusting ISS with that key set)
//   node tokens.mjs sign DIR ISS AUD COUNT OUT
//       writes COUNT tokens (one per line, distinct `jti`, valid for
//       4 minutes) for audience AUD to OUT
import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [command, dir, iss, ...rest] = process.argv.slice(2);
const [aud, count, out] = rest;
const keyAlg = command === 'keys' && rest[0] ? rest[0] : 'ES384';

async function makeKeys() {
  mkdirSync(dir, { recursive: true });
  const { publicKey, privateKey } = await generateKeyPair(keyAlg, { extractable: true, modulusLength: 2048 });
  const kid = 'load-' + randomUUID().slice(0, 8);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: keyAlg };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: keyAlg, use: 'sig' };
  writeFileSync(join(dir, 'private.jwk'), JSON.stringify(privateJwk));
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [publicJwk] }));
  writeFileSync(join(dir, 'auth.json'), JSON.stringify({ issuers: [{ iss, jwks_file: 'jwks.json' }] }));
}

async function signTokens() {
  const jwk = JSON.parse(readFileSync(join(dir, 'private.jwk'), 'utf8'));
  const key = await importJWK(jwk, jwk.alg);
  const now = Math.floor(Date.now() / 1000);
  const lines = [];
  for (let i = 0; i < Number(count); i++) {
    lines.push(await new SignJWT({})
      .setProtectedHeader({ alg: jwk.alg, typ: 'JWT', kid: jwk.kid })
      .setIssuer(iss).setSubject('load-test-client').setAudience(aud)
      .setIssuedAt(now).setExpirationTime(now + 240).setJti(randomUUID())
      .sign(key));
  }
  writeFileSync(out, lines.join('\n') + '\n');
}

if (command === 'keys') await makeKeys();
else if (command === 'sign') await signTokens();
else {
  console.error('usage: node tokens.mjs keys DIR ISS [ES384|RS384] | sign DIR ISS AUD COUNT OUT');
  process.exit(2);
}
