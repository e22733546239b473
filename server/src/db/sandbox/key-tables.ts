import { quoteIdent, type SqlExecutor } from './executor';

/** Parent keys numbered 1..n in a temporary table, so a child row picks one with `_rn = <random 1..n>`. */
export class KeyTables {
  private readonly made = new Map<string, { name: string; count: number }>();
  private readonly all: string[] = [];

  constructor(private readonly db: SqlExecutor) {}

  /** `parentName` is the quoted, qualified table name. */
  async get(parentName: string, columns: string[]): Promise<{ name: string; count: number }> {
    const cacheKey = `${parentName}(${columns.join(',')})`;
    const known = this.made.get(cacheKey);
    if (known) return known;
    const name = `pglens_keys_${this.all.length + 1}`;
    const list = columns.map(quoteIdent).join(', ');
    const notNull = columns.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ');
    await this.db.exec(`CREATE TEMP TABLE ${name} AS SELECT row_number() OVER () AS _rn, ${list} FROM ${parentName} WHERE ${notNull}`);
    await this.db.exec(`ANALYZE ${name}`);
    this.all.push(name);
    const count = Number((await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`)).rows[0]?.n ?? 0);
    const made = { name, count };
    this.made.set(cacheKey, made);
    return made;
  }

  forget(): void {
    this.made.clear();
  }

  async dropAll(): Promise<void> {
    for (const name of this.all) await this.db.exec(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
    this.all.length = 0;
    this.made.clear();
  }
}

/** `public.users` (a table id) → `"public"."users"`. */
export function qualified(id: string): string {
  const dot = id.indexOf('.');
  return `${quoteIdent(id.slice(0, dot))}.${quoteIdent(id.slice(dot + 1))}`;
}
