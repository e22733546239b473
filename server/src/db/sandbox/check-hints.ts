import type { CheckConstraint } from './structure';

/**
 * What simple one-column CHECK constraints say about a column's values, so generated data satisfies them
 * by construction instead of being filtered out: `status IN ('a', 'b')` gives the allowed values,
 * `price > 0` and `rating BETWEEN 1 AND 5` give bounds. Anything more complex is left to the filter the
 * generator applies with the constraint's own expression.
 */
export interface ColumnHints {
  values?: string[];
  min?: { value: number; inclusive: boolean };
  max?: { value: number; inclusive: boolean };
}

export function columnHints(checks: CheckConstraint[], column: string): ColumnHints {
  const hints: ColumnHints = {};
  for (const check of checks) {
    if (check.columns.length !== 1 || check.columns[0] !== column) continue;
    const values = allowedValues(check.expression);
    if (values) hints.values = hints.values ? hints.values.filter((v) => values.includes(v)) : values;
    for (const bound of bounds(check.expression, column)) {
      if (bound.side === 'min' && (!hints.min || bound.value > hints.min.value)) hints.min = bound;
      if (bound.side === 'max' && (!hints.max || bound.value < hints.max.value)) hints.max = bound;
    }
  }
  return hints;
}

/** `(status = ANY (ARRAY['a'::text, 'b'::text]))` or `(status = 'a'::text)` → the literals. */
function allowedValues(expression: string): string[] | undefined {
  if (/\b(AND|OR|NOT)\b|<>|!=/i.test(expression)) return undefined;
  const list = /(?<![<>!])=\s*ANY\s*\(\(?ARRAY\[(.*)\]\)?/i.exec(expression);
  const single = /(?<![<>!])=\s*('(?:[^']|'')*'|-?\d+(?:\.\d+)?)(?:::[\w\s]+)?\)*$/i.exec(expression);
  const source = list?.[1] ?? single?.[1];
  if (source === undefined) return undefined;
  const strings = [...source.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
  if (strings.length > 0) return strings;
  const numbers = source.match(/-?\d+(?:\.\d+)?/g);
  return numbers ?? undefined;
}

interface Bound {
  side: 'min' | 'max';
  value: number;
  inclusive: boolean;
}

/** Comparisons of the column with a number, joined by AND: `((r >= 1) AND (r <= 5))`, `(price > (0)::numeric)`. */
function bounds(expression: string, column: string): Bound[] {
  if (/\bOR\b/i.test(expression)) return [];
  const name = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const comparison = new RegExp(
    `(?<![\\w"])"?${name}"?\\)?(?:::[\\w ]+)?\\s*(>=|>|<=|<)\\s*\\(*(-?\\d+(?:\\.\\d+)?)\\)?(?:::[\\w ]+)?`,
    'g',
  );
  const found: Bound[] = [];
  for (const match of expression.matchAll(comparison)) {
    const operator = match[1];
    const value = Number(match[2]);
    found.push({ side: operator.startsWith('>') ? 'min' : 'max', value, inclusive: operator.endsWith('=') });
  }
  return found;
}
