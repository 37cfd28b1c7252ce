import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type ConfigProblem, toConfigProblems } from './config-error';
import { type AppConfig, configSchema } from './config-schema';
import { configFromEnv, mergeConfig, parseConfigFile, type RawConfig } from './config-sources';

/** The shipped defaults, next to the repository root. */
export const DEFAULT_CONFIG_PATH = resolve(__dirname, '../../../config/default.yaml');

/** Inputs of {@link loadConfig}; injectable so tests never touch the real environment or disk. */
export interface LoadConfigOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly readFile?: (path: string) => string;
  readonly defaultPath?: string;
}

function read(
  path: string,
  readFile: (p: string) => string,
  problems: ConfigProblem[],
  what: string,
): string | undefined {
  try {
    return readFile(path);
  } catch (error) {
    problems.push({ key: '(file)', message: `cannot read ${what} ${path}: ${(error as Error).message}` });
    return undefined;
  }
}

/**
 * Builds the configuration once at start from, in order: `config/default.yaml`, the user file named
 * by `QTS_CONFIG`, and environment variables. Throws a {@link ConfigError} listing every problem.
 * Paper mode is the default; live mode needs keys and `QTS_LIVE_CONFIRM=yes` (see config-schema).
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = options.env ?? process.env;
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const problems: ConfigProblem[] = [];
  const origins = new Map<string, string>();

  const defaultPath = options.defaultPath ?? DEFAULT_CONFIG_PATH;
  const defaultText = read(defaultPath, readFile, problems, 'the default config');
  const defaults =
    defaultText === undefined ? {} : parseConfigFile(defaultText, 'config/default.yaml', problems);
  let merged: RawConfig = mergeConfig({}, defaults, 'config/default.yaml', origins);

  const userPath = env.QTS_CONFIG;
  if (userPath !== undefined && userPath !== '') {
    const text = read(userPath, readFile, problems, 'QTS_CONFIG file');
    if (text !== undefined)
      merged = mergeConfig(merged, parseConfigFile(text, userPath, problems), userPath, origins);
  }
  const envOrigins = new Map<string, string>();
  merged = mergeConfig(merged, configFromEnv(env, defaults, envOrigins, problems), 'environment', origins);
  for (const [key, source] of envOrigins) origins.set(key, source);
  // Only the environment can confirm live trading; files and QTS_* keys cannot reach this flag.
  merged.live = { confirmed: env.QTS_LIVE_CONFIRM === 'yes' };
  origins.set('live.confirmed', 'environment variable QTS_LIVE_CONFIRM');
  if (problems.length > 0) throw new ConfigError(problems);

  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(toConfigProblems(result.error.issues, origins));
  return result.data;
}

/** The configuration as YAML-ready plain data with every secret shown as `***` (for `--print-config`, logs). */
export function redactedConfig(config: AppConfig): unknown {
  return JSON.parse(JSON.stringify(config));
}
