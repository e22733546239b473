import { compareNatural } from '../text/natural-order';

/**
 * The order migration tools apply files in, and which files or sections undo a migration rather than
 * apply it. Paths compare naturally: runs of digits as numbers (`2_` before `10_`, timestamps in
 * order), everything else character by character, so `001_init.sql`, `V2__add.sql`,
 * `20240101120000_add/migration.sql` (Prisma) and `db/migrate/…` all come out in applied order.
 */
export function compareMigrationPaths(a: string, b: string): number {
  return compareNatural(normalise(a), normalise(b));
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
