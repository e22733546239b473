import { readdirSync, readFileSync } from 'node:fs';

/** Process ids whose command line contains every one of `parts` (Linux /proc). */
export function processesMatching(...parts: string[]): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let commandLine: string;
    try {
      commandLine = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue; // exited meanwhile
    }
    if (parts.every((part) => commandLine.includes(part))) pids.push(Number(name));
  }
  return pids.sort((a, b) => a - b);
}
