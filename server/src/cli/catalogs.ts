import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { EMPTY_CATALOG, type Catalog } from '../schema/catalog';
import { loadWorkspaceCatalog } from '../workspace/schema';

/**
 * The schema each checked path is read against: a folder's own DDL, or for a single file the
 * workspace root's (the file's folder when it lies outside the workspace). Each root is read once.
 */
export class CatalogsByRoot {
  private readonly loaded = new Map<string, Promise<Catalog>>();

  constructor(
    private readonly workspaceRoot: string,
    private readonly onProblem: (root: string, message: string) => void,
  ) {}

  forPath(path: string, isFolder: boolean): Promise<Catalog> {
    return this.forRoot(isFolder ? path : this.rootOfFile(path));
  }

  private rootOfFile(file: string): string {
    const inside = relative(resolve(this.workspaceRoot), resolve(file));
    return inside && !inside.startsWith('..') && !isAbsolute(inside) ? this.workspaceRoot : dirname(file);
  }

  private forRoot(root: string): Promise<Catalog> {
    const key = resolve(root);
    let catalog = this.loaded.get(key);
    if (!catalog) {
      catalog = loadWorkspaceCatalog(root).catch((error: unknown) => {
        this.onProblem(root, error instanceof Error ? error.message : String(error));
        return EMPTY_CATALOG;
      });
      this.loaded.set(key, catalog);
    }
    return catalog;
  }
}
