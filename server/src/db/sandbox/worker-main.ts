import { parentPort, type MessagePort } from 'node:worker_threads';
import { startSandboxInThread } from './in-thread';
import type { Sandbox } from './sandbox-types';
import { serializeError, type FromWorker, type ToWorker } from './worker-protocol';

/**
 * Entry point of the sandbox worker thread (bundled as `sandbox-worker.js`): builds the sandbox with
 * PGlite here, where its long synchronous WASM calls stall no one, and answers queries one at a time.
 */
if (parentPort) serve(parentPort);

function serve(port: MessagePort): void {
  let sandbox: Sandbox | undefined;
  const send = (message: FromWorker) => port.postMessage(message);

  port.on('message', (message: ToWorker) => {
    void handle(message).catch((error: unknown) => send({ kind: 'failed', message: serializeError(error).message }));
  });

  async function handle(message: ToWorker): Promise<void> {
    switch (message.kind) {
      case 'start': {
        try {
          sandbox = await startSandboxInThread(message.root, { rows: message.rows, worker: false, onProgress: (event) => send({ kind: 'progress', event }) });
        } catch (error) {
          send({ kind: 'failed', message: serializeError(error).message });
          return;
        }
        const { serverVersion, majorVersion, description, migrations, applied, problems, tables, syntheticRows, timings } = sandbox;
        send({ kind: 'ready', facts: { serverVersion, majorVersion, description, migrations, applied, problems, tables, syntheticRows, timings } });
        return;
      }
      case 'query': {
        try {
          if (!sandbox) throw new Error('The sandbox is not ready yet.');
          const result = await sandbox.query(message.text, message.values);
          send({ kind: 'result', id: message.id, result });
        } catch (error) {
          send({ kind: 'error', id: message.id, error: serializeError(error) });
        }
        return;
      }
      case 'close':
        await sandbox?.close();
        send({ kind: 'closed' });
        port.close();
        return;
    }
  }
}
