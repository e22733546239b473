import { Worker } from 'node:worker_threads';
import { LockedSandbox } from './locked-sandbox';
import { SandboxStartError, type Sandbox, type SandboxFacts, type SandboxOptions, type SandboxQueryResult } from './sandbox-types';
import { reviveError, type FromWorker, type ToWorker } from './worker-protocol';

/**
 * Runs the sandbox in a worker thread (the bundled `sandbox-worker.js`). PGlite's WASM runs
 * synchronously, seconds at a time while it boots and loads data; in a worker that never stalls the
 * language server's event loop, and if PostgreSQL aborts (out of WASM memory, say) only the worker dies:
 * queries then fail with a message, the caller's process carries on.
 */
export function startSandboxInWorker(root: string, options: SandboxOptions, script: string): Promise<Sandbox> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(script);
    } catch (error) {
      reject(new SandboxStartError(`Could not start the sandbox worker (${error instanceof Error ? error.message : String(error)}); reinstall the extension, or connect a development database instead.`));
      return;
    }
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(new SandboxStartError(message));
    };
    // The last phase reported: while it is 'starting', a worker that dies is PGlite failing to boot
    // (its .wasm or .data missing or corrupt), not a fault in the middle of the build.
    let phase: string | undefined;
    const onMessage = (message: FromWorker) => {
      if (message.kind === 'progress') {
        phase = message.event.phase;
        options.onProgress?.(message.event);
      } else if (message.kind === 'failed') fail(message.message);
      else if (message.kind === 'ready' && !settled) {
        settled = true;
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(new WorkerSandbox(worker, message.facts));
      }
    };
    const onError = (error: Error) =>
      fail(
        phase === 'starting'
          ? `Could not start the embedded database (PGlite): ${error.message}. Reinstall the extension, or connect a development database instead.`
          : `The embedded database stopped while building the sandbox (${error.message}); connect a development database instead.`,
      );
    const onExit = (code: number) => fail(`The embedded database exited while building the sandbox (exit code ${code}); connect a development database instead.`);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const start: ToWorker = { kind: 'start', root, rows: options.rows };
    worker.postMessage(start);
  });
}

interface Pending {
  resolve: (result: SandboxQueryResult<unknown>) => void;
  reject: (error: Error) => void;
}

/** How long close() waits for the worker to shut PGlite down before it is terminated. */
const CLOSE_TIMEOUT_MS = 5000;

class WorkerSandbox extends LockedSandbox {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopped: string | undefined;
  private closed: (() => void) | undefined;

  constructor(private readonly worker: Worker, facts: SandboxFacts) {
    super(facts);
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error) => this.stop(`The embedded database stopped unexpectedly (${error.message}); restart the sandbox or connect a development database.`));
    worker.on('exit', (code) => this.stop(`The embedded database exited (exit code ${code}); restart the sandbox or connect a development database.`));
  }

  protected override unavailable(): string | undefined {
    return this.stopped ?? super.unavailable();
  }

  protected run<R>(text: string, values?: unknown[]): Promise<SandboxQueryResult<R>> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolve as (result: SandboxQueryResult<unknown>) => void, reject });
      try {
        const message: ToWorker = { kind: 'query', id, text, values };
        this.worker.postMessage(message);
      } catch (error) {
        this.pending.delete(id);
        reject(new Error(`Could not send the query to the sandbox (${error instanceof Error ? error.message : String(error)}); pass plain values as parameters.`));
      }
    });
  }

  protected async shutdown(): Promise<void> {
    if (this.stopped) return;
    const done = new Promise<void>((resolve) => (this.closed = resolve));
    const close: ToWorker = { kind: 'close' };
    this.worker.postMessage(close);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
    await Promise.race([done, timeout]);
    this.stop('The sandbox database is closed; start it again to run queries.');
    await this.worker.terminate();
  }

  private receive(message: FromWorker): void {
    if (message.kind === 'closed') this.closed?.();
    if (message.kind !== 'result' && message.kind !== 'error') return;
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.kind === 'result') waiting.resolve(message.result);
    else waiting.reject(reviveError(message.error));
  }

  private stop(reason: string): void {
    this.stopped ??= reason;
    for (const waiting of this.pending.values()) waiting.reject(new Error(reason));
    this.pending.clear();
    this.closed?.();
  }
}
