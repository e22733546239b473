import { formatInteger } from '../../text/integer';

/**
 * Numbers as the plan view shows them: short in the columns, exact in tooltips. Every function is pure
 * and locale-independent (en-US separators) so the page reads the same on every machine.
 */
const exact = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${formatInteger(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 0.1 || ms === 0) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function formatCost(cost: number): string {
  return cost >= 100 ? formatInteger(cost) : exact.format(cost);
}

/** 1234 → 1,234; 1234567 → 1.2M. PostgreSQL 18 reports fractional rows per loop. */
export function formatRows(rows: number): string {
  if (rows >= 10_000_000) return `${(rows / 1_000_000).toFixed(0)}M`;
  if (rows >= 1_000_000) return `${(rows / 1_000_000).toFixed(1)}M`;
  if (rows >= 100_000) return `${Math.round(rows / 1000)}k`;
  return Number.isInteger(rows) || rows >= 100 ? formatInteger(rows) : rows.toFixed(2);
}

export function formatExactRows(rows: number): string {
  return exact.format(rows);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${bytes} B`;
}

/** Blocks of 8 kB as a size, for buffer tooltips. */
export function formatBlocks(blocks: number): string {
  return `${formatInteger(blocks)} blocks (${formatBytes(blocks * 8192)})`;
}

export function formatShare(share: number): string {
  if (share > 0 && share < 0.01) return '<1%';
  return `${Math.round(share * 100)}%`;
}

/** 42.3 → "42×", 3.25 → "3.3×". */
export function formatFactor(factor: number): string {
  return factor >= 100 ? `${formatInteger(factor)}×` : `${Math.round(factor * 10) / 10}×`;
}
