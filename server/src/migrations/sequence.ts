/**
 * The prefix a new migration file gets, continuing the scheme of the files already there: a sequence
 * number padded to the same width (`004` → `005`), or a timestamp in the same form (14-digit
 * `YYYYMMDDHHMMSS`, 12-digit `YYYYMMDDHHMM`, 17-digit with milliseconds, 13-digit epoch milliseconds,
 * 10-digit epoch seconds). A timestamp never sorts before an existing file, even with a slow clock.
 */
export type PrefixScheme =
  | { kind: 'sequence'; width: number; last: bigint }
  | { kind: 'datetime'; width: 12 | 14 | 17; last: bigint }
  | { kind: 'epoch'; width: 10 | 13; last: bigint };

/** The numeric prefix of each name (`0042_add.sql` → `0042`), for names that start with digits. */
export function numericPrefixes(names: readonly string[], pattern = /^(\d+)/): string[] {
  return names.map((name) => pattern.exec(name)?.[1]).filter((prefix): prefix is string => prefix !== undefined);
}

/** The scheme the prefixes follow; `fallback` when there are none. */
export function prefixScheme(prefixes: readonly string[], fallback: PrefixScheme['kind'] = 'datetime'): PrefixScheme {
  if (prefixes.length === 0) return fallback === 'sequence' ? { kind: 'sequence', width: 4, last: 0n } : fallback === 'epoch' ? { kind: 'epoch', width: 13, last: 0n } : { kind: 'datetime', width: 14, last: 0n };
  const width = Math.max(...prefixes.map((p) => p.length));
  const last = prefixes.reduce((max, p) => (BigInt(p) > max ? BigInt(p) : max), 0n);
  const widest = prefixes.filter((p) => p.length === width);
  if ((width === 12 || width === 14 || width === 17) && widest.every(isDateTime)) return { kind: 'datetime', width, last };
  if ((width === 10 || width === 13) && widest.every((p) => p.startsWith('1'))) return { kind: 'epoch', width, last };
  return { kind: 'sequence', width, last };
}

/** The next prefix in `scheme` at time `now`. */
export function nextPrefix(scheme: PrefixScheme, now: Date): string {
  if (scheme.kind === 'sequence') return String(scheme.last + 1n).padStart(scheme.width, '0');
  const stamp = scheme.kind === 'epoch' ? BigInt(scheme.width === 13 ? now.getTime() : Math.floor(now.getTime() / 1000)) : BigInt(dateTime(now, scheme.width));
  const next = stamp > scheme.last ? stamp : scheme.last + 1n;
  return String(next).padStart(scheme.width, '0');
}

/** `YYYYMMDDHHMM[SS[mmm]]` in UTC, as migration tools write it. */
export function dateTime(now: Date, width: 12 | 14 | 17 = 14): string {
  const pad = (value: number, size = 2) => String(value).padStart(size, '0');
  const full =
    `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}` +
    `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}${pad(now.getUTCMilliseconds(), 3)}`;
  return full.slice(0, width);
}

function isDateTime(prefix: string): boolean {
  const year = Number(prefix.slice(0, 4));
  const month = Number(prefix.slice(4, 6));
  const day = Number(prefix.slice(6, 8));
  const hour = Number(prefix.slice(8, 10));
  return year >= 1990 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23;
}
