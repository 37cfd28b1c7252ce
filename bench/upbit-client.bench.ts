import { renderTable } from '../cli/lib/table';
import { SystemClock } from '../shared/src/adapters/system/system-clock';
import { UpbitAuthenticator } from '../shared/src/adapters/upbit/auth/upbit-jwt';
import { fetchTransport, type HttpTransport } from '../shared/src/adapters/upbit/rest/http-transport';
import { UpbitExchangeApi } from '../shared/src/adapters/upbit/rest/upbit-exchange-api';
import { UpbitRestClient } from '../shared/src/adapters/upbit/rest/upbit-rest-client';
import { UpbitTradingVenue } from '../shared/src/adapters/upbit/upbit-trading-venue';
import { ExchangeEngine } from '../shared/src/domain/exchange/exchange-engine';
import { parseMarket } from '../shared/src/domain/market/market-id';
import { parseDecimal } from '../shared/src/domain/money/decimal';
import { price, volume } from '../shared/src/domain/money/quantities';
import { orderIdentifier, parseDecisionId } from '../shared/src/domain/orders/identifiers';
import { Secret } from '../shared/src/domain/security/secret';
import type { EpochMs } from '../shared/src/domain/time/epoch';
import { type FakeExchange, startFakeExchange } from '../shared/src/fake-exchange/fake-exchange';
import type { PlaceOrderRequest } from '../shared/src/ports/trading-venue';
import type { BenchContext, Benchmark, BenchResult } from './lib/bench-types';

const BTC = parseMarket('KRW-BTC');
/** Upbit's order group allows 12/s; the target leaves room for the jitter guard. */
const TARGET_ORDERS_PER_S = 10;

interface Stack {
  readonly fake: FakeExchange;
  readonly venue: UpbitTradingVenue;
  readonly exchange: UpbitExchangeApi;
  readonly statuses: number[];
}

/**
 * The production client (shared per-process limiter, JWT signing, idempotent venue) against the fake
 * exchange over real HTTP on localhost, with Upbit's rate limits enforced by the fake.
 */
async function startStack(): Promise<Stack> {
  const fake = await startFakeExchange({
    clock: new SystemClock(),
    autoMarket: false,
    markets: [BTC],
    balances: { KRW: '100000000' },
  });
  fake.controls.setBook(BTC, { bids: [['99000000', '1']], asks: [['100000000', '1']] });
  const statuses: number[] = [];
  const counting: HttpTransport = async (req) => {
    const res = await fetchTransport(req);
    statuses.push(res.status);
    return res;
  };
  const clock = new SystemClock();
  const client = new UpbitRestClient({
    baseUrl: fake.restUrl,
    clock,
    authenticator: new UpbitAuthenticator({
      accessKey: fake.accessKey,
      secretKey: new Secret(fake.secretKey),
    }),
    transport: counting,
  });
  const exchange = new UpbitExchangeApi(client);
  return { fake, exchange, statuses, venue: new UpbitTradingVenue({ api: exchange, clock }) };
}

let counter = 0;
/** A resting limit bid far below the market (never fills), 5,000+ KRW. */
function restingBid(run: string): PlaceOrderRequest {
  counter += 1;
  return {
    market: BTC,
    side: 'bid',
    ordType: 'limit',
    price: price(String(50_000_000 + (counter % 1_000) * 1_000)),
    volume: volume('0.0002'),
    identifier: orderIdentifier(parseDecisionId(`bench-${run}-${process.pid}-${counter}`)),
  };
}

/** Orders per second over the steady part: from the 13th completion (after the first window's burst) on. */
function steadyRate(completions: readonly number[]): number {
  const first = completions[12];
  const last = completions[completions.length - 1];
  if (first === undefined || last === undefined || last <= first) return Number.NaN;
  return ((completions.length - 13) * 1_000) / (last - first);
}

function result(
  name: string,
  value: number,
  unit: string,
  target: string | null,
  pass: boolean | null,
): BenchResult {
  return {
    name,
    value: Number(value.toFixed(2)),
    unit,
    baseline: null,
    ratio: null,
    target,
    pass,
  };
}

async function sequential(stack: Stack, n: number, progress: (m: string) => void): Promise<BenchResult[]> {
  const before = stack.statuses.length;
  const start = performance.now();
  const done: number[] = [];
  for (let i = 0; i < n; i++) {
    await stack.venue.placeOrder(restingBid('seq'));
    done.push(performance.now() - start);
    if (i % 20 === 19) progress(`sequential orders: ${i + 1}/${n}`);
  }
  const seconds = (performance.now() - start) / 1_000;
  const limited = stack.statuses.slice(before).filter((s) => s === 429).length;
  const rate = n / seconds;
  const steady = steadyRate(done);
  return [
    result(
      'upbit_client.sequential.orders_per_s',
      rate,
      'orders/s',
      `>= ${TARGET_ORDERS_PER_S}`,
      rate >= TARGET_ORDERS_PER_S,
    ),
    result(
      'upbit_client.sequential.steady_orders_per_s',
      steady,
      'orders/s',
      `>= ${TARGET_ORDERS_PER_S}`,
      steady >= TARGET_ORDERS_PER_S,
    ),
    result('upbit_client.sequential.http_429', limited, 'count', '= 0', limited === 0),
  ];
}

