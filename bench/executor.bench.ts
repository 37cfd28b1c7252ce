import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { decisionLatencies } from '../executor/bench/decision-latency';
import { ReplayStream } from '../executor/bench/replay-stream';
import { SyntheticUpbitFeed } from '../executor/bench/upbit-frames';
import { MarketDataWriter } from '../executor/src/feed/market-data-writer';
import { MarketFeed } from '../executor/src/feed/market-feed';
import { executorMetrics, MetricsRegistry } from '../executor/src/health/metrics';
import { TapeRecorder } from '../executor/src/tape/tape-recorder';
import { PaperVenue } from '../executor/src/wiring/paper-venue';
import { JsonLogger } from '../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../shared/src/adapters/memory/manual-clock';
import { MemoryMarketDataSource } from '../shared/src/adapters/memory/memory-market-data-source';
import { MemoryMarketDataStore } from '../shared/src/adapters/memory/memory-market-data-store';
import { TapeWriter } from '../shared/src/adapters/tape/tape-writer';
import type { Market } from '../shared/src/domain/market/market-id';
import type { Benchmark, BenchResult } from './lib/bench-types';
import { measure, perSecond } from './lib/measure';
import { absoluteResult, atLeast, below } from './lib/results';

const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-ADA', 'KRW-SOL'] as Market[];
const ROOT = resolve(__dirname, '..');

/** Frames of `seconds` of the synthetic five-market feed (20 messages/s/market, Upbit DEFAULT format). */
function frames(seconds: number): Buffer[] {
  const feed = new SyntheticUpbitFeed(MARKETS);
  const start = Date.UTC(2026, 2, 2, 1, 0, 0);
  const out: Buffer[] = [];
  for (let s = 0; s < seconds; s++) for (const m of MARKETS) out.push(...feed.second(m, start + s * 1000));
  return out;
}

/** The executor's feed as production wires it (state, candles and features, tape), fed through the real decoder. */
function pipeline(dir: string, withPaper: boolean) {
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 1, 0, 0));
  const logger = new JsonLogger(() => undefined, clock, 'error');
  const stream = new ReplayStream();
  const feed = new MarketFeed({ stream, markets: MARKETS, clock, logger, privateChannel: false });
  const writer = new TapeWriter({ dir: join(dir, 'tape') });
  if (withPaper)
    feed.listen(
      new PaperVenue({
        markets: MARKETS,
        clock,
        logger,
        stateFile: join(dir, 'paper.json'),
        balanceKrw: 1e7,
      }),
    );
  feed.listen(
    new MarketDataWriter({
      store: new MemoryMarketDataStore(),
      source: new MemoryMarketDataSource({ markets: MARKETS, clock }),
      markets: MARKETS,
      clock,
      logger,
      metrics: executorMetrics(new MetricsRegistry()),
      volumeBarKrw: 50_000_000,
    }),
  );
  feed.listen(new TapeRecorder({ writer, orderbookIntervalMs: 1_000, clock, logger }));
  feed.listen({ onBook: () => undefined });
  return { stream, feed, writer };
}

const decodeRoute: Benchmark = {
  name: 'WebSocket decode + route',
  description:
    'Upbit-format frames (10 books, 5 trades, 5 tickers per market-second, 5 markets) through the production FrameDecoder and the executor feed router with its listeners (market state, 1m candles, microstructure features, tape recorder); msg/s. Full mode also with the local paper venue matching every book and trade (paper mode only).',
  async run(context) {
    const dir = mkdtempSync(join(tmpdir(), 'qts-bench-feed-'));
    try {
      const data = frames(context.quick ? 100 : 1_000);
      const options = context.quick
        ? { warmup: 1, budgetMs: 1_000, minRuns: 3 }
        : { warmup: 2, budgetMs: 6_000, minRuns: 5 };
      const results: BenchResult[] = [];
      for (const withPaper of context.quick ? [false] : [false, true]) {
        context.progress(withPaper ? 'decode + route + paper venue' : 'decode + route');
        const p = pipeline(dir, withPaper);
        await p.feed.start();
        const timing = measure(
          () => {
            for (const f of data) p.stream.push(f);
            p.writer.flush();
            return p.feed.stats().routed;
          },
          withPaper ? { ...options, budgetMs: options.budgetMs / 2 } : options,
        );
        const rate = perSecond(data.length, timing.medianMs);
        results.push(
          withPaper
            ? absoluteResult('executor.feed.decode_route_paper.msg_per_s', rate, 'msg/s')
            : absoluteResult('executor.feed.decode_route.msg_per_s', rate, 'msg/s', atLeast(50_000, 'msg/s')),
        );
      }
      return results;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const decisionToOrder: Benchmark = {
  name: 'decision received → order request sent',
  description:
    'The decision handler, risk re-check and order manager (in-memory state store) against the fake exchange over real HTTP: time from a decoded decision entering the handler to its POST /orders leaving for the sim (aggressive buys and sells alternating, paced under Upbit’s 12 orders/s). DynamoDB round trips are excluded: they are network-bound and add ~10 network calls per decision on AWS.',
  async run(context) {
    const samples = await decisionLatencies(context.quick ? 15 : 250, context.progress);
    const sorted = [...samples].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
    return [
      absoluteResult('executor.decision_to_order.p50_ms', q(0.5), 'ms'),
      absoluteResult('executor.decision_to_order.p99_ms', q(0.99), 'ms', below(10, 'ms', 'p99')),
    ];
  },
};

interface FeedHourOutput {
  readonly messages: number;
  readonly messagesPerSecond: number;
  readonly heapAfterGcStartMb?: number;
  readonly heapAfterGcEndMb?: number;
}

/** Runs feed-hour in a fresh process and returns its output and peak RSS (MB). */
function runFeedHour(args: readonly string[]): Promise<{ out: FeedHourOutput; maxRssMb: number }> {
  const reporter = join(ROOT, 'bench/lib/report-max-rss.cjs');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--require', reporter, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('close', (code) => {
      const rss = /__bench_max_rss_kb=(\d+)/.exec(err)?.[1];
      if (code !== 0 || rss === undefined)
        return fail(new Error(`feed-hour exited ${code}: ${err.slice(-400)}`));
      done({
        out: JSON.parse(out.trim().split('\n').pop() ?? '{}') as FeedHourOutput,
        maxRssMb: Number(rss) / 1024,
      });
    });
  });
}

