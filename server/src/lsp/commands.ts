import type { CancellationToken } from 'vscode-languageserver/node';

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
    if (!handler) throw new Error(`pglens: unknown command ${id}`);
    return handler(args, token);
  }
}
