/**
 * The order migration tools apply files in, and which files or sections undo a migration rather than
 * apply it. Paths compare naturally: runs of digits as numbers (`2_` before `10_`, timestamps in
 * order), everything else character by character, so `001_init.sql`, `V2__add.sql`,
 * `20240101120000_add/migration.sql` (Prisma) and `db/migrate/…` all come out in applied order.
 */
export function compareMigrationPaths(a: string, b: string): number {
  const left = chunks(normalise(a));
  const right = chunks(normalise(b));
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = compareChunk(left[i], right[i]);
    if (order !== 0) return order;
  }
  return left.length - right.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Down / undo migrations: `down.sql` (diesel), `*.down.sql` (golang-migrate), `U2__x.sql` (Flyway undo). */
export function isDownMigration(path: string): boolean {
  const base = normalise(path).split('/').pop() ?? '';
  return /(^|[._-])down\.sql$/i.test(base) || /^U\d+(?:[._]\d+)*__/.test(base);
}

/** The up migrations among `paths`, in the order they are applied. */
export function orderMigrationFiles(paths: Iterable<string>): string[] {
  return [...paths].filter((path) => !isDownMigration(path)).sort(compareMigrationPaths);
}

/**
 * A migration file's text without its down sections: dbmate's `-- migrate:down` and goose's
 * `-- +goose Down` run only on rollback. Lines are blanked rather than removed so offsets and line
 * numbers stay those of the file.
 */
export function upMigrationText(text: string): string {
  if (!/--\s*(?:migrate:down|\+goose\s+down)/i.test(text)) return text;
  let down = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*--\s*(?:migrate:up|\+goose\s+up)\b/i.test(line)) down = false;
      else if (/^\s*--\s*(?:migrate:down|\+goose\s+down)\b/i.test(line)) down = true;
      return down ? '' : line;
    })
    .join('\n');
}

function normalise(path: string): string {
  return path.replace(/\\/g, '/');
}

function chunks(text: string): string[] {
  return text.match(/\d+|\D+/g) ?? [];
}

function compareChunk(a: string, b: string): number {
  const aDigits = /^\d/.test(a);
  const bDigits = /^\d/.test(b);
  if (aDigits && bDigits) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
    return 0;
  }
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
