import { parseArgs } from 'node:util';
import { type EpochMs, parseIsoUtc } from '../../shared/src/domain/time/epoch';

/** One command-line option: how it is typed and what `--help` says about it. */
export interface OptionSpec {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly description: string;
  /** Placeholder shown in help, e.g. `ISO` for `--from ISO`. */
  readonly value?: string;
  /** Default shown in help (the command applies it; the parser does not). */
  readonly defaultText?: string;
  readonly short?: string;
}

/** A command's interface: name, one-line purpose, options and worked examples for `--help`. */
export interface CommandSpec {
  readonly usage: string;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  readonly examples?: readonly string[];
  readonly notes?: readonly string[];
}

/** Parsed options: strings for valued options, booleans for flags; absent ones are missing. */
export type ParsedOptions = Readonly<Record<string, string | boolean | undefined>>;

/** A user mistake on the command line; the CLI prints it with a pointer to `--help` and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const HELP: OptionSpec = {
  name: 'help',
  type: 'boolean',
  short: 'h',
  description: 'Show this help and exit.',
};

/**
 * Parses argv strictly (unknown options and stray positionals are errors, so a typo like `--captial`
 * never silently runs with a default). `--help` is added to every command.
 */
export function parseCommandLine(
  argv: readonly string[],
  spec: CommandSpec,
): { options: ParsedOptions; help: boolean } {
  const all = [...spec.options, HELP];
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const o of all)
    config[o.name] = o.short === undefined ? { type: o.type } : { type: o.type, short: o.short };
  try {
    const { values } = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: false });
    const options = values as Record<string, string | boolean | undefined>;
    return { options, help: options.help === true };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The `--help` text: usage, summary, aligned options with defaults, examples and notes. */
export function helpText(spec: CommandSpec): string {
  const all = [...spec.options, HELP];
  const left = all.map(
    (o) =>
      `${o.short === undefined ? '    ' : `-${o.short}, `}--${o.name}${o.value === undefined ? '' : ` ${o.value}`}`,
  );
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, '', 'Options:'];
  all.forEach((o, i) => {
    const def = o.defaultText === undefined ? '' : ` (default: ${o.defaultText})`;
    lines.push(`  ${(left[i] as string).padEnd(width)}${o.description}${def}`);
  });
  if (spec.examples !== undefined && spec.examples.length > 0)
    lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  if (spec.notes !== undefined && spec.notes.length > 0) lines.push('', ...spec.notes);
  return `${lines.join('\n')}\n`;
}

/** A string option, or undefined when absent. */
export function stringOption(options: ParsedOptions, name: string): string | undefined {
  const v = options[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * `f()`, with any error it throws turned into a {@link UsageError}: for parsers from the domain
 * (markets, timeframes, metrics) whose messages already name the bad value, so the CLI prints them
 * as a command-line mistake (exit 2) instead of a crash.
 */
export function asUsageError<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** An ISO-8601 time option as epoch ms, or undefined when absent; the error names the option. */
export function timeOption(options: ParsedOptions, name: string): EpochMs | undefined {
  const text = stringOption(options, name);
  if (text === undefined) return undefined;
  try {
    return parseIsoUtc(text);
  } catch {
    throw new UsageError(
      `--${name} must be an ISO-8601 time like 2026-10-01 or 2026-10-01T09:00:00+09:00, got "${text}"`,
    );
  }
}

/** A number option checked against a range; the error names the option and the accepted range. */
export function numberOption(
  options: ParsedOptions,
  name: string,
  fallback: number,
  range: { readonly min?: number; readonly max?: number; readonly integer?: boolean } = {},
): number {
  const text = stringOption(options, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  const bad =
    text.trim() === '' ||
    !Number.isFinite(n) ||
    (range.integer === true && !Number.isInteger(n)) ||
    (range.min !== undefined && n < range.min) ||
    (range.max !== undefined && n > range.max);
  if (bad) {
    const kind = range.integer === true ? 'an integer' : 'a number';
    const bounds = [
      range.min === undefined ? '' : `≥ ${range.min}`,
      range.max === undefined ? '' : `≤ ${range.max}`,
    ]
      .filter((s) => s !== '')
      .join(' and ');
    throw new UsageError(`--${name} must be ${kind}${bounds === '' ? '' : ` ${bounds}`}, got "${text}"`);
  }
  return n;
}
