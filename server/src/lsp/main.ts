import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { installProcessGuards } from './guard';
import { connectionLogger } from './log';
import { createServer } from './server';

/**
 * The pglens language server. An editor starts it with `--stdio` or `--node-ipc`
 * (`pglens-language-server --stdio`); createConnection reads the transport from the arguments.
 */
let connection: Connection;
try {
  connection = createConnection(ProposedFeatures.all);
} catch {
  process.stderr.write('pglens-language-server: pass --stdio or --node-ipc to choose how the editor talks to it.\n');
  process.exit(1);
}
installProcessGuards(connectionLogger(connection));
createServer(connection);
connection.listen();
