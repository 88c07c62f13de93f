// Client JWTs for the suites (CDS Hooks 2.0 "Trusting CDS Clients"): an
// ES384 key pair made at test time with `jose`, its public half as a JWK Set
// file, the service's trust configuration naming it, and a fresh signed
// token per call whose `aud` is the endpoint URL.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, exportJWK, SignJWT } from 'jose';

export const ISSUER = 'https://ehr.test.example';
export const KID = 'ehr-test-key-1';

export async function clientTrust(dir) {
  const { publicKey, privateKey } = await generateKeyPair('ES384', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'ES384', use: 'sig' };
  writeFileSync(join(dir, 'client-jwks.json'), JSON.stringify({ keys: [jwk] }));
  const config = join(dir, 'jwt-config.json');
  writeFileSync(config, JSON.stringify({ issuers: [{ iss: ISSUER, jwks_file: 'client-jwks.json' }] }));
  return { privateKey, config };
}

export function signToken(privateKey, audience, { header = {}, claims = {} } = {}) {
  return new SignJWT({ tenant: 'rubric-tests', ...claims })
    .setProtectedHeader({ alg: 'ES384', kid: KID, typ: 'JWT', ...header })
    .setIssuer(ISSUER)
    .setSubject('rubric-test-client')
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(crypto.randomUUID())
    .sign(privateKey);
}
