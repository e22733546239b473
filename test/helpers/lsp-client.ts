import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * A small LSP client for protocol tests: spawns the built server over stdio and speaks JSON-RPC with
 * Content-Length framing. Requests resolve with their result (or reject with the server's error);
 * notifications are kept in order and can be awaited; requests from the server are answered by
 * handlers (`onRequest`), with null by default.
 */
export interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export interface Notification {
  method: string;
  params: unknown;
}

export interface PublishDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  data?: unknown;
}

type Waiter = { match: (notification: Notification) => boolean; resolve: (notification: Notification) => void };

export class LspClient {
  readonly notifications: Notification[] = [];
  /** Requests the server sent to the client, in order. */
  readonly serverRequests: Notification[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;

  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly waiters: Waiter[] = [];
  private readonly handlers = new Map<string, (params: unknown) => unknown>();
  private exitCode: number | null | undefined;

  constructor(serverPath: string, args: string[] = ['--stdio']) {
    this.child = spawn(process.execPath, [serverPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code) => {
        this.exitCode = code;
        for (const { reject } of this.pending.values()) reject(new Error(`server exited with code ${code}`));
        this.pending.clear();
        resolve(code);
      }),
    );
  }

  /** The server's process id (its memory can be read from /proc). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitCode === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  onRequest(method: string, handler: (params: unknown) => unknown): void {
    this.handlers.set(method, handler);
  }

  request<R = unknown>(method: string, params: unknown, timeoutMs = 20_000): Promise<R> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as R);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The first notification (already received or still to come) that matches. */
  waitFor(method: string, match: (params: unknown) => boolean = () => true, timeoutMs = 20_000): Promise<unknown> {
    const test = (notification: Notification) => notification.method === method && match(notification.params);
    const seen = this.notifications.find(test);
    if (seen) return Promise.resolve(seen.params);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match: test,
        resolve: (notification) => {
          clearTimeout(timer);
          resolve(notification.params);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no ${method} matching the expectation within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The diagnostics published for `uri` at `version`. */
  async diagnostics(uri: string, version: number, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const params = (await this.waitFor(
      'textDocument/publishDiagnostics',
      (p) => (p as PublishDiagnostics).uri === uri && (p as PublishDiagnostics).version === version,
      timeoutMs,
    )) as PublishDiagnostics;
    return params.diagnostics;
  }

  /** Every diagnostics notification for `uri`, in arrival order. */
  published(uri: string): PublishDiagnostics[] {
    return this.notifications
      .filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as PublishDiagnostics).uri === uri)
      .map((n) => n.params as PublishDiagnostics);
  }

  /** initialize + initialized, with a client that supports what VS Code supports unless overridden. */
  async initialize(params: Record<string, unknown> = {}): Promise<{ capabilities: Record<string, unknown>; serverInfo?: { name: string } }> {
    const result = await this.request<{ capabilities: Record<string, unknown>; serverInfo?: { name: string } }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
        textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } },
      },
      ...params,
    });
    this.notify('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1, languageId = 'sql'): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, text: string, version: number): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  close(uri: string): void {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** shutdown + exit; resolves with the exit code. */
  async shutdown(): Promise<number | null> {
    if (!this.alive) return this.exitCode ?? null;
    await this.request('shutdown', null);
    this.notify('exit', null);
    return this.exited;
  }

  kill(): void {
    if (this.alive) this.child.kill();
  }

  private send(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length: *(\d+)/i.exec(header)?.[1]);
      if (!Number.isFinite(length)) throw new Error(`bad header from server: ${header}`);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method !== undefined && message.id !== undefined) {
      this.serverRequests.push({ method: message.method, params: message.params });
      const handler = this.handlers.get(message.method);
      Promise.resolve(handler ? handler(message.params) : null).then(
        (result) => this.send({ jsonrpc: '2.0', id: message.id, result: result ?? null }),
        (error: unknown) => this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: String(error) } }),
      );
      return;
    }
    if (message.method !== undefined) {
      const notification = { method: message.method, params: message.params };
      this.notifications.push(notification);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(notification)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(notification);
        }
      }
      return;
    }
    const pending = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (!pending) return;
    this.pending.delete(message.id as number);
    if (message.error) pending.reject(new Error(`${message.error.code}: ${message.error.message}`));
    else pending.resolve(message.result);
  }
}

/** Applies LSP text edits to a text (edits must not overlap), as an editor would. */
export function applyEdits(text: string, edits: { range: Diagnostic['range']; newText: string }[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) =>
    Math.min(text.length, (lineStarts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}
