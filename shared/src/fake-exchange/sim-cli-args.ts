import { parseArgs } from 'node:util';
import { isMarket } from '../domain/market/market-id';
import { parseDecimal } from '../domain/money/decimal';
import type { FakeExchangeOptions, FaultSettings } from './fake-exchange-api';
import { RateGroup } from './rate-limiter';

/** A command-line mistake: printed with a pointer to `--help`, exit code 2. */
export class SimUsageError extends Error {
  override readonly name = 'SimUsageError';
}

/** What `npm run sim` was asked to do. */
export type SimCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly options: FakeExchangeOptions; readonly json: boolean };

/** `npm run sim -- --help`: every option, its default and an example (kept next to the parser on purpose). */
export const SIM_HELP = `Fake Upbit exchange: REST /v1, WebSocket /websocket/v1 and /websocket/v1/private, matching engine.

Usage: npm run sim -- [options]

Options:
  --port N              port to listen on (default 7070; 0 = any free port, the URL is printed)
  --host ADDR           interface to bind (default 127.0.0.1)
  --data FILE|DIR       replay candles instead of a random walk: Upbit candle JSON (as GET /v1/candles
                        returns it) or CSV timestamp,open,high,low,close,volume (ms or ISO); a directory
                        holds one KRW-XXX*.json|csv per market. The bar length is detected.
  --tape DIR            replay a recorded tape instead: the executor's recorder root
                        (DIR/YYYY-MM-DD/KRW-XXX.trades.csv.gz and .orderbook.jsonl.gz): trades and books in
                        time order over the WebSocket, candles and quotation REST built from them, and
                        orders matched against them by the backtester's tape fill model. Sim time starts
                        at the tape's first event; no seeded history. --markets narrows the markets.
  --from T, --to T      replay only [from, to) of the tape: an ISO time (UTC unless it has a zone) or a
                        day YYYY-MM-DD (a KST day, as the recorder's directories; --to includes it)
  --markets LIST        markets to list, e.g. KRW-BTC,KRW-DOGE=350 (=start price in KRW for the random
                        walk). Default KRW-BTC,KRW-ETH,KRW-XRP,KRW-ADA,KRW-SOL; with --data: the data's markets
                        (--market is accepted too, e.g. to name the market of a single data file)
  --speed N             run sim time N times faster than the wall clock (default 1)
  --history-days N      start with N days of 1-minute candles (from a UTC midnight), a year of day
                        candles before them and the last 500 trades, continued by the live market
                        (default 2; 0 = start with an empty tape; at most 7)
  --seed N              seed of the market, order uuids and random faults (default 1): same seed, same run
  --balance LIST        starting balances, e.g. KRW=10000000,BTC=0.1 (default KRW=10000000)
  --state FILE          keep balances and orders in FILE across restarts (default: in memory only)
  --faults LIST         fault injection from the start, e.g. latency=200,fail-next=3,fail-status=503,
                        error-rate=0.05,timeout-after-accept=1,drop-ws-every=30000 (ms)
  --rate-limit SPEC     on (default, Upbit's limits), off, or per-group limits e.g. order=2,default=5
                        (groups: ${Object.values(RateGroup).join(', ')})
  --ban-after N         answer 418 after N consecutive 429s (default 0 = never)
  --idle-timeout MS     drop silent WebSockets after MS (default 120000)
  --no-control-api      do not serve the test-only control API under /_sim
  --json                print one JSON line with the URLs and keys on stdout, nothing else
  -h, --help            this help

Keys: clients sign JWTs with SIM_ACCESS_KEY / SIM_SECRET_KEY (environment); the defaults are printed at
start. Stop with Ctrl-C (SIGINT) or SIGTERM: open sockets are closed and --state is saved.

Control API (test-only, same port): GET /_sim/status; POST /_sim/faults {"latencyMs":200,"failNext":2,
"failStatus":503,"errorRate":0.1,"timeoutAfterAccept":1,"dropWebSockets":true,"staleBook":true,"rateLimits":{"order":1}};
POST /_sim/book {"market":"KRW-BTC","bids":[["99000000","1"]],"asks":[["100000000","1"]]};
POST /_sim/trade {"market":"KRW-BTC","price":"100000000","volume":"0.1","takerSide":"bid"};
POST /_sim/balance {"currency":"KRW","amount":"5000000"}.
`;

