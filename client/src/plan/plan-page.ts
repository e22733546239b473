/** A fresh nonce per page: 128 random bits, base64. */
export function createNonce(random: (bytes: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  return Buffer.from(random(16)).toString('base64');
}

/**
 * The page may run only its own nonce-tagged script and style; no network, no frames, no forms.
 * Images only as data: URIs (the page ships no files: `localResourceRoots` is empty).
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    'img-src data:',
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Puts this CSP first in <head> whatever the renderer wrote, so no renderer can loosen it: with two
 * policies a browser enforces both. A page without a <head> gets one.
 */
export function withContentSecurityPolicy(html: string, csp: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">`;
  if (/<head[^>]*>/i.test(html)) return html.replace(/<head[^>]*>/i, (head) => `${head}${meta}`);
  if (/<html[^>]*>/i.test(html)) return html.replace(/<html[^>]*>/i, (tag) => `${tag}<head>${meta}</head>`);
  return `<!DOCTYPE html><html><head>${meta}</head><body>${html}</body></html>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
