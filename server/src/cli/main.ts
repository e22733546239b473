#!/usr/bin/env node
import type { CliIo } from './io';
import { ExitCode } from './io';
import { PRODUCT_NAME } from './product';
import { runCli } from './run';

/** The `pglens` executable: wires the process to `runCli` and makes sure nothing escapes as a crash. */
const io: CliIo = {
  stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
  stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
  env: process.env,
};

// A reader that goes away early (`pglens check | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
  throw error;
});

runCli(process.argv.slice(2), io).then(
  (code) => {
    // Set, not process.exit(): a large report piped to another program must finish flushing first.
    process.exitCode = code;
  },
  (error: unknown) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${PRODUCT_NAME}: internal error; please report it with the command you ran.\n${detail}\n`);
    process.exitCode = ExitCode.usage;
  },
);
