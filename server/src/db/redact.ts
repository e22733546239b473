/** Keeps passwords out of every message and log line pglens writes. */

const URL_CREDENTIALS = /\b(postgres(?:ql)?:\/\/[^:/?#@\s]*):([^@/?#\s]*)@/gi;
const PASSWORD_PARAM = /([?&]password=)[^&\s]*/gi;

/** `postgres://u:secret@h/db` → `postgres://u:***@h/db`, anywhere in `text`, plus any given secret. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(URL_CREDENTIALS, '$1:***@').replace(PASSWORD_PARAM, '$1***');
  for (const secret of secrets) {
    // Very short secrets would blank out ordinary words; the URL patterns above still apply.
    if (secret && secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}
