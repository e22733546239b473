import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';

export type CommandHandler = (args: readonly unknown[], token: CancellationToken) => unknown;

/**
 * Commands the server executes for `workspace/executeCommand`. The ids are advertised in the
 * initialize result, so every command must be registered before the server answers initialize.
 */
export class CommandRegistry {
  private readonly handlers = new Map<string, CommandHandler>();

  register(id: string, handler: CommandHandler): void {
    if (this.handlers.has(id)) throw new Error(`pglens: command ${id} is registered twice`);
    this.handlers.set(id, handler);
  }

  ids(): string[] {
    return [...this.handlers.keys()];
  }

  async execute(id: string, args: readonly unknown[], token: CancellationToken): Promise<unknown> {
    const handler = this.handlers.get(id);
    // An error the client sees (it tells the user this server cannot do that yet), not a failure to log.
    if (!handler) throw new ResponseError(ErrorCodes.InvalidParams, `pglens: unknown command ${id}`);
    return handler(args, token);
  }
}
