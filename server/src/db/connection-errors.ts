import { redact } from './redact';

/**
 * Turns whatever `pg` or the network threw into one line a user can act on: what is wrong and what to
 * do. Passwords never reach the result.
 */
export interface ConnectionEndpoint {
  host: string;
  port: number;
  user: string;
  database: string;
}

interface ErrorLike {
  message?: unknown;
  code?: unknown;
}

function fields(error: unknown): { message: string; code: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  return {
    message: typeof e.message === 'string' ? e.message : String(error),
    code: typeof e.code === 'string' ? e.code : '',
  };
}

/** The code of the error a server that went silent is failed with (see AnswerWatch). */
export const SILENT_SERVER = 'PGLENS_SERVER_SILENT';

const NETWORK_CODES = new Set([
  SILENT_SERVER,
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOENT', // a Unix socket that is not there
]);

/**
 * Class 08 connection exceptions (not 08P01, a protocol violation by one message) and 57P01–57P03,
 * the server shutting down or starting.
 */
const CONNECTION_SQLSTATES = new Set(['08000', '08001', '08003', '08004', '08006', '08007', '57P01', '57P02', '57P03']);

/**
 * True when the error means the connection itself is gone or unusable (rather than one query failing):
 * the caller should mark the database as failed and reconnect.
 */
export function isConnectionError(error: unknown): boolean {
  const { message, code } = fields(error);
  if (NETWORK_CODES.has(code)) return true;
  if (CONNECTION_SQLSTATES.has(code)) return true;
  return /Connection terminated|connection error and is not queryable|Client was closed|timeout exceeded when trying to connect|server closed the connection/i.test(
    message,
  );
}

export function describeConnectionError(error: unknown, endpoint: ConnectionEndpoint, secrets: readonly (string | undefined)[] = []): string {
  const { message, code } = fields(error);
  const where = endpoint.host.startsWith('/') ? `the socket in ${endpoint.host}` : `${endpoint.host}:${endpoint.port}`;
  const line = (() => {
    switch (code) {
      case '28P01':
        return `Wrong password for user "${endpoint.user}" on ${where}; fix the password in the database URL, PGPASSWORD or ~/.pgpass.`;
      case '3D000':
        return `Database "${endpoint.database}" does not exist on ${where}; create it (createdb ${endpoint.database}) or fix the database name.`;
      case '28000':
        if (/role .* does not exist/i.test(message)) {
          return `Role "${endpoint.user}" does not exist on ${where}; create it or connect as another user.`;
        }
        return `${where} refused the connection (${firstLine(message)}); allow it in pg_hba.conf or connect as another user.`;
      case '53300':
        return `${where} has too many connections; close some or raise max_connections.`;
      case '57P03':
        return `The server at ${where} is starting up or shutting down; pglens will retry.`;
      case '57P01':
      case '57P02':
        return `The server at ${where} shut down the connection; pglens will reconnect when it is back.`;
      case 'ECONNREFUSED':
        return `Nothing is listening on ${where} (connection refused); start PostgreSQL or fix the host and port.`;
      case 'ENOENT':
        return `There is no PostgreSQL socket in ${endpoint.host}; start PostgreSQL or fix the host.`;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `Host "${endpoint.host}" was not found; check the host name.`;
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return `${where} is unreachable from this machine; check the host and your network.`;
      case 'ETIMEDOUT':
        return `${where} did not answer in time; check the host, the port and any firewall.`;
      case 'ECONNRESET':
      case 'EPIPE':
        return `The connection to ${where} was lost; pglens will reconnect.`;
      case SILENT_SERVER:
        return `${where} stopped answering (${firstLine(message)}): a network dropping packets or a frozen host; pglens will reconnect when it answers.`;
    }
    if (/timeout exceeded when trying to connect|connection timeout/i.test(message)) {
      return `${where} did not answer in time; check the host, the port and any firewall.`;
    }
    if (/does not support SSL/i.test(message)) {
      return `The server at ${where} does not accept SSL; remove sslmode=require from the URL.`;
    }
    if (/self[- ]signed certificate|unable to verify|certificate/i.test(message)) {
      return `The SSL certificate of ${where} is not trusted (${firstLine(message)}); use sslmode=require to encrypt without verifying.`;
    }
    if (/Connection terminated|server closed the connection|not queryable/i.test(message)) {
      return `The connection to ${where} was lost; pglens will reconnect.`;
    }
    if (/password authentication failed/i.test(message)) {
      return `Wrong password for user "${endpoint.user}" on ${where}; fix the password in the database URL, PGPASSWORD or ~/.pgpass.`;
    }
    if (/client password must be a string|SASL.*password/i.test(message)) {
      return `The server at ${where} asks for a password and none is configured; add it to the database URL, PGPASSWORD or ~/.pgpass.`;
    }
    return `Could not use the database at ${where}: ${firstLine(message)}.`;
  })();
  return redact(line, secrets);
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/[.\s]+$/, '');
}
