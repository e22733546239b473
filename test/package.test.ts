import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readZip, type ZipEntry } from './e2e/zip';

/**
 * `npm run package`: the .vsix VS Code installs. It must carry everything the extension loads at run
 * time (it ships without node_modules) and nothing else, and stay small.
 */
const root = resolve(__dirname, '..');
const vsix = join(root, 'pglens.vsix');
const MB = 1024 * 1024;
/** PGlite's database files, when the server bundles PGlite: budgeted apart (see the size test). */
const PGLITE_FILES = ['pglite.wasm', 'pglite.data', 'initdb.wasm'];

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
      'dist/server.js',
      'dist/cli.js',
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
    expect(names.every((name) => name.startsWith('extension/') || ['extension.vsixmanifest', '[Content_Types].xml'].includes(name))).toBe(true);
  });

  it('carries PGlite’s files exactly when a bundle holds PGlite', () => {
    const usesPglite = ['dist/server.js', 'dist/cli.js'].some((name) => entry(name)!.read().includes('pglite.data'));
    for (const file of PGLITE_FILES) expect(entry(`dist/${file}`) !== undefined, `${file} (bundles use PGlite: ${usesPglite})`).toBe(usesPglite);
  });

  it('stays under 5 MB, PGlite’s database files aside', () => {
    const total = statSync(vsix).size;
    const pglite = entries.filter((e) => PGLITE_FILES.some((file) => e.name === `extension/dist/${file}`)).reduce((sum, e) => sum + e.compressedSize, 0);
    console.info(`pglens.vsix: ${(total / MB).toFixed(2)} MB, of which PGlite ${(pglite / MB).toFixed(2)} MB`);
    expect(total - pglite).toBeLessThan(5 * MB);
  });

  it('describes the extension VS Code installs', () => {
    const manifest = JSON.parse(entry('package.json')!.read().toString('utf8'));
    expect(manifest).toMatchObject({ name: 'pglens', main: './dist/client.js', icon: 'images/icon.png' });
    expect(manifest.contributes.grammars[0].path).toBe('./syntaxes/sql-injection.json');
  });

  it('runs from the unpacked .vsix alone: the CLI finds SQL errors with no node_modules around', () => {
    const unpacked = mkdtempSync(join(tmpdir(), 'pglens-vsix-'));
    for (const e of entries.filter((e) => e.name.startsWith('extension/dist/'))) {
      const target = join(unpacked, e.name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, e.read());
    }
    writeFileSync(join(unpacked, 'broken.sql'), 'SELECT id FROM users WHERE;\n');
    let output = '';
    try {
      execFileSync(process.execPath, [join(unpacked, 'extension', 'dist', 'cli.js'), 'check', 'broken.sql'], { cwd: unpacked, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    expect(output).toMatch(/broken\.sql:1:\d+ error sql-syntax/);
  });
});
