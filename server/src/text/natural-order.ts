/**
 * Natural order for migration names: runs of digits compare as numbers ("2_" before "10_"), everything
 * else by UTF-16 code unit. Locale-independent on purpose, so the order never changes with the machine.
 */
export function compareNatural(a: string, b: string): number {
  const left = chunks(a);
  const right = chunks(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = compareChunk(left[i], right[i]);
    if (order !== 0) return order;
  }
  if (left.length !== right.length) return left.length - right.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function chunks(text: string): string[] {
  return text.match(/\d+|\D+/g) ?? [];
}

function compareChunk(a: string, b: string): number {
  const aDigits = /^\d/.test(a);
  const bDigits = /^\d/.test(b);
  if (aDigits && bDigits) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