function intArg(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max)
    throw new SimUsageError(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

function pairs(name: string, text: string): [string, string | undefined][] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const eq = item.indexOf('=');
      if (eq === 0) throw new SimUsageError(`--${name}: "${item}" has no name before "="`);
      return eq < 0 ? [item, undefined] : [item.slice(0, eq).trim(), item.slice(eq + 1).trim()];
    });
}

/** `KRW=10000000,BTC=0.1` → balances (decimal strings checked, currencies upper-case). */
export function parseBalances(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [currency, amount] of pairs('balance', text)) {
    if (!/^[A-Za-z0-9]{1,16}$/.test(currency) || amount === undefined)
      throw new SimUsageError(
        `--balance wants CURRENCY=AMOUNT pairs, e.g. KRW=10000000,BTC=0.1; got "${text}"`,
      );
    try {
      if (parseDecimal(amount).isNegative()) throw new Error('negative');
    } catch {
      throw new SimUsageError(`--balance ${currency}: "${amount}" is not a non-negative decimal`);
    }
    out[currency.toUpperCase()] = amount;
  }
  return out;
}

/** `KRW-BTC,KRW-DOGE=350` → markets and optional random-walk start prices. */
export function parseMarkets(text: string): { markets: string[]; startPrices: Record<string, number> } {
  const markets: string[] = [];
  const startPrices: Record<string, number> = {};
  for (const [raw, price] of pairs('markets', text)) {
    const market = raw.toUpperCase();
    if (!isMarket(market) || !market.startsWith('KRW-'))
      throw new SimUsageError(`--markets: "${raw}" is not a KRW market code like KRW-BTC`);
    markets.push(market);
    if (price !== undefined) {
      const p = Number(price);
      if (!(Number.isFinite(p) && p >= 0.00000001 && p <= 1e12))
        throw new SimUsageError(
          `--markets ${market}: start price "${price}" must be a KRW price from 0.00000001 to 1e12`,
        );
      startPrices[market] = p;
    }
  }
  if (markets.length === 0) throw new SimUsageError('--markets needs at least one market');
  return { markets, startPrices };
}

const FAULT_KEYS = [
  'latency',
  'fail-next',
  'fail-status',
  'error-rate',
  'timeout-after-accept',
  'drop-ws-every',
];

/** `latency=200,fail-next=3,...` → fault settings (see {@link SIM_HELP}). */
export function parseFaults(text: string): FaultSettings {
  const f: { -readonly [K in keyof FaultSettings]: FaultSettings[K] } = {};
  for (const [key, value] of pairs('faults', text)) {
    const bad = () =>
      new SimUsageError(`--faults ${key}: bad value "${value ?? ''}" (keys: ${FAULT_KEYS.join(', ')})`);
    if (value === undefined || !FAULT_KEYS.includes(key)) throw bad();
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw bad();
    if (key === 'latency') f.latencyMs = n;
    else if (key === 'fail-next') f.failNext = Math.floor(n);
    else if (key === 'fail-status') {
      if (n < 400 || n > 599) throw bad();
      f.failStatus = n;
    } else if (key === 'error-rate') {
      if (n > 1) throw bad();
      f.errorRate = n;
    } else if (key === 'timeout-after-accept') f.timeoutAfterAccept = Math.floor(n);
    else f.dropWebSocketsEveryMs = n;
  }
  return f;
}

/** `on` | `off` | `order=2,default=5` → the limiter setting. */
export function parseRateLimit(text: string): boolean | Record<string, number> {
  if (text === 'on') return true;
  if (text === 'off') return false;
  const groups = new Set<string>(Object.values(RateGroup));
  const out: Record<string, number> = {};
  for (const [group, value] of pairs('rate-limit', text)) {
    const n = Number(value);
    if (!groups.has(group) || value === undefined || !Number.isInteger(n) || n < 0)
      throw new SimUsageError(
        `--rate-limit: "${group}=${value ?? ''}" is not GROUP=N (groups: ${[...groups].join(', ')})`,
      );
    out[group] = n;
  }
  return out;
}

/**
 * Reads `npm run sim` arguments and the key variables. `env` is passed in (the CLI is the composition
 * root; nothing below it reads the environment).
 */
