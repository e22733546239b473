/**
 * A small declarative option parser. Node's `util.parseArgs` exists, but its errors ("ambiguous
 * argument", long advice about `--`) are not the one-line messages users should get, and it cannot say
 * which values an option accepts. This one knows both.
 */
export interface OptionSpec {
  /** Long name without dashes, e.g. `format`. */
  name: string;
  /** Single-letter alias without the dash, e.g. `h`. */
  short?: string;
  /** Takes a value (`--format json` or `--format=json`); otherwise a boolean switch. */
  value?: {
    /** Shown in help, e.g. `FILE`. */
    placeholder: string;
    /** The accepted values; any value when absent. */
    choices?: readonly string[];
  };
  description: string;
}

export interface ParsedArgs {
  /** Values by long name; a switch is `true`, a repeated option keeps its last value. */
  options: Map<string, string | true>;
  /** Every value of each option that takes one, in order: what a repeatable option (`--param`) reads. */
  values: Map<string, string[]>;
  positionals: string[];
}

/** A mistake on the command line: the caller prints it with a hint to `--help` and exits 2. */
export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const options = new Map<string, string | true>();
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const flag = equals > 0 && arg.startsWith('--') ? arg.slice(0, equals) : arg;
    const spec = arg.startsWith('--')
      ? specs.find((s) => s.name === flag.slice(2))
      : specs.find((s) => s.short !== undefined && s.short === flag.slice(1));
    if (!spec) throw new UsageError(`unknown option '${flag}'`);
    if (!spec.value) {
      if (flag !== arg) throw new UsageError(`option '--${spec.name}' takes no value`);
      options.set(spec.name, true);
      continue;
    }
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(equals + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') {
      throw new UsageError(`option '--${spec.name}' needs a value: ${describeValue(spec)}`);
    }
    if (spec.value.choices && !spec.value.choices.includes(value)) {
      throw new UsageError(`option '--${spec.name}' does not accept '${value}': use ${describeValue(spec)}`);
    }
    options.set(spec.name, value);
    values.set(spec.name, [...(values.get(spec.name) ?? []), value]);
  }
  return { options, values, positionals };
}

function describeValue(spec: OptionSpec): string {
  const choices = spec.value?.choices;
  return choices ? choices.join(', ') : (spec.value?.placeholder ?? '');
}

/** The option lines of a command's help, aligned. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const heads = specs.map((spec) => {
    const long = `--${spec.name}${spec.value ? ` ${spec.value.placeholder}` : ''}`;
    return spec.short ? `-${spec.short}, ${long}` : `    ${long}`;
  });
  const width = Math.max(...heads.map((head) => head.length));
  return specs.map((spec, i) => `  ${heads[i].padEnd(width)}  ${spec.description}`).join('\n');
}
