// The transport: HTTPS with --tls-cert/--tls-key (a certificate made here
// with the openssl command), and the request limits — a body over
// --max-body-bytes is 413, an oversized header is refused — on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { startServer, scratch, lowBackPainGraph, call, hookRequest, serviceRequest, lowBackPainPrefetch } from './lib/service.mjs';
import { signToken } from './lib/auth.mjs';

test('HTTPS: discovery over TLS with the configured certificate', async () => {
  const dir = scratch();
  const cert = join(dir, 'cert.pem'), key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const server = await startServer(['--catalog', lowBackPainGraph(dir), '--tls-cert', cert, '--tls-key', key]);
  try {
    assert.equal(server.started.tls, true);
    const port = server.started.port;
    const token = await signToken(server.privateKey, `https://127.0.0.1:${port}/cds-services`);
    const body = await new Promise((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port, path: '/cds-services', ca: readFileSync(cert), headers: { Authorization: `Bearer ${token}` } }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode, text }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(body.status, 200, body.text);
    assert.deepEqual(JSON.parse(body.text).services.map((s) => s.id), ['order-select', 'order-sign']);
  } finally {
    await server.stop();
  }
});

test('limits: a body over --max-body-bytes is 413, a huge header is refused', async () => {
  const server = await startServer(['--catalog', lowBackPainGraph(scratch()), '--max-body-bytes', '20000']);
  try {
    const request = hookRequest('order-sign', [serviceRequest('ct', '72133')], { prefetch: lowBackPainPrefetch() });
    assert.equal((await call(server, '/cds-services/order-sign', request)).status, 200);
    request.context.padding = 'x'.repeat(30000);
    assert.equal((await call(server, '/cds-services/order-sign', request)).status, 413);
    const huge = await call(server, '/healthz', undefined, { method: 'GET', token: null, headers: { 'X-Padding': 'y'.repeat(20000) } }).catch((e) => ({ status: 'closed', error: e }));
    assert.notEqual(huge.status, 200);
  } finally {
    await server.stop();
  }
});