export function parseSimArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): SimCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        tape: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        markets: { type: 'string' },
        market: { type: 'string' },
        speed: { type: 'string' },
        'history-days': { type: 'string' },
        seed: { type: 'string' },
        balance: { type: 'string' },
        state: { type: 'string' },
        faults: { type: 'string' },
        'rate-limit': { type: 'string' },
        'ban-after': { type: 'string' },
        'idle-timeout': { type: 'string' },
        'no-control-api': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    throw new SimUsageError((e as Error).message);
  }
  if (values.help === true) return { kind: 'help' };
  const str = (k: string) => values[k] as string | undefined;
  const speedText = str('speed');
  const speed = speedText === undefined ? undefined : Number(speedText);
  if (speed !== undefined && !(speed > 0 && speed <= 100_000))
    throw new SimUsageError(`--speed must be a number above 0 (at most 100000), got "${speedText}"`);
  const marketsText = str('markets') ?? str('market');
  const markets = marketsText === undefined ? undefined : parseMarkets(marketsText);
  if (str('tape') !== undefined && str('data') !== undefined)
    throw new SimUsageError('--tape and --data both replay a market: pick one');
  if (str('tape') === undefined && (str('from') !== undefined || str('to') !== undefined))
    throw new SimUsageError('--from/--to select part of a tape: use them with --tape DIR');
  const tapeWindow = {
    ...optionalInt('from', tapeTime('from', str('from'), false)),
    ...optionalInt('to', tapeTime('to', str('to'), true)),
  };
  if (tapeWindow.from !== undefined && tapeWindow.to !== undefined && !(tapeWindow.from < tapeWindow.to))
    throw new SimUsageError('--from must be before --to');
  const options: FakeExchangeOptions = {
    port: intArg('port', str('port'), 0, 65_535) ?? 7070,
    host: str('host') ?? '127.0.0.1',
    seed: intArg('seed', str('seed'), 0, 0xffffffff) ?? 1,
    controlApi: values['no-control-api'] !== true,
    ...(speed === undefined ? {} : { speed }),
    ...historyOption(intArg('history-days', str('history-days'), 0, 7)),
    ...(str('data') === undefined ? {} : { dataPath: str('data') as string }),
    ...(str('tape') === undefined ? {} : { tapePath: str('tape') as string, tapeWindow }),
    ...(markets === undefined ? {} : { markets: markets.markets, startPrices: markets.startPrices }),
    ...(str('balance') === undefined ? {} : { balances: parseBalances(str('balance') as string) }),
    ...(str('state') === undefined ? {} : { statePath: str('state') as string }),
    ...(str('faults') === undefined ? {} : { faults: parseFaults(str('faults') as string) }),
    ...(str('rate-limit') === undefined ? {} : { rateLimits: parseRateLimit(str('rate-limit') as string) }),
    ...optionalInt('banAfter429s', intArg('ban-after', str('ban-after'), 0, 1_000_000)),
    ...optionalInt('idleTimeoutMs', intArg('idle-timeout', str('idle-timeout'), 1_000, 3_600_000)),
    ...(env.SIM_ACCESS_KEY ? { accessKey: env.SIM_ACCESS_KEY } : {}),
    ...(env.SIM_SECRET_KEY ? { secretKey: env.SIM_SECRET_KEY } : {}),
  };
  return { kind: 'run', options, json: values.json === true };
}

const KST_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** `--from/--to`: an ISO time, or a KST day (start of it; `--to` takes the whole day). */
function tapeTime(name: string, text: string | undefined, end: boolean): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const ms = KST_DAY.test(t)
    ? Date.parse(`${t}T00:00:00+09:00`) + (end ? DAY_MS : 0)
    : Date.parse(/([zZ]|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t}Z`);
  if (Number.isNaN(ms))
    throw new SimUsageError(`--${name} must be an ISO time or a day YYYY-MM-DD, got "${text}"`);
  return ms;
}

function historyOption(days: number | undefined): Pick<FakeExchangeOptions, 'history'> {
  if (days === undefined) return {};
  return { history: days === 0 ? false : { minuteDays: days } };
}

function optionalInt<K extends string>(key: K, n: number | undefined): Partial<Record<K, number>> {
  return n === undefined ? {} : ({ [key]: n } as Record<K, number>);
}
