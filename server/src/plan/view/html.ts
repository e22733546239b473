/** Escaping for text and attribute values; every string from a plan or a query goes through it. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** For text content only (not attributes): quotes need no escaping there, and JSON is full of them. */
export function escText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c] ?? c);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** ` name="value"` for each defined attribute; `true` gives a bare attribute, false/undefined none. */
export function attrs(values: Record<string, string | number | boolean | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${esc(value)}"`;
  }
  return out;
}

/** Percent with enough precision for SVG geometry, never in exponent notation. */
export function pct(fraction: number): string {
  return `${(Math.max(0, fraction) * 100).toFixed(3).replace(/\.?0+$/, '')}%`;
}
