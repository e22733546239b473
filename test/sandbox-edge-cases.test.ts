import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../server/src/db/sandbox/sandbox';

/**
 * A workspace with broken migrations and a schema full of awkward shapes: identity columns, uuid keys, a
 * self-reference, a join table keyed by two foreign keys, enums and arrays, CHECK ranges, a seed row, a
 * type pglens cannot invent values for. One PGlite for the whole file.
 */
const MIGRATIONS: Record<string, string> = {
  '001_teams_and_people.sql': `
CREATE TYPE mood AS ENUM ('calm', 'busy', 'away');
CREATE TABLE teams (
  id    int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name  text NOT NULL UNIQUE,
  score numeric(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100)
);
INSERT INTO teams (name, score) VALUES ('founders', 99.5);
CREATE TABLE people (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team_id    int NOT NULL REFERENCES teams (id),
  manager_id uuid REFERENCES people (id),
  mood       mood NOT NULL,
  moods      mood[],
  rating     smallint NOT NULL CHECK (rating >= 1 AND rating <= 5),
  handle     varchar(12) NOT NULL UNIQUE,
  joined_on  date NOT NULL,
  left_on    date,
  CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE TABLE memberships (
  person_id uuid REFERENCES people (id),
  team_id   int REFERENCES teams (id),
  PRIMARY KEY (person_id, team_id)
);
`,
  // Valid first statement, then an unknown column: the whole file must roll back.
  '002_half_done.sql': `CREATE TABLE half_done (id int);

CREATE INDEX people_nickname_idx
  ON people (nickname);
`,
  // Does not parse: reported at the misspelt keyword.
  '003_typo.sql': `-- audit trail
CREATE TABLE audit (id int);
CREAT TABLE oops (id int);
`,
  '004_notes.sql': 'CREATE TABLE notes (id bigserial PRIMARY KEY, team_id int NOT NULL REFERENCES teams (id), body text NOT NULL);\n',
  // Cannot run in a transaction: applied in autocommit instead.
  '005_concurrent_index.sql': 'CREATE INDEX CONCURRENTLY people_joined_on_idx ON people (joined_on);\n',
  '006_devices.sql': 'CREATE TABLE devices (id serial PRIMARY KEY, mac macaddr NOT NULL);\n',
};

const ROWS = { teams: 40, people: 3000, memberships: 2500, notes: 500, devices: 10, nope: 5 };

let root: string;
let sandbox: Sandbox;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pglens-sandbox-'));
  mkdirSync(join(root, 'migrations'));
  for (const [name, sql] of Object.entries(MIGRATIONS)) writeFileSync(join(root, 'migrations', name), sql);
  writeFileSync(join(root, '.pglens.json'), JSON.stringify({ rows: ROWS }));
  sandbox = await startSandbox(root);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(root, { recursive: true, force: true });
});

async function count(sql: string): Promise<number> {
  return Number((await sandbox.query<{ n: number }>(sql)).rows[0].n);
}

describe('broken migrations', () => {
  it('names the file, the line and PostgreSQL message, and says what to do', () => {
    const migrationProblems = sandbox.problems.filter((p) => p.phase === 'migration');
    expect(migrationProblems).toHaveLength(2);
    const [unknownColumn, typo] = migrationProblems;
    expect(unknownColumn).toMatchObject({ file: 'migrations/002_half_done.sql', sqlState: '42703' });
    expect(unknownColumn.message).toBe(
      'Migration migrations/002_half_done.sql failed at line 3: column "nickname" does not exist. Fix the migration; the sandbox was built without it.',
    );
    expect(typo).toMatchObject({ file: 'migrations/003_typo.sql', sqlState: '42601' });
    expect(typo.message).toMatch(/^Migration migrations\/003_typo\.sql failed at line 3: syntax error at or near "CREAT"\./);
    expect(typo.range).toEqual({ start: { line: 2, character: 0 }, end: { line: 2, character: 5 } });
  });

  it('rolls a failed file back entirely and still applies the files after it', async () => {
    expect(sandbox.applied).toEqual([
      'migrations/001_teams_and_people.sql',
      'migrations/004_notes.sql',
      'migrations/005_concurrent_index.sql',
      'migrations/006_devices.sql',
    ]);
    expect(await count("SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('half_done', 'audit', 'oops')")).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'people_joined_on_idx'")).toBe(1);
    expect(sandbox.description).toMatch(/^sandbox \(PGlite, PostgreSQL 18\) built from 4 of 6 migrations, [\d,]+ synthetic rows$/);
  });

  it('keeps serving queries', async () => {
    expect(await count('SELECT count(*)::int AS n FROM notes')).toBe(ROWS.notes);
  });
});

describe('synthetic data for awkward schemas', () => {
  it('counts seed rows toward the declared total and leaves identity columns to the database', async () => {
    expect(await count('SELECT count(*)::int AS n FROM teams')).toBe(ROWS.teams);
    expect(await count("SELECT count(*)::int AS n FROM teams WHERE name = 'founders'")).toBe(1);
    expect(await count('SELECT count(DISTINCT id)::int AS n FROM teams')).toBe(ROWS.teams);
  });

  it('keeps values inside CHECK ranges and types, without dropping rows', async () => {
    expect(await count('SELECT count(*)::int AS n FROM people')).toBe(ROWS.people);
    expect(await count('SELECT count(*)::int AS n FROM teams WHERE score < 0 OR score > 100')).toBe(0);
    expect(await count('SELECT count(DISTINCT rating)::int AS n FROM people')).toBe(5);
    expect(await count('SELECT count(DISTINCT mood)::int AS n FROM people')).toBe(3);
    expect(await count('SELECT max(length(handle))::int AS n FROM people')).toBeLessThanOrEqual(12);
    expect(await count('SELECT count(*)::int AS n FROM people WHERE moods IS NOT NULL AND cardinality(moods) > 0')).toBeGreaterThan(0);
  });

  it('fills a join table keyed by two foreign keys with distinct, existing pairs', async () => {
    expect(await count('SELECT count(*)::int AS n FROM memberships')).toBe(ROWS.memberships);
    expect(await count(
      'SELECT count(*)::int AS n FROM memberships m LEFT JOIN people p ON p.id = m.person_id LEFT JOIN teams t ON t.id = m.team_id WHERE p.id IS NULL OR t.id IS NULL',
    )).toBe(0);
  });

  it('points self-references at existing rows', async () => {
    expect(await count('SELECT count(*)::int AS n FROM people WHERE manager_id IS NOT NULL')).toBeGreaterThan(0);
    expect(await count(
      'SELECT count(*)::int AS n FROM people c LEFT JOIN people m ON m.id = c.manager_id WHERE c.manager_id IS NOT NULL AND m.id IS NULL',
    )).toBe(0);
  });

  it('explains what it could not generate, and goes on with the other tables', async () => {
    const messages = sandbox.problems.filter((p) => p.phase !== 'migration').map((p) => p.message);
    expect(messages).toEqual([
      '"rows.nope" names no table the migrations created; check the table name.',
      'No synthetic rows for public.devices: pglens cannot invent values of type macaddr for NOT NULL column mac; give it a default or seed the table in a migration.',
    ]);
    expect(await count('SELECT count(*)::int AS n FROM devices')).toBe(0);
    expect(sandbox.tables.find((t) => t.table === 'public.devices')).toMatchObject({ requested: 10, inserted: 0 });
  });
});
