import { commands, window, workspace, type Disposable, type ExtensionContext } from 'vscode';
import { connectDatabase, disconnectDatabase, sendDatabaseUrl } from './commands/database';
import { explainFromLink, explainQuery } from './commands/explain';
import { COMMANDS, type CommandId } from './commands/ids';
import { showPlan } from './commands/show-plan';
import { suggestIndexes } from './commands/suggest-indexes';
import { DatabaseSecret } from './database-secret';
import { EXPLAIN_SCHEME, ExplainDocuments } from './explain/explain-documents';
import { LanguageServer } from './language-server';
import { describeServerError } from './server-errors';
import { showStatusActions } from './status/status-actions';
import { statusBar } from './status/status-bar';
import { ProtocolTraceChannel } from './trace-channel';

/**
 * The VS Code side of pglens: starts the bundled language server, shows where plans come from in the
 * status bar, and offers the commands. All analysis happens in the server.
 */
let server: LanguageServer | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel('pglens', { log: true });
  const trace = new ProtocolTraceChannel(output);
  const secret = new DatabaseSecret(context.secrets);
  await secret.load();
  const explainDocuments = new ExplainDocuments();
  server = new LanguageServer(context, { output, trace }, {
    databaseUrl: () => secret.current,
    explainFromLink: (args, run) => explainFromLink(explainDocuments, args, run),
  });
  const running = server;

  const register = (id: CommandId, run: (...args: unknown[]) => unknown): Disposable => commands.registerCommand(id, run);
  context.subscriptions.push(
    output,
    { dispose: () => trace.close() },
    explainDocuments,
    workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, explainDocuments),
    statusBar(running),
    secret.onDidChange((url) => void sendDatabaseUrl(running, url ?? null)),
    register(COMMANDS.connectDatabase, () => connectDatabase(running, secret)),
    register(COMMANDS.disconnectDatabase, () => disconnectDatabase(running, secret)),
    register(COMMANDS.explainQuery, () => explainQuery(running, explainDocuments, false)),
    register(COMMANDS.explainAnalyzeQuery, () => explainQuery(running, explainDocuments, true)),
    register(COMMANDS.showPlan, (...args) => showPlan(running, args)),
    register(COMMANDS.suggestIndexes, () => suggestIndexes(running)),
    register(COMMANDS.restartServer, () => restart(running)),
    register(COMMANDS.showOutput, () => output.show(true)),
    register(COMMANDS.statusActions, () => showStatusActions(running, secret)),
  );

  try {
    await running.start();
  } catch (error) {
    // The status bar says "stopped" and offers a restart; the output channel has the details.
    output.error('pglens: the language server did not start', error instanceof Error ? error : String(error));
  }
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}

async function restart(target: LanguageServer): Promise<void> {
  target.outputChannel.info('pglens: restarting the language server');
  try {
    await target.restart();
    void window.setStatusBarMessage('pglens: language server restarted', 3000);
  } catch (error) {
    const message = describeServerError(error, 'restart');
    if (message) void window.showErrorMessage(message);
  }
}
