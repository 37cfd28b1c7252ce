import { isAbsolute, join, resolve } from 'node:path';
import { type CommandSpec, numberOption, type ParsedOptions, stringOption, UsageError } from '../lib/args';
import { REPO_ROOT } from './stack-file';

/** `npm start`'s interface. */
export const START_SPEC: CommandSpec = {
  usage: 'npm start -- [--exchange upbit|sim] [--mode paper|live] [--port 8080] [--markets KRW-BTC,...]',
  summary:
    'Runs the whole system on this machine until Ctrl+C: DynamoDB Local + SQS emulators (state kept in .qts/), the executor, the minute analysis and risk check every minute and the daily report at 09:00 KST (the same function handlers AWS runs), the HTTP API and the Korean dashboard, and Telegram alerts when configured. Paper trading on real Upbit market data by default (no keys needed); --exchange sim runs fully offline on the bundled fake exchange.',
  options: [
    {
      name: 'exchange',
      type: 'string',
      value: 'upbit|sim',
      description: 'Market data (and paper fills) from real Upbit, or from the bundled fake exchange.',
      defaultText: 'upbit (QTS_EXCHANGE)',
    },
    {
      name: 'mode',
      type: 'string',
      value: 'paper|live',
      description:
        'live sends real orders: needs --exchange upbit, UPBIT_ACCESS_KEY, UPBIT_SECRET_KEY and QTS_LIVE_CONFIRM=yes.',
      defaultText: 'paper (QTS_MODE)',
    },
    {
      name: 'port',
      type: 'string',
      value: 'N',
      description: 'Port of the dashboard and API on 127.0.0.1 (0 = any free port).',
      defaultText: 'api.port, 8080',
    },
    {
      name: 'markets',
      type: 'string',
      value: 'LIST',
      description: 'Comma-separated KRW markets to trade.',
      defaultText: 'markets in config, the 5 seed markets',
    },
    {
      name: 'state-dir',
      type: 'string',
      value: 'DIR',
      description: 'Where DynamoDB data, the paper account and the sim account persist between runs.',
      defaultText: '.qts/stack/<exchange>-<mode>',
    },
    {
      name: 'sim-port',
      type: 'string',
      value: 'N',
      description: 'Port of the fake exchange with --exchange sim (0 = any free port).',
      defaultText: '0',
    },
    {
      name: 'sim-speed',
      type: 'string',
      value: 'N',
      description:
        "With --exchange sim: run the fake exchange's market N times faster than the wall clock (a soak test's one simulated day in an hour at 24).",
      defaultText: '1',
    },
    {
      name: 'executor-ops-port',
      type: 'string',
      value: 'N',
      description: "Port of the executor's /healthz, /metrics and /drain on 127.0.0.1 (0 = any free port).",
      defaultText: '0',
    },
    {
      name: 'ready-file',
      type: 'string',
      value: 'PATH',
      description: 'Write the stack description (JSON: URLs, pids, ports) there once everything is up.',
    },
    {
      name: 'json-logs',
      type: 'boolean',
      description: 'One JSON object per log line instead of readable lines.',
    },
  ],
  examples: [
    'npm start                                   # paper trading on real Upbit data, dashboard on http://127.0.0.1:8080',
    'npm start -- --exchange sim                 # fully offline: the bundled fake exchange',
    'npm start -- --exchange sim --port 0 --state-dir /tmp/qts --ready-file /tmp/qts/ready.json --json-logs',
    'npm start -- --markets KRW-BTC,KRW-ETH',
  ],
  notes: [
    'The dashboard asks for the API token: QTS_API_TOKEN, or the one printed at start when it is not set.',
    'Operator commands against the running stack from another terminal: npm run ops -- status | emergency-stop | close-all | release | report | strategy (they find it through .qts/stack.json, or QTS_STACK_FILE).',
    'Reset: stop it, then delete its state directory (e.g. rm -rf .qts/stack/sim-paper).',
    'Logs: QTS_LOG_LEVEL=debug|info|warn|error. Telegram: TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID.',
    'Exit codes: 0 stopped cleanly, 1 failed to start or a component failed for good, 2 usage or configuration error.',
  ],
};

/** What the command line asked for, after defaults. */
export interface StartOptions {
  readonly exchange: 'upbit' | 'sim';
  readonly mode: 'paper' | 'live';
  readonly port: number | undefined;
  readonly markets: string | undefined;
  readonly stateDir: string;
  readonly simPort: number;
  /** Time acceleration of the sim's market (1 = real time). */
  readonly simSpeed: number;
  readonly executorOpsPort: number;
  readonly readyFile: string | undefined;
  readonly jsonLogs: boolean;
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  what: string,
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${what} must be ${allowed.join(' or ')}, got "${value}"`);
}

const port = (options: ParsedOptions, name: string): number | undefined =>
  stringOption(options, name) === undefined
    ? undefined
    : numberOption(options, name, 0, { min: 0, max: 65_535, integer: true });

/** Flags over the environment (QTS_EXCHANGE, QTS_MODE) over `npm start`'s defaults (upbit, paper). */
export function startOptions(
  options: ParsedOptions,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): StartOptions {
  const exchange =
    oneOf(stringOption(options, 'exchange'), ['upbit', 'sim'], '--exchange') ??
    oneOf(env.QTS_EXCHANGE, ['upbit', 'sim'], 'QTS_EXCHANGE') ??
    'upbit';
  const mode =
    oneOf(stringOption(options, 'mode'), ['paper', 'live'], '--mode') ??
    oneOf(env.QTS_MODE, ['paper', 'live'], 'QTS_MODE') ??
    'paper';
  const dir = stringOption(options, 'state-dir');
  const ready = stringOption(options, 'ready-file');
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    exchange,
    mode,
    port: port(options, 'port'),
    markets: stringOption(options, 'markets'),
    stateDir: dir === undefined ? join(REPO_ROOT, '.qts', 'stack', `${exchange}-${mode}`) : abs(dir),
    simPort: port(options, 'sim-port') ?? 0,
    simSpeed: numberOption(options, 'sim-speed', 1, { min: 1, max: 1_000 }),
    executorOpsPort: port(options, 'executor-ops-port') ?? 0,
    readyFile: ready === undefined ? undefined : abs(ready),
    jsonLogs: options['json-logs'] === true,
  };
}

/** The config overrides the flags stand for (the schema then validates them, live-mode guard included). */
export function configOverrides(o: StartOptions): Record<string, string> {
  return {
    QTS_EXCHANGE: o.exchange,
    QTS_MODE: o.mode,
    ...(o.markets === undefined ? {} : { QTS_MARKETS: o.markets }),
    ...(o.port === undefined ? {} : { QTS_API__PORT: String(o.port) }),
  };
}
