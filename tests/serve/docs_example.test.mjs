// docs/serve.md's first card, as a new user gets it: the shipped guidelines
// folder, --insecure-no-auth, and docs/examples/order-sign-ct-lumbar.json.
// Without a JWT there is also no metrics route and no feedback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, call, assertCdsResponse } from './lib/service.mjs';

test('the documented first call gives the documented card', async () => {
  const server = await startServer(['--catalog', 'guidelines/acr', '--insecure-no-auth'], { auth: 'none' });
  try {
    assert.equal(server.started.auth, 'none');
    const discovery = await call(server, '/cds-services', undefined, { method: 'GET' });
    assert.equal(discovery.status, 200);
    const r = await call(server, '/cds-services/order-sign', readFileSync('docs/examples/order-sign-ct-lumbar.json', 'utf8'));
    assert.equal(r.status, 200, r.text);
    assertCdsResponse(r.json);
    assert.equal(r.json.cards[0].summary, 'CT lumbar spine without and with IV contrast: no rating yet; missing: Red flags found in the history or examination');
    assert.equal(r.json.systemActions, undefined);
    const lines = r.json.cards[0].detail.split('\n').filter((l) => l.startsWith('- Variant '));
    assert.equal(lines.length, 4);
    for (const line of lines) assert.match(line, /: Usually not appropriate$/);
    assert.match(r.json.cards[0].detail, /nocturnal_pain/);
    assert.equal((await call(server, '/metrics', undefined, { method: 'GET' })).status, 404);
  } finally {
    await server.stop();
  }
});
