import type { OutputStream } from '../io';

/**
 * Colour only for a terminal, as the conventions ask: NO_COLOR (https://no-color.org) turns it off,
 * FORCE_COLOR turns it on (for CI logs that render ANSI), `FORCE_COLOR=0` off.
 */
export function colorEnabled(stream: OutputStream, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.NO_COLOR) return false;
  return stream.isTTY && env.TERM !== 'dumb';
}

export interface Palette {
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const ANSI: Palette = { red: sgr(31, 39), yellow: sgr(33, 39), blue: sgr(34, 39), dim: sgr(2, 22), bold: sgr(1, 22) };

const PLAIN: Palette = { red: String, yellow: String, blue: String, dim: String, bold: String };

export function palette(enabled: boolean): Palette {
  return enabled ? ANSI : PLAIN;
}
