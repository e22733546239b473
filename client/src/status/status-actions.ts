import { commands, window, type QuickPickItem } from 'vscode';
import { COMMANDS, type CommandId } from '../commands/ids';
import type { DatabaseSecret } from '../database-secret';
import type { LanguageServer } from '../language-server';
import { presentStatus } from './status-presentation';

interface Action extends QuickPickItem {
  command: CommandId;
}

/** The status bar item's click: the actions that make sense right now, in a quick pick. */
export async function showStatusActions(server: LanguageServer, secret: DatabaseSecret): Promise<void> {
  const actions: Action[] = [
    { label: '$(plug) Connect to Database…', detail: 'Save a postgres:// URL (kept in VS Code’s secret storage) and plan queries on it.', command: COMMANDS.connectDatabase },
  ];
  if (secret.current) actions.push({ label: '$(debug-disconnect) Disconnect', detail: 'Forget the saved URL.', command: COMMANDS.disconnectDatabase });
  actions.push(
    { label: '$(output) Show Output', detail: 'The pglens log: connections, errors, the protocol when traced.', command: COMMANDS.showOutput },
    { label: '$(debug-restart) Restart Server', detail: 'Start the pglens language server again.', command: COMMANDS.restartServer },
  );
  const picked = await window.showQuickPick(actions, { title: presentStatus(server.state, server.status).tooltip.split('\n')[0], placeHolder: 'Choose a pglens action' });
  if (picked) await commands.executeCommand(picked.command);
}
