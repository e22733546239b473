import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ClientConfig } from 'pg';
import { parseDotenv } from './dotenv';
import { lookupPgpass } from './pgpass';
import { redact } from './redact';

/**
 * Which database pglens connects to, resolved in a fixed order: the explicit setting
 * (`pglens.databaseUrl` / `--db`), the client's initializationOptions, DATABASE_URL in the workspace's
 * `.env`, DATABASE_URL in the environment, then the standard PG* variables with `~/.pgpass`.
 * Everything is computed here, explicitly, so the outcome can be shown to the user and tested.
 */
export type ConnectionSource = 'setting' | 'initializationOptions' | 'dotenv' | 'environment' | 'pg-environment';

export interface ConnectionTarget {
  source: ConnectionSource;
  /** Where the settings came from, in words: `pglens.databaseUrl`, `DATABASE_URL in .env`, … */
  origin: string;
  /** `user@host:port/database`: safe to show, never holds the password. */
  description: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** Settings for `pg`; holds the password, so it is never logged. */
  clientConfig: ClientConfig;
  /** Things worth telling the user, e.g. an ignored ~/.pgpass. */
  notes: string[];
}

export type TargetResolution =
  | { kind: 'target'; target: ConnectionTarget }
  | { kind: 'invalid'; source: ConnectionSource; origin: string; message: string }
  | { kind: 'none'; message: string };

export interface TargetInput {
  /** `pglens.databaseUrl` or the CLI's `--db`. */
  setting?: string;
  /** How messages name the setting; `pglens.databaseUrl` unless told (the CLI says `--db`). */
  settingName?: string;
  /** The database URL the client passed in initializationOptions. */
  initializationOption?: string;
  /** Folder whose `.env` may hold DATABASE_URL. */
  workspaceRoot?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Home folder for `~/.pgpass`; defaults to HOME / USERPROFILE from `env`. */
  homeDir?: string;
}

const PG_VARIABLES = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD'];

export async function resolveConnectionTarget(input: TargetInput): Promise<TargetResolution> {
  const candidates: { source: ConnectionSource; origin: string; url: string | undefined }[] = [
    { source: 'setting', origin: input.settingName ?? 'pglens.databaseUrl', url: input.setting },
    { source: 'initializationOptions', origin: 'the client’s initializationOptions', url: input.initializationOption },
    { source: 'dotenv', origin: 'DATABASE_URL in .env', url: await dotenvUrl(input.workspaceRoot) },
    { source: 'environment', origin: 'the DATABASE_URL environment variable', url: input.env.DATABASE_URL },
  ];
  for (const candidate of candidates) {
    const url = candidate.url?.trim();
    if (!url) continue;
    const parsed = parseDatabaseUrl(url);
    if (typeof parsed === 'string') {
      return { kind: 'invalid', source: candidate.source, origin: candidate.origin, message: `${candidate.origin} is not a usable PostgreSQL URL: ${parsed}` };
    }
    return { kind: 'target', target: await completeTarget(candidate.source, candidate.origin, parsed, input) };
  }
  if (PG_VARIABLES.some((name) => input.env[name])) {
    return { kind: 'target', target: await completeTarget('pg-environment', 'the PG* environment variables', {}, input) };
  }
  return {
    kind: 'none',
    message: 'No database is configured; set pglens.databaseUrl, DATABASE_URL in .env, or the PG* environment variables.',
  };
}

