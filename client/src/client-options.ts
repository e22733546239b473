import { workspace, type LogOutputChannel } from 'vscode';
import type { LanguageClientOptions } from 'vscode-languageclient/node';
import { SERVER_COMMANDS } from '../../server/src/protocol';
import { COMMANDS } from './commands/ids';
import { LANGUAGES } from './languages';

export interface ClientHooks {
  /** The database URL, read when the server starts (and on each restart) from SecretStorage. */
  databaseUrl(): string | undefined;
  /** Runs `pglens.server.explain` for a command link (`run`) and shows what it answers. */
  explainFromLink(args: readonly unknown[], run: () => Promise<unknown>): Promise<unknown>;
}


/** What the language client is told about pglens. */
export function clientOptions(channels: { output: LogOutputChannel; trace: LogOutputChannel }, hooks: ClientHooks): LanguageClientOptions {
  return {
    documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
    synchronize: { configurationSection: 'pglens' },
    outputChannel: channels.output,
    traceOutputChannel: channels.trace,
    // Settings ride along for servers that cannot pull them; the URL comes from SecretStorage only.
    initializationOptions: () => {
      const settings = workspace.getConfiguration().get<Record<string, unknown>>('pglens') ?? {};
      const url = hooks.databaseUrl();
      return url ? { ...settings, databaseUrl: url } : { ...settings };
    },
    // Hovers link to these two commands ("Run EXPLAIN ANALYZE", "Show Plan"); no other command runs from Markdown.
    markdown: { isTrusted: { enabledCommands: [SERVER_COMMANDS.explain, COMMANDS.showPlan] } },
    middleware: {
      executeCommand: (command, args, next) =>
        command === SERVER_COMMANDS.explain ? hooks.explainFromLink(args, async () => next(command, args)) : next(command, args),
    },
  };
}
