import type { CliCommand } from '../command';
import { adviseCommand } from './advise';
import { checkCommand } from './check';
import { explainCommand } from './explain';

/** Every subcommand, in the order `pglens --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [checkCommand, explainCommand, adviseCommand];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}
