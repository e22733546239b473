import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where test/e2e/setup-code-server.sh installs code-server (keep the two in step): a cache folder
 * outside the repository, so the shared tree and `npm ci` never see it.
 */
export const CODE_SERVER_VERSION = '4.100.3';

export function codeServerDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.PGLENS_E2E_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pglens-e2e');
  return join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server');
}

/** VS Code inside code-server: its node_modules (vscode-textmate, vscode-oniguruma) and built-in extensions. */
export function vscodeDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(codeServerDir(env), 'lib', 'vscode');
}

export function codeServerInstalled(env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(join(codeServerDir(env), 'out', 'node', 'entry.js')) && existsSync(join(codeServerDir(env), '..', '..', '.pglens-ready'));
}

/** The tests need the real thing; outside CI they may skip, saying how to get it. */
export const SETUP_HINT = 'run `bash test/e2e/setup-code-server.sh` to install it';
