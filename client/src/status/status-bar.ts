import { StatusBarAlignment, ThemeColor, window, type Disposable } from 'vscode';
import { COMMANDS } from '../commands/ids';
import type { LanguageServer } from '../language-server';
import { presentStatus } from './status-presentation';

/** The status bar item: where plans come from (`shop@localhost`, `sandbox`, or why there is no database). */
export function statusBar(server: LanguageServer): Disposable {
  const item = window.createStatusBarItem('pglens.status', StatusBarAlignment.Left, 0);
  item.name = 'pglens';
  item.command = COMMANDS.statusActions;
  const render = () => {
    const view = presentStatus(server.state, server.status);
    item.text = view.text;
    item.tooltip = view.tooltip;
    item.backgroundColor = view.warning ? new ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  render();
  const listeners = [server.onDidChangeState(render), server.onDidChangeStatus(render)];
  return { dispose: () => [item, ...listeners].forEach((d) => d.dispose()) };
}
