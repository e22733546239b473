import { workspace, type LogOutputChannel } from 'vscode';
import type { LanguageClientOptions } from 'vscode-languageclient/node';
import { LANGUAGES } from './languages';


/**
 * What the language client is told about pglens. `databaseUrl` is read when the server starts (and on
 * each restart), so a URL saved while the server was down still reaches it.
 */
export function clientOptions(channels: { output: LogOutputChannel; trace: LogOutputChannel }, databaseUrl: () => string | undefined): LanguageClientOptions {
  return {
    documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
    synchronize: { configurationSection: 'pglens' },
    outputChannel: channels.output,
    traceOutputChannel: channels.trace,
    // Settings ride along for servers that cannot pull them; the URL comes from SecretStorage only.
    initializationOptions: () => {
      const settings = workspace.getConfiguration().get<Record<string, unknown>>('pglens') ?? {};
      const url = databaseUrl();
      return url ? { ...settings, databaseUrl: url } : { ...settings };
    },
  };
}