async function dotenvUrl(workspaceRoot: string | undefined): Promise<string | undefined> {
  if (!workspaceRoot) return undefined;
  const text = await fs.readFile(join(workspaceRoot, '.env'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseDotenv(text).get('DATABASE_URL');
}

/** The parts a URL may set; whatever it leaves out comes from PG* variables and defaults. */
interface UrlParts {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: string;
  options?: string;
  applicationName?: string;
  connectTimeoutSeconds?: number;
}

/** Parses `postgres[ql]://user:password@host:port/database?sslmode=…`; a string is the problem. */
export function parseDatabaseUrl(url: string): UrlParts | string {
  if (!/^postgres(ql)?:\/\//i.test(url)) return 'it must start with postgresql:// (for example postgresql://user@localhost:5432/mydb).';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const port = portText(url);
    if (port !== undefined && !(Number(port) > 0 && Number(port) < 65536)) return `the port "${port}" is not a number between 1 and 65535.`;
    return 'it could not be parsed; check for unescaped characters such as @ or # in the password (percent-encode them).';
  }
  const decode = (value: string) => {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  };
  const parts: UrlParts = {};
  if (parsed.hostname) parts.host = decode(parsed.hostname).replace(/^\[(.*)\]$/, '$1');
  if (parsed.port) parts.port = Number(parsed.port);
  const database = decode(parsed.pathname.replace(/^\//, ''));
  if (database) parts.database = database;
  if (parsed.username) parts.user = decode(parsed.username);
  if (parsed.password) parts.password = decode(parsed.password);
  const params = parsed.searchParams;
  const host = params.get('host');
  if (host) parts.host = host;
  const port = params.get('port');
  if (port) parts.port = Number(port);
  if (parts.port !== undefined && !(Number.isInteger(parts.port) && parts.port > 0 && parts.port < 65536)) {
    return `the port "${port ?? parsed.port}" is not a number between 1 and 65535.`;
  }
  const user = params.get('user');
  if (user) parts.user = user;
  const password = params.get('password');
  if (password) parts.password = password;
  const dbname = params.get('dbname');
  if (dbname) parts.database = dbname;
  parts.sslmode = params.get('sslmode') ?? undefined;
  parts.options = params.get('options') ?? undefined;
  parts.applicationName = params.get('application_name') ?? undefined;
  const timeout = Number(params.get('connect_timeout'));
  if (timeout > 0) parts.connectTimeoutSeconds = timeout;
  return parts;
}

/**
 * What follows the host's colon in a URL `new URL` refused, read after the last `@`: a password may hold
 * an unescaped `:`, `/`, `#` or `@`, and no part of it may end up in the message.
 */
function portText(url: string): string | undefined {
  const rest = url.replace(/^[a-z]+:\/\//i, '');
  const hostAndAfter = rest.slice(rest.lastIndexOf('@') + 1);
  return /^(?:\[[^\]]*\]|[^/:?#[\]]*):([^/?#]*)/.exec(hostAndAfter)?.[1];
}

async function completeTarget(
  source: ConnectionSource,
  origin: string,
  parts: UrlParts,
  input: TargetInput,
): Promise<ConnectionTarget> {
  const env = input.env;
  const host = parts.host ?? env.PGHOST ?? env.PGHOSTADDR ?? 'localhost';
  const port = parts.port ?? (Number(env.PGPORT) || 5432);
  const user = parts.user ?? env.PGUSER ?? env.USER ?? env.USERNAME ?? 'postgres';
  const database = parts.database ?? env.PGDATABASE ?? user;
  const notes: string[] = [];
  let password = parts.password ?? env.PGPASSWORD;
  if (password === undefined) {
    password = await passwordFromPgpass({ host, port, database, user }, input, notes);
  }
  const sslmode = parts.sslmode ?? env.PGSSLMODE;
  const clientConfig: ClientConfig = {
    host,
    port,
    user,
    database,
    application_name: parts.applicationName ?? 'pglens',
    ssl: sslSetting(sslmode),
  };
  if (password !== undefined) clientConfig.password = password;
  if (parts.options) clientConfig.options = parts.options;
  if (parts.connectTimeoutSeconds) clientConfig.connectionTimeoutMillis = parts.connectTimeoutSeconds * 1000;
  return {
    source,
    origin,
    description: `${user}@${host}:${port}/${database}`,
    host,
    port,
    user,
    database,
    clientConfig,
    notes: notes.map((note) => redact(note, [password])),
  };
}

/** libpq's sslmode in pg's terms: `require` encrypts without verifying, `verify-*` verifies. */
function sslSetting(sslmode: string | undefined): ClientConfig['ssl'] {
  switch (sslmode) {
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      return false;
  }
}

async function passwordFromPgpass(
  key: { host: string; port: number; database: string; user: string },
  input: TargetInput,
  notes: string[],
): Promise<string | undefined> {
  const home = input.homeDir ?? input.env.HOME ?? input.env.USERPROFILE;
  const file = input.env.PGPASSFILE ?? (home ? join(home, '.pgpass') : undefined);
  if (!file) return undefined;
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return undefined;
  // libpq ignores a password file others can read; so do we, and say why.
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    notes.push(`Ignored ${file} because others can read it; run chmod 600 on it.`);
    return undefined;
  }
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : lookupPgpass(text, key);
}
