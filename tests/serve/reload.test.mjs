// Hot reload: SIGHUP and POST /admin/reload load the catalog again and swap
// it in; a catalog that does not load is refused and the one in use stays.
// Answers say which graph (by hash) decided them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, scratch, reloadableCatalog, call, hookRequest, serviceRequest, lowBackPainPrefetch } from './lib/service.mjs';

let server, dir, catalog, testGraph, shippedGraph;
const adminKey = 'reload-key-0123456789abcdef';

before(async () => {
  dir = scratch();
  ({ graph: testGraph, retitled: shippedGraph, catalog } = reloadableCatalog(dir));
  writeFileSync(join(dir, 'admin.key'), `${adminKey}\n`);
  server = await startServer(['--catalog', catalog, '--admin-key-file', join(dir, 'admin.key')]);
});
after(async () => server && server.stop());

async function decide() {
  const r = await call(server, '/cds-services/order-sign', hookRequest('order-sign', [serviceRequest('ct', '72133')], { prefetch: lowBackPainPrefetch() }));
  assert.equal(r.status, 200, r.text);
  return r.json.cards[0].extension['org.rubric.decision'];
}

async function logged(event) {
  for (let i = 0; i < 200; i++) {
    const entry = server.logs.find((l, at) => l.event === event && at >= logged.seen);
    if (entry) { logged.seen = server.logs.indexOf(entry) + 1; return entry; }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${event} in the log: ${server.stderr()}`);
}
logged.seen = 0;

test('SIGHUP swaps in the changed catalog', async () => {
  const first = await decide();
  assert.equal(first.status, 'matched');
  copyFileSync(shippedGraph, join(catalog, 'lbp.json'));
  server.proc.kill('SIGHUP');
  const reload = await logged('reload');
  const second = await decide();
  assert.notEqual(second.graphHash, first.graphHash);
  assert.equal(second.graphHash, reload.guidelines[0].graphHash);
  assert.equal(second.status, 'matched');
});

test('a catalog that does not load is refused; the one in use stays', async () => {
  const before = await decide();
  writeFileSync(join(catalog, 'lbp.json'), '{"format": "rubric.decision-graph", "version": 3');
  server.proc.kill('SIGHUP');
  const refused = await logged('reload_refused');
  assert.match(refused.reason, /lbp\.json` does not load/);
  const after = await decide();
  assert.equal(after.graphHash, before.graphHash);
  assert.equal(after.status, before.status);
});

test('POST /admin/reload needs its own key', async () => {
  for (const headers of [{}, { Authorization: 'Bearer wrong-key-0123456789abcdef' }]) {
    const r = await call(server, '/admin/reload', undefined, { method: 'POST', token: null, headers });
    assert.deepEqual([r.status, r.json], [401, { error: 'unauthorized' }]);
  }
  const refused = await call(server, '/admin/reload', undefined, { method: 'POST', token: null, headers: { Authorization: `Bearer ${adminKey}` } });
  assert.equal(refused.status, 409);
  assert.match(refused.json.error, /^reload refused, the catalog in use stays: `.*lbp\.json` does not load/);
  copyFileSync(testGraph, join(catalog, 'lbp.json'));
  const ok = await call(server, '/admin/reload', undefined, { method: 'POST', token: null, headers: { Authorization: `Bearer ${adminKey}` } });
  assert.deepEqual([ok.status, ok.json], [200, { status: 'reloaded: 1 guidelines' }]);
  assert.equal((await decide()).status, 'matched');
});
