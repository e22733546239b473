import type { CliCommand } from '../command';
import { checkCommand } from './check';
import { explainCommand } from './explain';

/** Every subcommand, in the order `pglens --help` lists them. `advise` joins when it exists. */
export const COMMANDS: readonly CliCommand[] = [checkCommand, explainCommand];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}
