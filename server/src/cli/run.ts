import { redact } from '../db/redact';
import { UsageError } from './args';
import type { CliCommand } from './command';
import { COMMANDS, findCommand } from './commands/index';
import { commandHelp, programHelp } from './help';
import { ExitCode, type CliIo } from './io';
import { PRODUCT_NAME, PRODUCT_VERSION } from './product';

/** `pglens <command> …`: picks the subcommand, handles help and version, turns usage errors into exit 2. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(programHelp(COMMANDS));
    return ExitCode.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const command = rest[0] === undefined ? undefined : findCommand(rest[0]);
    io.stdout.write(command ? commandHelp(command) : programHelp(COMMANDS));
    return ExitCode.ok;
  }
  if (first === '--version' || first === '-v' || first === '-V') {
    io.stdout.write(`${PRODUCT_VERSION}\n`);
    return ExitCode.ok;
  }
  const command = findCommand(first);
  if (!command) {
    const what = first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`;
    return usageFailure(io, PRODUCT_NAME, what, `${PRODUCT_NAME} --help`);
  }
  if (wantsHelp(rest)) {
    io.stdout.write(commandHelp(command));
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(io, commandName(command), error.message, `${commandName(command)} --help`);
    throw error;
  }
}

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

function commandName(command: CliCommand): string {
  return `${PRODUCT_NAME} ${command.name}`;
}

function usageFailure(io: CliIo, who: string, message: string, helpCommand: string): ExitCode {
  // A message may quote what was typed, e.g. a database URL given where another value belongs.
  io.stderr.write(`${who}: ${redact(message)}\nRun '${helpCommand}' for usage.\n`);
  return ExitCode.usage;
}
