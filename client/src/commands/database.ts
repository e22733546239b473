import { window } from 'vscode';
import { SERVER_COMMANDS } from '../../../server/src/protocol';
import { databaseUrlProblem, describeDatabaseUrl } from '../database-url';
import type { DatabaseSecret } from '../database-secret';
import type { LanguageServer } from '../language-server';
import { describeServerError } from '../server-errors';

/** "Connect to Database…": asks for a URL, keeps it in SecretStorage, hands it to the server. */
export async function connectDatabase(server: LanguageServer, secret: DatabaseSecret): Promise<void> {
  const input = await window.showInputBox({
    title: 'pglens: Connect to Database',
    prompt: 'PostgreSQL URL of a development database. It is kept in VS Code’s secret storage, never in settings.json.',
    placeHolder: 'postgres://user:password@localhost:5432/shop',
    ignoreFocusOut: true,
    validateInput: (text) => databaseUrlProblem(text),
  });
  if (input === undefined) return;
  const url = input.trim();
  await secret.store(url);
  await sendDatabaseUrl(server, url);
  void window.showInformationMessage(`pglens: connecting to ${describeDatabaseUrl(url)}; the status bar shows how it goes.`);
}

/** "Disconnect": forgets the saved URL; the server falls back to .env, the environment or the sandbox. */
export async function disconnectDatabase(server: LanguageServer, secret: DatabaseSecret): Promise<void> {
  if (!secret.current) {
    void window.showInformationMessage('pglens: no database URL is saved.');
    return;
  }
  await secret.clear();
  await sendDatabaseUrl(server, null);
  void window.showInformationMessage('pglens: the saved database URL is forgotten.');
}

/**
 * Tells the server about a new URL. A server without `setDatabaseUrl` reads the URL only when it
 * starts, so it is restarted instead.
 */
export async function sendDatabaseUrl(server: LanguageServer, url: string | null): Promise<void> {
  try {
    if (server.state === 'running' && server.supports(SERVER_COMMANDS.setDatabaseUrl)) {
      await server.executeCommand(SERVER_COMMANDS.setDatabaseUrl, [url]);
    } else {
      await server.restart();
    }
  } catch (error) {
    const message = describeServerError(error, 'switch databases');
    if (message) void window.showErrorMessage(message);
  }
}
