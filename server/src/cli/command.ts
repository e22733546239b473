import type { OptionSpec } from './args';
import type { CliIo, ExitCode } from './io';

/** One `pglens <name>` subcommand. Each lives in its own file under `commands/` and is listed in `commands/index.ts`. */
export interface CliCommand {
  name: string;
  /** One line for `pglens --help`. */
  summary: string;
  /** Positional arguments as shown in usage, e.g. `[PATH…]`. */
  operands: string;
  /** Options besides `--help`, which every command has. */
  options: readonly OptionSpec[];
  /** Extra help after the option list (exit statuses, examples). */
  epilogue?: string;
  /** Runs with the arguments after the command name; `--help` has been handled already. */
  run(argv: readonly string[], io: CliIo): Promise<ExitCode>;
}
