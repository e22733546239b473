/**
 * Database URLs as the user types them into "Connect to Database…". Pure: no VS Code here, so the rules
 * are unit-tested directly.
 */

/** Why `text` cannot be used as a database URL, in one sentence; undefined when it can. */
export function databaseUrlProblem(text: string): string | undefined {
  const value = text.trim();
  if (!value) return 'Enter a URL such as postgres://user:password@localhost:5432/shop.';
  if (!/^postgres(ql)?:\/\//i.test(value)) return 'The URL must start with postgres:// or postgresql://.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'This is not a valid URL; percent-encode special characters in the user name and password (@ is %40).';
  }
  // A socket folder may stand in for the host (postgres:///db?host=/var/run/postgresql).
  if (!url.hostname && !url.searchParams.get('host')) return 'The URL names no host: postgres://user@HOST:5432/database.';
  if (url.port && !(Number(url.port) > 0 && Number(url.port) < 65536)) return `Port ${url.port} is not a valid port.`;
  return undefined;
}

/** `user@host:port/database` without the password, for messages and the status bar tooltip. */
export function describeDatabaseUrl(text: string): string {
  try {
    const url = new URL(text.trim());
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    const host = url.hostname || url.searchParams.get('host') || 'localhost';
    const port = url.port ? `:${url.port}` : '';
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    return `${user}${host}${port}${database ? `/${database}` : ''}`;
  } catch {
    return 'the database';
  }
}
