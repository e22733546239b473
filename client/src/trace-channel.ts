import { EventEmitter, LogLevel, workspace, type Disposable, type LogOutputChannel, type ViewColumn } from 'vscode';
import { redact } from '../../server/src/db/redact';

export const TRACE_SETTING = 'pglens.trace.server';

/**
 * The language client logs the protocol through `trace()` of its trace channel, and only while that
 * channel's log level is Trace. This view of the "pglens" output channel makes `pglens.trace.server`
 * alone decide: when it is `messages` or `verbose` the channel reports level Trace and writes the
 * protocol lines at Info, so they show without changing the channel's log level by hand.
 */
export class ProtocolTraceChannel implements LogOutputChannel {
  private readonly levelChanged = new EventEmitter<LogLevel>();
  private readonly listener: Disposable;
  readonly onDidChangeLogLevel = this.levelChanged.event;

  constructor(private readonly channel: LogOutputChannel) {
    this.listener = workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(TRACE_SETTING)) this.levelChanged.fire(this.logLevel);
    });
  }

  get name(): string {
    return this.channel.name;
  }

  get logLevel(): LogLevel {
    return tracing() ? LogLevel.Trace : this.channel.logLevel;
  }

  trace(message: string, ...args: unknown[]): void {
    // A verbose trace prints `initialize` and `setDatabaseUrl` with the database URL: never its password.
    if (tracing()) this.channel.info(redact(message), ...args.map((arg) => (typeof arg === 'string' ? redact(arg) : arg)));
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(message, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.channel.info(message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(message, ...args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.channel.error(error, ...args);
  }
  append(value: string): void {
    this.channel.append(value);
  }
  appendLine(value: string): void {
    this.channel.appendLine(value);
  }
  replace(value: string): void {
    this.channel.replace(value);
  }
  clear(): void {
    this.channel.clear();
  }
  show(preserveFocus?: boolean): void;
  show(column?: ViewColumn, preserveFocus?: boolean): void;
  show(first?: boolean | ViewColumn, preserveFocus?: boolean): void {
    this.channel.show(typeof first === 'boolean' ? first : preserveFocus);
  }
  hide(): void {
    this.channel.hide();
  }
  /** The client disposes its trace channel on stop; the real channel outlives restarts. */
  dispose(): void {}

  /** Ends the configuration listener; the extension calls this on deactivate. */
  close(): void {
    this.listener.dispose();
    this.levelChanged.dispose();
  }
}

function tracing(): boolean {
  return (workspace.getConfiguration().get<string>(TRACE_SETTING) ?? 'off') !== 'off';
}
