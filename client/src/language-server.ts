import { EventEmitter, type ExtensionContext, type LogOutputChannel } from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  State,
  TransportKind,
  type CancellationToken,
  type ServerOptions,
} from 'vscode-languageclient/node';
import * as path from 'node:path';
import { STATUS_NOTIFICATION, type DatabaseStatus } from '../../server/src/protocol';
import { clientOptions, type ClientHooks } from './client-options';
import { UnsupportedByServer } from './server-errors';
import type { ServerState } from './status/status-presentation';

/** How long a stopping server may take to answer shutdown before the client kills it. */
const STOP_TIMEOUT_MS = 5_000;

/**
 * The bundled pglens language server (dist/server.js) over Node IPC, and the custom protocol on top of
 * it: database status in, server commands and plan requests out.
 */
export class LanguageServer {
  private readonly client: LanguageClient;
  private readonly stateChanged = new EventEmitter<ServerState>();
  private readonly statusChanged = new EventEmitter<DatabaseStatus | undefined>();
  private lastStatus: DatabaseStatus | undefined;
  readonly onDidChangeState = this.stateChanged.event;
  readonly onDidChangeStatus = this.statusChanged.event;

  constructor(context: ExtensionContext, channels: { output: LogOutputChannel; trace: LogOutputChannel }, hooks: ClientHooks) {
    const module = context.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    this.client = new LanguageClient('pglens', 'pglens', serverOptions, clientOptions(channels, hooks));
    this.client.onDidChangeState(({ newState }) => {
      if (newState !== State.Running) this.setStatus(undefined);
      this.stateChanged.fire(this.state);
    });
    // Registered once: the client keeps notification handlers across restarts.
    this.client.onNotification(STATUS_NOTIFICATION, (status: DatabaseStatus) => this.setStatus(status));
  }

  get state(): ServerState {
    switch (this.client.state) {
      case State.Running:
        return 'running';
      case State.Starting:
        return 'starting';
      default:
        return 'stopped';
    }
  }

  /** The last `pglens/status` the server sent since it (re)started. */
  get status(): DatabaseStatus | undefined {
    return this.lastStatus;
  }

  get outputChannel(): LogOutputChannel {
    return this.client.outputChannel;
  }

  start(): Promise<void> {
    return this.client.start();
  }

  /**
   * Stops and starts the server. A server too busy to answer shutdown in time (building the sandbox,
   * say) is killed by the client a moment later; the new one starts regardless.
   */
  async restart(): Promise<void> {
    try {
      await this.stop();
    } catch (error) {
      this.client.warn('pglens: the language server did not stop in time; it is being killed', error instanceof Error ? error.message : String(error));
    }
    await this.client.start();
  }

  stop(): Promise<void> {
    return this.client.needsStop() ? this.client.stop(STOP_TIMEOUT_MS) : Promise.resolve();
  }

  /** Whether the running server advertised `command` in its initialize result. */
  supports(command: string): boolean {
    return this.client.initializeResult?.capabilities.executeCommandProvider?.commands.includes(command) === true;
  }

  /** `workspace/executeCommand`; throws UnsupportedByServer when the server does not offer `command`. */
  async executeCommand<R>(command: string, args: unknown[], token?: CancellationToken): Promise<R> {
    if (this.state !== 'running') throw new Error('the client is not running');
    if (!this.supports(command)) throw new UnsupportedByServer(command);
    const params = { command, arguments: args };
    return (await (token ? this.client.sendRequest(ExecuteCommandRequest.type, params, token) : this.client.sendRequest(ExecuteCommandRequest.type, params))) as R;
  }

  /** A custom request such as `pglens/plan`. */
  request<R>(method: string, params: unknown, token?: CancellationToken): Promise<R> {
    if (this.state !== 'running') return Promise.reject(new Error('the client is not running'));
    // An explicit undefined token would travel as a second positional parameter.
    return token ? this.client.sendRequest<R>(method, params, token) : this.client.sendRequest<R>(method, params);
  }

  private setStatus(status: DatabaseStatus | undefined): void {
    this.lastStatus = status;
    this.statusChanged.fire(status);
  }
}