async function parallel(stack: Stack, n: number, progress: (m: string) => void): Promise<BenchResult[]> {
  const before = stack.statuses.length;
  const start = performance.now();
  const orderDone: number[] = [];
  let readsDone = 0;
  const orders = Array.from({ length: n }, () =>
    stack.venue.placeOrder(restingBid('par')).then(() => {
      orderDone.push(performance.now() - start);
      if (orderDone.length % 20 === 0) progress(`parallel orders: ${orderDone.length}/${n}`);
    }),
  );
  const reads = Array.from({ length: n }, () =>
    stack.exchange.getAccounts().then(() => {
      readsDone += 1;
    }),
  );
  await Promise.all([...orders, ...reads]);
  const seconds = (Math.max(...orderDone) || 1) / 1_000;
  const limited = stack.statuses.slice(before).filter((s) => s === 429).length;
  const rate = n / seconds;
  const steady = steadyRate(orderDone.sort((a, b) => a - b));
  return [
    result(
      'upbit_client.parallel.orders_per_s',
      rate,
      'orders/s',
      `>= ${TARGET_ORDERS_PER_S}`,
      rate >= TARGET_ORDERS_PER_S,
    ),
    result(
      'upbit_client.parallel.steady_orders_per_s',
      steady,
      'orders/s',
      `>= ${TARGET_ORDERS_PER_S}`,
      steady >= TARGET_ORDERS_PER_S,
    ),
    result('upbit_client.parallel.reads_completed', readsDone, 'count', `= ${n}`, readsDone === n),
    result('upbit_client.parallel.http_429', limited, 'count', '= 0', limited === 0),
  ];
}

const HOSTILE_FIELDS: readonly Record<string, string>[] = [
  { volume: '1e1000000000', price: '150000000' },
  { volume: '0.001', price: '1e10000000' },
  { volume: '0.001', price: '9'.repeat(5_000) },
  { volume: 'x'.repeat(30_000), price: '150000000' },
  { volume: '1e-100', price: '150000000' },
];

/** Start-up with history, and how fast the engine refuses bodies built to hang or bloat it. */
async function robustness(quick: boolean): Promise<BenchResult[]> {
  const t0 = performance.now();
  const fake = await startFakeExchange({ port: 0 });
  const startMs = performance.now() - t0;
  await fake.close();
  const engine = new ExchangeEngine({ markets: [BTC], seed: 1 });
  engine.setBalance('KRW', parseDecimal('10000000'), Date.now() as EpochMs);
  const n = quick ? 2_000 : 20_000;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const fields = HOSTILE_FIELDS[i % HOSTILE_FIELDS.length] as Record<string, string>;
    const start = performance.now();
    const r = engine.placeOrder(
      { market: BTC, side: 'bid', ord_type: 'limit', ...fields },
      Date.now() as EpochMs,
    );
    times.push((performance.now() - start) * 1_000);
    if (r.ok) throw new Error('a hostile order was accepted');
  }
  times.sort((a, b) => a - b);
  const p99 = times[Math.floor(times.length * 0.99)] ?? Number.NaN;
  return [
    result('fake_exchange.start_with_history_ms', startMs, 'ms', '< 5000', startMs < 5_000),
    result('fake_exchange.hostile_order_reject_p99_us', p99, 'µs', '< 1000', p99 < 1_000),
  ];
}

/** `npm run bench` entries: the Upbit client's order throughput under Upbit's rate limits. */
export const benchmarks: readonly Benchmark[] = [
  {
    name: 'fake-exchange-robustness',
    description:
      'Fake exchange start-up with seeded history (5 markets), and p99 time for the engine to refuse order bodies built to hang or bloat it (huge exponents, 5,000 digits, 30,000-char fields).',
    run: (context: BenchContext) => robustness(context.quick),
  },
  {
    name: 'upbit-client',
    description:
      'Upbit client against the fake exchange over HTTP with Upbit rate limits: N sequential orders, then N parallel orders + N /accounts reads (N = 100, 30 in quick mode); orders/s and 429 count.',
    async run(context: BenchContext): Promise<readonly BenchResult[]> {
      const n = context.quick ? 30 : 100;
      const stack = await startStack();
      try {
        const seq = await sequential(stack, n, context.progress);
        const par = await parallel(stack, n, context.progress);
        return [...seq, ...par];
      } finally {
        await stack.fake.close();
      }
    },
  },
];

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const json = process.argv.includes('--json');
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(
      'Usage: npx tsx bench/upbit-client.bench.ts [--quick] [--json]\n' +
        '  Upbit client vs the fake exchange over HTTP: 100 sequential orders, then 100 parallel orders\n' +
        '  + 100 reads (30 with --quick); prints orders/s and the 429 count. Also the sim start-up time\n' +
        '  with history and how fast hostile order bodies are refused. --json: results as JSON.\n',
    );
    return;
  }
  const results: BenchResult[] = [];
  for (const b of benchmarks)
    results.push(
      ...(await b.run({ quick, progress: (m) => (json ? undefined : process.stderr.write(`  ${m}\n`)) })),
    );
  if (json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  const rows = results.map((r) => [
    r.name,
    String(r.value),
    r.unit,
    r.target ?? '',
    r.pass === null ? '' : r.pass ? 'pass' : 'FAIL',
  ]);
  process.stdout.write(
    `${renderTable(['result', 'value', 'unit', 'target', ''], rows, ['left', 'right'])}\n`,
  );
  if (results.some((r) => r.pass === false)) process.exitCode = 1;
}

if (require.main === module)
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
