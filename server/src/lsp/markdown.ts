/** Small helpers for the Markdown the server shows in hovers. */

/** Escapes characters Markdown would read as formatting, so a message shows as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|~#]/g, (ch) => `\\${ch}`);
}

/** An inline code span that survives backticks in the text. */
export function codeSpan(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
