import { parseDocument, parse as parseYaml } from 'yaml';
import type { ConfigProblem } from './config-error';
import { SECRET_PATHS } from './config-schema';

/** A plain, mutable config tree before validation. */
export type RawConfig = Record<string, unknown>;

function isPlainObject(v: unknown): v is RawConfig {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep-merges `over` into `base` (objects merge, arrays and scalars replace) and records the source of
 * every key set by `over` so errors can say where a bad value came from.
 */
export function mergeConfig(
  base: RawConfig,
  over: RawConfig,
  source: string,
  origins: Map<string, string>,
  prefix = '',
): RawConfig {
  const out: RawConfig = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    const current = out[k];
    if (isPlainObject(v) && isPlainObject(current)) out[k] = mergeConfig(current, v, source, origins, key);
    else {
      out[k] = v;
      origins.set(key, source);
    }
  }
  return out;
}

/** Parses one YAML config file; secrets are refused in files so they cannot end up in a repo or backup. */
export function parseConfigFile(text: string, source: string, problems: ConfigProblem[]): RawConfig {
  let parsed: unknown;
  try {
    const doc = parseDocument(text, { logLevel: 'silent' });
    const [first] = doc.errors;
    if (first !== undefined) throw first;
    // An unknown tag (`!!js/function`), directive or YAML version is a mistake in a config file, not
    // something to accept with a warning on stderr.
    for (const w of doc.warnings)
      problems.push({ key: '(file)', message: `unsupported YAML: ${w.message.split('\n')[0]}`, source });
    parsed = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    problems.push({ key: '(file)', message: `not valid YAML: ${(error as Error).message}`, source });
    return {};
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed)) {
    problems.push({ key: '(file)', message: 'the top level must be a mapping of keys', source });
    return {};
  }
  if ('live' in parsed)
    problems.push({
      key: 'live',
      message: 'live trading cannot be confirmed from a file: set QTS_LIVE_CONFIRM=yes in the environment',
      source,
    });
  for (const path of SECRET_PATHS) {
    let node: unknown = parsed;
    for (const part of path) node = isPlainObject(node) ? node[part] : undefined;
    if (node !== undefined)
      problems.push({
        key: path.join('.'),
        message: 'secrets are not read from files: set it in the environment (see README, Configuration)',
        source,
      });
  }
  return parsed;
}

/** Environment variables with a fixed meaning (secrets, URLs, the live confirmation). */
const DIRECT_ENV: Readonly<Record<string, readonly string[]>> = {
  UPBIT_ACCESS_KEY: ['upbit', 'accessKey'],
  UPBIT_SECRET_KEY: ['upbit', 'secretKey'],
  UPBIT_REST_URL: ['upbit', 'restUrl'],
  UPBIT_WS_URL: ['upbit', 'wsUrl'],
  TELEGRAM_BOT_TOKEN: ['telegram', 'botToken'],
  TELEGRAM_CHAT_ID: ['telegram', 'chatId'],
  QTS_API_TOKEN: ['api', 'token'],
};

/** QTS_* variables that are not config keys (read by other parts of the system). */
export const NON_CONFIG_QTS_ENV: ReadonlySet<string> = new Set([
  'QTS_CONFIG',
  'QTS_LIVE_CONFIRM',
  'QTS_CACHE_DIR',
  'QTS_LOG_LEVEL',
  'QTS_STATE_DIR',
  'QTS_DATA_DIR',
  // Release label of the deployed build (deploy script / systemd unit), reported by the executor's health.
  'QTS_RELEASE',
  // Deployment wiring (resource names and the SSM path), set by serverless.yml / local-stack, not settings.
  'QTS_STATE_TABLE',
  'QTS_DECISION_QUEUE_URL',
  'QTS_DECISION_DLQ_URL',
  'QTS_CONTROL_QUEUE_URL',
  'QTS_CONTROL_DLQ_URL',
  'QTS_ALERT_QUEUE_URL',
  'QTS_ALERT_DLQ_URL',
  'QTS_SSM_PREFIX',
  'QTS_STAGE',
  // The local stack's secrets file (shared/src/adapters/system/local-secrets.ts), read by npm run ops.
  'QTS_SECRETS_FILE',
  // Where a running `npm start` describes itself for npm run ops (cli/start/stack-file.ts).
  'QTS_STACK_FILE',
  // Set by the test harness (shared/testing/emulators) for processes it spawns; never configuration.
  'QTS_EMULATOR_STATE_FILE',
  'QTS_EMULATOR_OWNER_PID',
]);

const normalise = (s: string) => s.replaceAll('_', '').toLowerCase();

function resolvePath(segments: readonly string[], shape: RawConfig): string[] | undefined {
  const path: string[] = [];
  let node: unknown = shape;
  for (const segment of segments) {
    if (!isPlainObject(node)) return undefined;
    const key = Object.keys(node).find((k) => normalise(k) === normalise(segment));
    if (key === undefined) return undefined;
    path.push(key);
    node = node[key];
  }
  return path;
}

function setPath(target: RawConfig, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    node[part] = isPlainObject(next) ? next : {};
    node = node[part] as RawConfig;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

function getPath(tree: RawConfig, path: readonly string[]): unknown {
  let node: unknown = tree;
  for (const part of path) node = isPlainObject(node) ? node[part] : undefined;
  return node;
}

function parseEnvValue(text: string, template: unknown): unknown {
  if (Array.isArray(template) && !text.trim().startsWith('['))
    return text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (typeof template === 'string') return text;
  try {
    // Warnings (an odd tag in a value) need no stderr noise: the schema judges the value.
    return parseYaml(text, { logLevel: 'silent' });
  } catch {
    return text;
  }
}

/**
 * Reads overrides from the environment. `QTS_A__B_C=v` sets key `a.bC` (segments split on `__`,
 * matched to existing keys ignoring case and underscores, so `QTS_STRATEGIES__MARKET_MAKING__WEIGHT`
 * finds `strategies.market_making.weight`). Comma lists become arrays. Unknown QTS_* names are errors.
 */
export function configFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  shape: RawConfig,
  origins: Map<string, string>,
  problems: ConfigProblem[],
): RawConfig {
  const out: RawConfig = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const direct = DIRECT_ENV[name];
    if (direct !== undefined) {
      setPath(out, direct, value);
      origins.set(direct.join('.'), `environment variable ${name}`);
      continue;
    }
    if (name === 'QTS_LIVE_CONFIRM') {
      if (value !== 'yes')
        problems.push({
          key: 'live.confirmed',
          message: `QTS_LIVE_CONFIRM must be exactly "yes" to allow live trading (got "${value}")`,
          source: 'environment variable QTS_LIVE_CONFIRM',
        });
      continue;
    }
    if (!name.startsWith('QTS_') || NON_CONFIG_QTS_ENV.has(name)) continue;
    const path = resolvePath(name.slice(4).split('__'), shape);
    if (path === undefined) {
      problems.push({
        key: name,
        message:
          'unknown environment variable: no config key matches (use QTS_<SECTION>__<KEY>, e.g. QTS_CAPITAL__TOTAL_KRW)',
        source: 'environment',
      });
      continue;
    }
    setPath(out, path, parseEnvValue(value, getPath(shape, path)));
    origins.set(path.join('.'), `environment variable ${name}`);
  }
  return out;
}
