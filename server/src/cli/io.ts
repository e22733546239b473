/**
 * What a command may touch of the outside world. `main.ts` wires it to the process; keeping it in one
 * object lets commands run in-process (tests, a future `pglens` library entry) without globals.
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
}

export interface OutputStream {
  write(text: string): void;
  /** True when a person is probably watching (a terminal), which decides colour. */
  isTTY: boolean;
}

/** Exit statuses: CI scripts depend on these, so they never change meaning. */
export const ExitCode = {
  /** Nothing reached the `--fail-on` threshold. */
  ok: 0,
  /** Some finding reached the `--fail-on` threshold. */
  findings: 1,
  /** Bad command line or configuration; nothing was checked. */
  usage: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
