// Feedback (CDS Hooks 2.0 "Feedback"): accepted and overridden outcomes are
// kept in SQLite (WAL) and survive a restart; a malformed body is 400 naming
// the field; the metrics count requests, ratings and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, scratch, lowBackPainGraph, call, hookRequest, serviceRequest, lowBackPainPrefetch } from './lib/service.mjs';

test('feedback on a card is stored and survives a restart', async () => {
  const dir = scratch();
  const db = join(dir, 'feedback.sqlite');
  const graph = lowBackPainGraph(dir);
  let server = await startServer(['--catalog', graph, '--feedback-db', db]);
  let card;
  try {
    const answer = await call(server, '/cds-services/order-sign', hookRequest('order-sign', [serviceRequest('ct', '72133')], { prefetch: lowBackPainPrefetch() }));
    card = answer.json.cards[0];
    const accepted = { feedback: [{ card: card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: card.suggestions[0].uuid }], outcomeTimestamp: '2026-11-30T07:10:00Z' }] };
    const r = await call(server, '/cds-services/order-sign/feedback', accepted);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {});
    const overridden = { feedback: [{ card: card.uuid, outcome: 'overridden', overrideReason: { reason: { code: 'patient-preference', system: 'http://example.org/override', display: 'Patient preference' }, userComment: 'discussed' }, outcomeTimestamp: '2026-11-30T07:11:00Z' }] };
    assert.equal((await call(server, '/cds-services/order-sign/feedback', overridden)).status, 200);
    const bad = await call(server, '/cds-services/order-sign/feedback', { feedback: [{ card: card.uuid, outcome: 'liked', outcomeTimestamp: '2026-11-30T07:12:00Z' }] });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /outcome/);
    const metrics = (await call(server, '/metrics', undefined, { method: 'GET', token: null })).text;
    assert.match(metrics, /rubric_ratings_total\{code="not-appropriate"\} 1/);
    assert.match(metrics, /rubric_http_requests_total\{route="\/cds-services\/\{id\}\/feedback",status="200"\} 2/);
    assert.match(metrics, /rubric_errors_total\{kind="bad_request"\} 1/);
  } finally {
    await server.stop();
  }
  // A new process on the same file still has both entries.
  server = await startServer(['--catalog', graph, '--feedback-db', db]);
  await server.stop();
  const rows = execFileSync('python3', ['-c', `import sqlite3,json,sys
c = sqlite3.connect(sys.argv[1])
tables = [r[0] for r in c.execute("select name from sqlite_master where type='table'")]
print(json.dumps({"tables": tables, "mode": c.execute("pragma journal_mode").fetchone()[0]}))`, db], { encoding: 'utf8' });
  const info = JSON.parse(rows);
  assert.equal(info.mode, 'wal');
  const dump = execFileSync('python3', ['-c', `import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
for t in [r[0] for r in c.execute("select name from sqlite_master where type='table'")]:
    for row in c.execute(f"select * from {t}"): print(row)`, db], { encoding: 'utf8' });
  assert.ok(dump.includes(card.uuid) && dump.includes('accepted') && dump.includes('overridden'), dump);
});

test('without --feedback-db the feedback route says so', async () => {
  const server = await startServer(['--catalog', lowBackPainGraph(scratch())]);
  try {
    const r = await call(server, '/cds-services/order-sign/feedback', { feedback: [] });
    assert.deepEqual([r.status, r.json], [503, { error: 'feedback is not stored by this service' }]);
  } finally {
    await server.stop();
  }
});
