/**
 * Reads `KEY=value` lines the way dotenv does (`export` prefix, quotes, `#` comments), without variable
 * expansion. Only what pglens needs: it looks up DATABASE_URL.
 */
export function parseDotenv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(rawLine);
    if (!match) continue;
    values.set(match[1], unquote(match[2]));
  }
  return values;
}

function unquote(raw: string): string {
  const value = raw.trim();
  const quote = value[0];
  if (quote === '"' || quote === "'" || quote === '`') {
    const close = value.indexOf(quote, 1);
    if (close > 0) {
      const inner = value.slice(1, close);
      return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : inner;
    }
  }
  // Unquoted: a ` #` starts a comment.
  return value.replace(/\s+#.*$/, '').trim();
}
