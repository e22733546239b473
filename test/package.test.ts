import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseStatus } from '../server/src/protocol';
import { readZip, type ZipEntry } from './e2e/zip';
import { LspClient, type PublishDiagnostics } from './helpers/lsp-client';

/**
 * `npm run package`: the .vsix VS Code installs. It must carry everything the extension loads at run
 * time (it ships without node_modules) and nothing else, and stay small.
 */
const root = resolve(__dirname, '..');
const vsix = join(root, 'pglens.vsix');
/** The budget: 5 MB, in decimal megabytes (vsce reports MiB, so it shows less). */
const BUDGET_BYTES = 5_000_000;
/** PGlite's files, stored brotli-compressed (scripts/pglite-assets.mjs). */
const PGLITE_FILES = ['pglite.wasm.br', 'pglite.data.br', 'initdb.wasm.br'];
/** Bundles stored brotli-compressed behind a loader (scripts/packed-bundle.mjs). */
const PACKED_BUNDLES = ['dist/server.js', 'dist/sandbox-worker.js'];

let entries: ZipEntry[];
const entry = (name: string) => entries.find((e) => e.name === `extension/${name}`);

beforeAll(() => {
  execFileSync('npm', ['run', '-s', 'package'], { cwd: root, stdio: 'pipe' });
  entries = readZip(vsix);
}, 180_000);

describe('pglens.vsix', () => {
  it('holds the bundles, the parser, the grammar, the docs the hovers link to and the Marketplace files', () => {
    const required = [
      'package.json',
      'dist/client.js',
      ...PACKED_BUNDLES.flatMap((bundle) => [bundle, `${bundle}.br`]),
      'dist/libpg-query.wasm',
      'syntaxes/sql-injection.json',
      'images/icon.png',
      'readme.md',
      'changelog.md',
      'LICENSE.txt',
      'docs/editors.md',
      ...readdirSync(join(root, 'docs', 'rules')).map((page) => `docs/rules/${page}`),
    ];
    for (const name of required) expect(entry(name), name).toBeDefined();
  });

  it('holds no node_modules, sources, source maps, tests or examples', () => {
    const names = entries.map((e) => e.name);
    expect(names.filter((name) => /node_modules|\.map$|\.ts$|\/(test|examples|server|client|bench|scripts)\//.test(name))).toEqual([]);
    // The CLI comes with the npm package; the extension never runs it.
    expect(entry('dist/cli.js')).toBeUndefined();
    expect(names.every((name) => name.startsWith('extension/') || ['extension.vsixmanifest', '[Content_Types].xml'].includes(name))).toBe(true);
  });

  it('stores its largest bundles compressed behind loaders that expand them', () => {
    for (const bundle of PACKED_BUNDLES) {
      const loader = entry(bundle)!.read().toString('utf8');
      expect(loader.length, bundle).toBeLessThan(500);
      expect(loader).toContain('brotliDecompressSync');
      expect(brotliDecompressSync(entry(`${bundle}.br`)!.read()).toString('utf8').length, bundle).toBeGreaterThan(100_000);
    }
  });

  it('carries PGlite’s files, compressed, exactly when a bundle holds PGlite', () => {
    const usesPglite = PACKED_BUNDLES.some((name) => brotliDecompressSync(entry(`${name}.br`)!.read()).includes('pglite.data'));
    expect(usesPglite).toBe(true);
    for (const file of PGLITE_FILES) expect(entry(`dist/${file}`), file).toBeDefined();
    for (const raw of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) expect(entry(`dist/${raw}`), raw).toBeUndefined();
  });

  it('stays under 5 MB, everything included', () => {
    const total = statSync(vsix).size;
    const part = (names: string[]) => entries.filter((e) => names.some((name) => e.name === `extension/${name}`)).reduce((sum, e) => sum + e.compressedSize, 0);
    const pglite = part(PGLITE_FILES.map((file) => `dist/${file}`));
    console.info(`pglens.vsix: ${total.toLocaleString('en-US')} bytes (${(total / 1e6).toFixed(2)} MB), of which PGlite ${(pglite / 1e6).toFixed(2)} MB`);
    expect(total).toBeLessThan(BUDGET_BYTES);
  });

  it('describes the extension VS Code installs', () => {
    const manifest = JSON.parse(entry('package.json')!.read().toString('utf8'));
    expect(manifest).toMatchObject({ name: 'pglens', main: './dist/client.js', icon: 'images/icon.png' });
    expect(manifest.contributes.grammars[0].path).toBe('./syntaxes/sql-injection.json');
  });

  it('runs from the unpacked .vsix alone: the server builds the embedded database in its worker and plans on it', async () => {
    const unpacked = mkdtempSync(join(tmpdir(), 'pglens-vsix-'));
    for (const e of entries.filter((e) => e.name.startsWith('extension/dist/'))) {
      const target = join(unpacked, e.name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, e.read());
    }
    const workspace = join(unpacked, 'workspace');
    mkdirSync(join(workspace, 'migrations'), { recursive: true });
    writeFileSync(join(workspace, 'migrations', '001_users.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n');
    writeFileSync(join(workspace, '.pglens.json'), JSON.stringify({ rows: { users: 20_000 } }));
    const client = new LspClient(join(unpacked, 'extension', 'dist', 'server.js'));
    try {
      await client.initialize({ rootUri: pathToFileURL(workspace).href, capabilities: {} });
      const uri = pathToFileURL(join(workspace, 'query.sql')).href;
      client.open(uri, "SELECT id FROM users WHERE email = 'a@example.com';\n");
      const status = (await client.waitFor('pglens/status', (s) => ['embedded', 'failed'].includes((s as DatabaseStatus).state), 90_000)) as DatabaseStatus;
      expect(status, JSON.stringify(status)).toMatchObject({ state: 'embedded' });
      const planned = await client.waitFor(
        'textDocument/publishDiagnostics',
        (p) => (p as PublishDiagnostics).uri === uri && (p as PublishDiagnostics).diagnostics.some((d) => d.code === 'seq-scan'),
        60_000,
      );
      expect(planned).toBeDefined();
    } finally {
      await client.shutdown().catch(() => undefined);
    }
  }, 180_000);
});
