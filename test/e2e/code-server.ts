import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { codeServerDir } from './code-server-install';

/** A running code-server: a real VS Code whose workbench a browser opens at `url`. */
export interface CodeServer {
  url: string;
  /** The folder it opened (a throwaway copy). */
  folder: string;
  /** Where extensions are installed: ours runs from here. */
  extensionsDir: string;
  /** VS Code's user data: settings, state. */
  userDataDir: string;
  /** Everything code-server printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Settings for a quiet, predictable workbench: no welcome page, no tips, no TypeScript noise in Problems. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 200,
  'editor.fontSize': 14,
  // The shop's imports are not installed; TypeScript's own errors would crowd the Problems panel.
  'typescript.validate.enable': false,
  'typescript.disableAutomaticTypeAcquisition': true,
};

const entry = () => join(codeServerDir(), 'out', 'node', 'entry.js');

/**
 * Installs `vsix` into a fresh extensions folder and starts code-server on a free port, opening
 * `folder`, with `settings` over the quiet defaults.
 */
export async function startCodeServer(options: { vsix: string; folder: string; settings?: Record<string, unknown> }): Promise<CodeServer> {
  const home = mkdtempSync(join(tmpdir(), 'pglens-code-server-'));
  const userDataDir = join(home, 'user-data');
  const extensionsDir = join(home, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...options.settings }, null, 2));
  const port = await freePort();
  writeFileSync(join(userDataDir, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', join(userDataDir, 'config.yaml')];

  const installed = await promisify(execFile)(process.execPath, [entry(), ...common, '--install-extension', options.vsix], { timeout: 60_000 });
  if (!/successfully installed/i.test(installed.stdout + installed.stderr)) {
    throw new Error(`code-server did not install ${options.vsix}:\n${installed.stdout}${installed.stderr}`);
  }

  const args = [
    entry(),
    ...common,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    options.folder,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCODE_PROXY_URI: '' } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, child, () => output);
  return {
    url: `${url}?folder=${encodeURIComponent(options.folder)}`,
    folder: options.folder,
    extensionsDir,
    userDataDir,
    log: () => output,
    stop: () => stop(child),
  };
}

async function waitForHttp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer on ${url} within 30 s:\n${log()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s: code-server takes its extension host and language servers down with it. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
