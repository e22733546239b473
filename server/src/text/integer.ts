/**
 * A whole number with en-US thousands separators (1234567.4 → "1,234,567"), as
 * `toLocaleString('en-US')` writes it, without a locale formatter: a hover formats a dozen numbers, and
 * Intl costs microseconds each.
 */
export function formatInteger(value: number): string {
  const rounded = Math.round(value);
  if (!Number.isSafeInteger(rounded)) return rounded.toLocaleString('en-US');
  const digits = String(Math.abs(rounded));
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return rounded < 0 ? `-${grouped}` : grouped;
}
