import type { Disposable, SecretStorage } from 'vscode';

/**
 * The database URL lives in VS Code's SecretStorage (the OS keychain where there is one), never in
 * settings.json: it usually holds a password. One URL per machine and user, shared by all workspaces.
 */
const KEY = 'pglens.databaseUrl';

export class DatabaseSecret {
  private cached: string | undefined;

  constructor(private readonly secrets: SecretStorage) {}

  /** The URL as last read or written; call `load` first. */
  get current(): string | undefined {
    return this.cached;
  }

  async load(): Promise<string | undefined> {
    this.cached = (await this.secrets.get(KEY)) || undefined;
    return this.cached;
  }

  async store(url: string): Promise<void> {
    this.cached = url; // first: the change event this store fires must find nothing new
    await this.secrets.store(KEY, url);
  }

  async clear(): Promise<void> {
    this.cached = undefined;
    await this.secrets.delete(KEY);
  }

  /** Another window stored or cleared the URL: reload it, then tell `listener`. */
  onDidChange(listener: (url: string | undefined) => void): Disposable {
    return this.secrets.onDidChange(async (event) => {
      if (event.key !== KEY) return;
      const before = this.cached;
      if ((await this.load()) !== before) listener(this.cached);
    });
  }
}
