import { EMPTY_CATALOG, type Catalog, type TableInfo } from '../schema/catalog';
import { loadWorkspaceCatalog } from '../workspace/schema';
import type { Logger } from './log';

export interface WorkspaceSchemaOptions {
  /** Workspace folders (file system paths). */
  roots: readonly string[];
  /** Texts of .sql files open in the editor (path → text); they win over the disk. */
  openSqlTexts(): ReadonlyMap<string, string>;
  /** Called after each reload, to re-analyse what depends on the schema. */
  onReloaded(): void;
  log: Logger;
}

/**
 * The schema the workspace's .sql files declare, for rules that need to know tables and indexes.
 * Reloads are debounced and never overlap: a request during a load runs one more load afterwards.
 */
export class WorkspaceSchema {
  private current: Catalog = EMPTY_CATALOG;
  private loading: Promise<void> | undefined;
  private again = false;
  private notify = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly initial: Promise<void>;

  constructor(private readonly options: WorkspaceSchemaOptions) {
    // Analyses wait for the first load (`ready`), so it needs no re-analysis afterwards.
    this.initial = this.reload(false);
  }

  get catalog(): Catalog {
    return this.current;
  }

  /** Resolves once the first load has finished (successfully or not). */
  get ready(): Promise<void> {
    return this.initial;
  }

  scheduleReload(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), delayMs);
  }

  reload(notify = true): Promise<void> {
    this.notify ||= notify;
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        this.current = await this.loadAll();
      } while (this.again);
    })().finally(() => {
      this.loading = undefined;
      if (this.notify) this.notifyReloaded();
      this.notify = false;
    });
    return this.loading;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private async loadAll(): Promise<Catalog> {
    const open = this.options.openSqlTexts();
    const catalogs = await Promise.all(
      this.options.roots.map((root) =>
        loadWorkspaceCatalog(root, open).catch((error: unknown) => {
          this.options.log.error(`pglens: reading the schema under ${root} failed; continuing without it`, error);
          return EMPTY_CATALOG;
        }),
      ),
    );
    return combineCatalogs(catalogs);
  }

  private notifyReloaded(): void {
    try {
      this.options.onReloaded();
    } catch (error) {
      this.options.log.error('pglens: re-analysing after a schema reload failed', error);
    }
  }
}

/** One catalog over several workspace folders: a lookup takes the first folder that declares the table. */
export function combineCatalogs(catalogs: readonly Catalog[]): Catalog {
  const useful = catalogs.filter((catalog) => catalog !== EMPTY_CATALOG);
  if (useful.length <= 1) return useful[0] ?? EMPTY_CATALOG;
  return {
    source: useful.some((catalog) => catalog.source === 'database') ? 'database' : 'workspace',
    lookup: (name, schema) => {
      for (const catalog of useful) {
        const table = catalog.lookup(name, schema);
        if (table) return table;
      }
      return undefined;
    },
    *tables(): Iterable<TableInfo> {
      for (const catalog of useful) yield* catalog.tables();
    },
  };
}
