import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../client/src/languages';
import { COMMANDS } from '../client/src/commands/ids';
import { DEFAULT_SETTINGS } from '../server/src/config';

/** package.json's `contributes` against the client and server code it describes. */
const root = resolve(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const properties: Record<string, { default?: unknown; markdownDescription?: string; description?: string }> = contributes.configuration.properties;

describe('contributed commands', () => {
  it('are exactly the ones the client registers, all under the pglens category', () => {
    const contributed = contributes.commands.map((c: { command: string }) => c.command).sort();
    expect(contributed).toEqual(Object.values(COMMANDS).sort());
    for (const command of contributes.commands) expect(command.category).toBe('pglens');
  });

  it('register a handler for each id in extension.ts', () => {
    const source = readFileSync(join(root, 'client', 'src', 'extension.ts'), 'utf8');
    for (const key of Object.keys(COMMANDS)) expect(source, key).toContain(`register(COMMANDS.${key},`);
  });

  it('never collide with the server’s pglens.server.* commands', () => {
    for (const id of Object.values(COMMANDS)) expect(id.startsWith('pglens.server.')).toBe(false);
  });

  it('hide the status bar action from the palette', () => {
    expect(contributes.menus.commandPalette).toContainEqual({ command: COMMANDS.statusActions, when: 'false' });
  });
});

describe('contributed settings', () => {
  it('cover every setting the server reads, with the server’s defaults', () => {
    const flatten = (value: object, prefix: string): [string, unknown][] =>
      Object.entries(value).flatMap(([key, inner]) =>
        inner && typeof inner === 'object' && Object.keys(inner).length > 0 && !Array.isArray(inner) && key !== 'rules'
          ? flatten(inner, `${prefix}${key}.`)
          : [[`${prefix}${key}`, inner] as [string, unknown]],
      );
    for (const [key, value] of flatten(DEFAULT_SETTINGS, 'pglens.')) {
      expect(properties, key).toHaveProperty([key]);
      expect(properties[key]!.default, key).toEqual(value);
    }
  });

  it('describe every setting', () => {
    for (const [key, property] of Object.entries(properties)) expect(property.markdownDescription ?? property.description, key).toBeTruthy();
  });

  it('hold no database URL: passwords belong in SecretStorage, not settings.json', () => {
    // `database.maxConnections` is a pool size, not a connection string.
    expect(Object.keys(properties).filter((key) => /url|password|connection(?!s$)|dsn/i.test(key))).toEqual([]);
  });

  it('offer the protocol trace levels the language client knows', () => {
    expect(properties['pglens.trace.server']).toMatchObject({ enum: ['off', 'messages', 'verbose'], default: 'off' });
  });
});

describe('activation and packaging fields', () => {
  it('activates on every language the client sends to the server', () => {
    for (const language of LANGUAGES) expect(manifest.activationEvents).toContain(`onLanguage:${language}`);
  });

  it('points at files that exist', () => {
    expect(readdirSync(join(root, 'images'))).toContain('icon.png');
    expect(manifest.icon).toBe('images/icon.png');
    expect(manifest.main).toBe('./dist/client.js');
  });
});
