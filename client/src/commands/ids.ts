/**
 * The commands the extension contributes (package.json `contributes.commands`). The server's own
 * commands live under `pglens.server.*` (server/src/protocol.ts), so the two never collide.
 */
export const COMMANDS = {
  connectDatabase: 'pglens.connectDatabase',
  disconnectDatabase: 'pglens.disconnectDatabase',
  explainQuery: 'pglens.explainQuery',
  explainAnalyzeQuery: 'pglens.explainAnalyzeQuery',
  showPlan: 'pglens.showPlan',
  suggestIndexes: 'pglens.suggestIndexes',
  restartServer: 'pglens.restartServer',
  showOutput: 'pglens.showOutput',
  /** The status bar item's click: a quick pick of the actions above. Hidden from the palette. */
  statusActions: 'pglens.statusActions',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
