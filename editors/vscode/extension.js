// The Rubric extension's language client: starts `rubric lsp` for .rubric
// files (the binary named by the `rubric.server.path` setting) and passes the
// `rubric.includePaths` setting as extra import roots. Highlighting comes from
// the TextMate grammar; everything else (diagnostics, hover, definition,
// completion, formatting, code actions) from the server. See docs/editor.md.
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration('rubric');
  const command = config.get('server.path') || 'rubric';
  const args = ['lsp'];
  for (const dir of config.get('includePaths') || []) args.push('-I', dir);
  return { command, args, transport: TransportKind.stdio };
}

async function start() {
  const config = vscode.workspace.getConfiguration('rubric');
  client = new LanguageClient('rubric', 'Rubric', serverOptions(), {
    documentSelector: [{ scheme: 'file', language: 'rubric' }, { scheme: 'untitled', language: 'rubric' }],
    // Imports that change, appear or disappear on disk make the server re-check open files.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.rubric') },
    initializationOptions: { debounceMs: config.get('debounceMs') },
  });
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('rubric.restartServer', async () => {
    if (client) await client.stop();
    await start();
  }));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (e) => {
    if (e.affectsConfiguration('rubric')) await vscode.commands.executeCommand('rubric.restartServer');
  }));
  try {
    await start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `Rubric: could not start \`${serverOptions().command} lsp\` (${err.message}). ` +
      'Set "rubric.server.path" to the rubric binary, e.g. build/rubric in the Rubric checkout.');
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
