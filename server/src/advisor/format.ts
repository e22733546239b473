/** Costs and sizes as the advisor shows them to people. */
export function formatCost(cost: number): string {
  return cost.toLocaleString('en-US', { maximumFractionDigits: cost < 100 ? 2 : 0 });
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

/** `−42%`, `−99.7%`, `−99.96%`: the share of the cost an index saves, never rounded up to 100%. */
export function formatReduction(costBefore: number, costAfter: number): string {
  const share = costBefore > 0 ? 1 - costAfter / costBefore : 0;
  const digits = share > 0.999 ? 2 : share > 0.99 ? 1 : 0;
  const factor = 10 ** digits;
  return `−${(Math.floor(share * 100 * factor) / factor).toFixed(digits)}%`;
}
