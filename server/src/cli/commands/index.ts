import type { CliCommand } from '../command';
import { checkCommand } from './check';

/** Every subcommand, in the order `pglens --help` lists them. `explain` and `advise` join when they exist. */
export const COMMANDS: readonly CliCommand[] = [checkCommand];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}
