import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Builds the bundles once, before any test file runs. Tests spawn dist/server.js and dist/cli.js as
 * users do; building inside each test file would rewrite dist/ while other files' processes load it.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: resolve(__dirname, '..'), stdio: 'inherit' });
}
