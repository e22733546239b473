import { createHash } from 'node:crypto';
import type { Node } from 'libpg-query';

/** A bounded map that forgets the least recently used entry first. */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Whether `key` is held, without counting as a use. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The statement's identity for caching plans: its AST without source locations, so white space,
 * comments and keyword case do not matter but constants do (libpg-query's normalize/fingerprint drop
 * constants, and `status = 'done'` can plan differently from `'new'`). Memoised by the statement's
 * text; all but short keys are hashed, to bound the cache's memory and because every plan-cache lookup
 * hashes its whole key string (a statement's AST runs to kilobytes).
 */
const keysByText = new LruCache<string>(2_000);
const LOCATION = /"(?:stmt_)?location":\d+,?/g;

/** The key statementKey gave `text` before, if it is still remembered. */
export function knownStatementKey(text: string): string | undefined {
  return keysByText.get(text);
}

export function statementKey(text: string, stmt: Node): string {
  const known = keysByText.get(text);
  if (known !== undefined) return known;
  const json = JSON.stringify(stmt).replace(LOCATION, '');
  const key = json.length > 64 ? createHash('sha1').update(json).digest('base64url') : json;
  keysByText.set(text, key);
  return key;
}
