import { formatOptions, type OptionSpec } from './args';
import type { CliCommand } from './command';
import { PRODUCT_NAME } from './product';

export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', description: 'Show this help and exit.' };

export function programHelp(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => `${command.name} ${command.operands}`.length));
  const lines = commands.map((command) => `  ${`${command.name} ${command.operands}`.padEnd(width)}  ${command.summary}`);
  return [
    `${PRODUCT_NAME}: PostgreSQL query analysis for .sql files and SQL inside TypeScript/JavaScript.`,
    '',
    `Usage: ${PRODUCT_NAME} <command> [options]`,
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help     Show this help and exit.',
    '  -v, --version  Print the version and exit.',
    '',
    `Run '${PRODUCT_NAME} <command> --help' for a command's options.`,
    '',
  ].join('\n');
}

export function commandHelp(command: CliCommand): string {
  return [
    `Usage: ${PRODUCT_NAME} ${command.name} ${command.operands} [options]`,
    '',
    `${command.summary}`,
    '',
    'Options:',
    formatOptions([...command.options, HELP_OPTION]),
    ...(command.epilogue ? ['', command.epilogue] : []),
    '',
  ].join('\n');
}
