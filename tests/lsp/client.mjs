// A small LSP client over the real `rubric lsp` binary: vscode-jsonrpc for the
// framing, vscode-languageserver-protocol for the message types. Every request
// and every wait has a timeout, so a stalled server fails the test instead of
// hanging it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');
const lsp = require('vscode-languageserver-protocol');

export const TIMEOUT_MS = 20000;

export function withTimeout(promise, what, ms = TIMEOUT_MS) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

export class Client {
  constructor(binary, args = [], env = {}) {
    this.child = spawn(binary, ['lsp', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.stderr = '';
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.connection = rpc.createMessageConnection(
      new rpc.StreamMessageReader(this.child.stdout), new rpc.StreamMessageWriter(this.child.stdin));
    this.diagnostics = new Map();  // uri → latest PublishDiagnosticsParams
    this.waiters = [];
    this.messages = [];  // window/showMessage
    this.connection.onNotification(lsp.PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => !w.check());
    });
    this.connection.onNotification(lsp.ShowMessageNotification.type, (p) => {
      this.messages.push(p);
      this.waiters = this.waiters.filter((w) => !w.check());
    });
    this.connection.listen();
    this.versions = new Map();
    this.texts = new Map();
  }

  request(type, params, what = type.method) {
    return withTimeout(this.connection.sendRequest(type, params), what);
  }

  notify(type, params) { return this.connection.sendNotification(type, params); }

  // Resolves with the diagnostics of `uri` once `predicate(list)` holds; the
  // current ones count, later publications are awaited.
  waitFor(check, what) {
    return withTimeout(new Promise((resolve) => {
      const w = { check: () => { const r = check(); if (r) resolve(r); return !!r; } };
      if (!w.check()) this.waiters.push(w);
    }), what);
  }

  waitDiagnostics(uri, predicate, what, minVersion = 0) {
    return this.waitFor(() => {
      const p = this.diagnostics.get(uri);
      if (!p || (p.version ?? 0) < minVersion) return null;
      return predicate(p.diagnostics) ? p.diagnostics : null;
    }, what);
  }

  async initialize(rootUri) {
    const result = await this.request(lsp.InitializeRequest.type, {
      processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'test' }],
      capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } } },
      initializationOptions: { debounceMs: 50 },
    }, 'initialize');
    this.notify(lsp.InitializedNotification.type, {});
    return result;
  }

  open(uri, text) {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    this.diagnostics.delete(uri);
    this.notify(lsp.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'rubric', version: 1, text } });
    return 1;
  }

  // Applies LSP TextEdits to our copy and sends them as incremental changes
  // (last edit first, so earlier positions stay valid). Returns the new version.
  edit(uri, edits) {
    const sorted = [...edits].sort((a, b) => comparePos(b.range.start, a.range.start));
    let text = this.texts.get(uri);
    for (const e of sorted) text = applyEdit(text, e);
    this.texts.set(uri, text);
    const version = this.versions.get(uri) + 1;
    this.versions.set(uri, version);
    this.notify(lsp.DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })),
    });
    return version;
  }

  async shutdown() {
    await this.request(lsp.ShutdownRequest.type, undefined, 'shutdown');
    this.notify(lsp.ExitNotification.type);
    const code = await withTimeout(this.exited, 'the server to exit');
    this.connection.dispose();
    return code;
  }

  kill() { if (this.child.exitCode === null) this.child.kill(); }
}

function comparePos(a, b) { return a.line !== b.line ? a.line - b.line : a.character - b.character; }

// Offsets in JavaScript strings are UTF-16 code units, as LSP positions are.
export function offsetAt(text, pos) {
  let line = 0, i = 0;
  while (line < pos.line && i < text.length) { if (text[i] === '\n') line++; i++; }
  const end = text.indexOf('\n', i);
  return Math.min(i + pos.character, end === -1 ? text.length : end);
}

export function applyEdit(text, e) {
  return text.slice(0, offsetAt(text, e.range.start)) + e.newText + text.slice(offsetAt(text, e.range.end));
}

// The position of the `occurrence`-th match of `needle` (plus `delta` characters).
export function positionOf(text, needle, delta = 0, occurrence = 1) {
  let at = -1;
  for (let k = 0; k < occurrence; k++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`\`${needle}\` not found`);
  }
  at += delta;
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}

export { lsp, rpc };
