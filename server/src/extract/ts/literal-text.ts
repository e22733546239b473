import { matchBinding, type BindingSyntax } from './bindings';
import { readEscape } from './escapes';
import type { SqlAssembler } from './sql-assembler';

/**
 * Appends the cooked value of a literal's raw source text [start, end) — the part between the quotes,
 * backticks or `}`…`${` — to `out`. Plain runs map character for character; each escape sequence,
 * template line break (`\r\n` cooks to `\n`) and binding maps as one piece onto its raw span.
 */
export function appendLiteralText(
  out: SqlAssembler,
  text: string,
  start: number,
  end: number,
  template: boolean,
  bindings: BindingSyntax,
): void {
  let run = start;
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    let next = -1;
    if (code === 0x24 /* $ */ || code === 0x3f /* ? */ || code === 0x3a /* : */ || (code === 0x5c /* \ */ && bindings.knex)) {
      // Bring the assembled SQL up to here first: whether `?` or `:name` is a binding depends on it.
      out.verbatim(text, run, i);
      run = i;
      const binding = matchBinding(text, i, end, bindings, out);
      if (binding) {
        if (binding.literal !== undefined) out.substitute(binding.literal, i, binding.end);
        else out.placeholder(i, binding.end, binding.raw, binding.key, binding.fixed);
        next = binding.end;
      }
    }
    if (next < 0 && code === 0x5c) {
      out.verbatim(text, run, i);
      const escape = readEscape(text, i, end);
      out.substitute(escape.cooked, i, escape.end);
      next = escape.end;
    } else if (next < 0 && code === 0x0d && template) {
      out.verbatim(text, run, i);
      next = text.charCodeAt(i + 1) === 0x0a && i + 1 < end ? i + 2 : i + 1;
      out.substitute('\n', i, next);
    }
    if (next < 0) i++;
    else i = run = next;
  }
  out.verbatim(text, run, i);
}