/** Node flags the VM unit should set: a daemon with an 18 MB live heap needs no more (executor/README.md). */
export const EXECUTOR_NODE_FLAGS = ['--max-old-space-size=64', '--max-semi-space-size=2'] as const;

const feedHour: Benchmark = {
  name: 'RSS over an hour of five-market feed',
  description:
    'The whole executor (startExecutor: feed, candles, features, tape files, local paper venue, heartbeat, equity, reconciliation, control polling) on five markets fed 60 minutes of Upbit-format frames at busy-hour rates (20 msg/s/market, 360,000 messages) on a manual clock, so every periodic job runs as in an hour of wall time, accelerated (allocation rate ~100x real time, the worse case for the heap). Peak RSS of the process, bundled with esbuild and run with the recommended node flags; the same under `node --import tsx` for comparison; live heap growth after GC as the leak check. Quick mode: 3 minutes.',
  async run(context) {
    const minutes = String(context.quick ? 3 : 60);
    const outDir = join(ROOT, '.qts/bundle/executor');
    mkdirSync(outDir, { recursive: true });
    const bundle = join(outDir, 'feed-hour.cjs');
    context.progress('bundling the executor');
    buildSync({
      entryPoints: [join(ROOT, 'executor/bench/feed-hour.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile: bundle,
      logLevel: 'warning',
    });
    context.progress(`bundled executor, ${minutes} simulated minutes`);
    const bundled = await runFeedHour([
      ...EXECUTOR_NODE_FLAGS,
      '--expose-gc',
      bundle,
      '--minutes',
      minutes,
      '--json',
    ]);
    const results: BenchResult[] = [
      absoluteResult('executor.feed_hour.peak_rss_mb', bundled.maxRssMb, 'MB', below(100, 'MB')),
      absoluteResult('executor.feed_hour.msg_per_s', bundled.out.messagesPerSecond, 'msg/s'),
      absoluteResult(
        'executor.feed_hour.heap_growth_mb',
        (bundled.out.heapAfterGcEndMb ?? Number.NaN) - (bundled.out.heapAfterGcStartMb ?? Number.NaN),
        'MB',
        below(5, 'MB'),
      ),
    ];
    if (!context.quick) {
      context.progress('under node --import tsx');
      const tsx = await runFeedHour([
        '--import',
        'tsx',
        ...EXECUTOR_NODE_FLAGS,
        'executor/bench/feed-hour.ts',
        '--minutes',
        minutes,
        '--json',
      ]);
      results.push(absoluteResult('executor.feed_hour.peak_rss_mb_tsx', tsx.maxRssMb, 'MB'));
    }
    return results;
  },
};

/** Read by `npm run bench`. */
export const benchmarks: readonly Benchmark[] = [decodeRoute, decisionToOrder, feedHour];

if (require.main === module) {
  void (async () => {
    const quick = process.argv.includes('--quick');
    for (const b of benchmarks)
      for (const r of await b.run({ quick, progress: (m) => process.stderr.write(`${b.name}: ${m}\n`) }))
        process.stdout.write(
          `${r.name.padEnd(48)} ${r.value.toFixed(2).padStart(12)} ${r.unit.padEnd(6)} ${r.target ?? ''} ${r.pass === null ? '' : r.pass ? 'ok' : 'MISSED'}\n`,
        );
  })();
}
