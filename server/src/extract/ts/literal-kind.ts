/** The kind of host-language literal a piece of SQL sits in; decides how its escapes read and write. */
export type LiteralKind = 'double-quoted' | 'single-quoted' | 'template';

const ESCAPERS: Readonly<Record<LiteralKind, (text: string) => string>> = {
  'double-quoted': (text) => escapeQuoted(text, /["\\\n\r\u2028\u2029]/g),
  'single-quoted': (text) => escapeQuoted(text, /['\\\n\r\u2028\u2029]/g),
  template: (text) => text.replace(/\\|`|\$\{/g, (match) => `\\${match}`),
};

const CONTROL_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** Escapes text so that, inserted into a literal of `kind`, the host language reads it back unchanged. */
export function hostEscaper(kind: LiteralKind): (text: string) => string {
  return ESCAPERS[kind];
}

function escapeQuoted(text: string, special: RegExp): string {
  return text.replace(special, (ch) => CONTROL_ESCAPES[ch] ?? `\\${ch}`);
}
