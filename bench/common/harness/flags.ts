/**
 * A scenario's command-line flags, declared once: each flag knows how it is
 * parsed, checked and described, so the parser, the `--help` text, `npm run
 * bench`'s argument split and the command line a summary records all come
 * from the same declaration.
 */

/** A bad or unknown flag (or --help): the CLI prints the message and the scenario's usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string = '',
  ) {
    super(message);
  }

  /** `--help`: the usage itself, printed alone with exit 0. */
  get isHelp(): boolean {
    return this.message === this.usage;
  }
}

export interface Flag<T> {
  /** How node:util parseArgs reads it. */
  kind: 'string' | 'boolean';
  /** `--name`, when it is not the option's key in kebab case (`--warmup` for warmupSeconds). */
  name?: string;
  /** What the value is called in the usage: N, LIST, MODE, DIR. */
  arg?: string;
  /** The usage line; `(default …)` is added from the scenario's defaults. */
  help: string;
  /** The raw value (undefined: absent) into the option; throws a message (without the flag) when bad. */
  parse(raw: string | boolean | undefined, fallback: T): T;
  /** The value as typed on a command line (for the default in the usage and a summary's command). */
  show?(value: T): string;
}

export type FlagSet<O> = { [K in keyof O]: Flag<O[K]> };

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const flagName = (key: string, flag: Flag<unknown>) => flag.name ?? kebab(key);

function number(raw: string, integer: boolean, min: number | undefined): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < (min ?? Number.MIN_VALUE) || (integer && !Number.isInteger(value))) {
    throw new Error(`expected ${integer ? 'a whole number' : 'a number'} ≥ ${min ?? '> 0'}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A number (> 0 unless `min` says otherwise; `integer` for whole numbers; `max` caps it). */
export function numeric(help: string, options: { integer?: boolean; min?: number; max?: number; name?: string } = {}): Flag<number> {
  return {
    kind: 'string',
    name: options.name,
    arg: 'N',
    help,
    parse: (raw, fallback) => {
      if (raw === undefined) return fallback;
      const value = number(String(raw), options.integer ?? false, options.min);
      if (options.max !== undefined && value > options.max) throw new Error(`at most ${options.max}, got ${value}`);
      return value;
    },
  };
}

/** A whole number ≥ `min` (default 1). */
export const count = (help: string, options: { min?: number; max?: number; name?: string } = {}) => numeric(help, { integer: true, min: 1, ...options });

/** One of a few words. */
export function choice<T extends string>(values: readonly T[], help: string, options: { name?: string } = {}): Flag<T> {
  return {
    kind: 'string',
    name: options.name,
    arg: 'MODE',
    help: `${help} (${values.join(' or ')})`,
    parse: (raw, fallback) => {
      if (raw === undefined) return fallback;
      if (!values.includes(raw as T)) throw new Error(`expected ${values.join(' or ')}, got ${JSON.stringify(raw)}`);
      return raw as T;
    },
  };
}

/** A comma-separated subset of `values`, duplicates dropped, in the order given. */
export function list<T extends string>(values: readonly T[], help: string): Flag<T[]> {
  return {
    kind: 'string',
    arg: 'LIST',
    help: `${help} (${values.join(',')})`,
    parse: (raw, fallback) => {
      if (raw === undefined) return fallback;
      const picked = String(raw)
        .split(',')
        .map((v) => v.trim());
      for (const v of picked) if (!values.includes(v as T)) throw new Error(`unknown value ${JSON.stringify(v)} (${values.join(', ')})`);
      return [...new Set(picked)] as T[];
    },
    show: (value) => value.join(','),
  };
}

/** A comma-separated list of numbers, ascending, duplicates dropped. */
export function numbers(help: string, options: { integer?: boolean; min?: number } = {}): Flag<number[]> {
  return {
    kind: 'string',
    arg: 'LIST',
    help,
    parse: (raw, fallback) => {
      const values = raw === undefined ? fallback : String(raw).split(',').map((v) => number(v.trim(), options.integer ?? false, options.min));
      return [...new Set(values)].sort((a, b) => a - b);
    },
    show: (value) => value.join(','),
  };
}

/** A boolean flag `--name` that turns the option off (`--no-pin` → pin: false). */
export function turnsOff(name: string, help: string): Flag<boolean> {
  return { kind: 'boolean', name, help, parse: (raw, fallback) => (raw === true ? false : fallback), show: () => '' };
}

/** A free-form value (a folder). */
export function text(help: string, arg = 'DIR'): Flag<string> {
  return { kind: 'string', arg, help, parse: (raw, fallback) => (raw === undefined ? fallback : String(raw)) };
}

/** How a value reads on a command line. */
export function showValue<T>(flag: Flag<T>, value: T): string {
  return flag.show ? flag.show(value) : String(value);
}

/** The options a flag set parses into. */
export type Values<F> = { [K in keyof F]: F[K] extends Flag<infer T> ? T : never };
