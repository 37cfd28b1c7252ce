import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { serverlessEsbuildOptions } from '../cli/package/esbuild-options';
import { buildExecutorBundle } from '../cli/package/executor-bundle';
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
import { unitEnvironment, unitNodeFlags } from '../test/deploy/support/executor-unit';
import { ensureEmulators } from '../test/reliability/lib/emulators';
import { executorRss } from './executor-rss';
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
        ? { warmup: 1, budgetMs: 700, minRuns: 3 }
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
    const samples = context.quick
      ? await decisionLatencies(10, context.progress, 5)
      : await decisionLatencies(250, context.progress);
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
      env: { ...process.env, ...unitEnvironment() },
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

const feedHour: Benchmark = {
  name: 'live heap over an hour of clock time',
  description:
    "The whole executor in one process (startExecutor: feed, candles, features, tape files, local paper venue, heartbeat, equity, reconciliation, control polling) on five markets fed 60 minutes of Upbit-format frames at busy-hour rates (20 msg/s/market, 360,000 messages) on a manual clock, so every periodic job runs as often as in an hour of wall time; bundled with the production esbuild options and run with the VM unit's node flags. Live heap growth after GC is the leak check. Full mode only: quick mode has the bundled process on the sim below.",
  async run(context) {
    if (context.quick) return [];
    const bundle = join(ROOT, '.qts/bundle/executor/feed-hour.cjs');
    context.progress('bundling the executor');
    // Three levels below the root like shared/src/config: the default config path resolves.
    await build({
      ...serverlessEsbuildOptions(ROOT),
      entryPoints: [join(ROOT, 'executor/bench/feed-hour.ts')],
      outfile: bundle,
      logLevel: 'warning',
    });
    context.progress('60 simulated minutes');
    const run = await runFeedHour([...unitNodeFlags(), '--expose-gc', bundle, '--minutes', '60', '--json']);
    return [
      absoluteResult('executor.feed_hour.peak_rss_mb', run.maxRssMb, 'MB'),
      absoluteResult('executor.feed_hour.msg_per_s', run.out.messagesPerSecond, 'msg/s'),
      absoluteResult(
        'executor.feed_hour.heap_growth_mb',
        (run.out.heapAfterGcEndMb ?? Number.NaN) - (run.out.heapAfterGcStartMb ?? Number.NaN),
        'MB',
        below(5, 'MB'),
      ),
    ];
  },
};

const onSim: Benchmark = {
  name: 'RSS of the bundled executor on the sim',
  description:
    "dist/executor/main.cjs (built now) started as the VM starts it (the unit's node flags, paper mode, from a directory outside the repository) against `npm run sim` in a child on five markets, with the state table and queues on DynamoDB Local + fauxqs; RSS from /proc/<pid>/status: VmHWM (peak over the whole life, start included) and VmRSS at the end. Full mode: --speed 10 for 360 s, an hour of sim time with every sim second stepped (10 steps/s/market, so ~10x the sim's real-time message rate: the worse case for memory; wall-clock jobs such as reconciliation run for 6 minutes, the in-process hour above covers them for an hour), then the same under `node --import tsx` without flags (the unit before the bundle) for comparison. Quick mode: --speed 60 for 1.5 s, in-memory stores, no candle history.",
  async run(context) {
    context.progress('building dist/executor/main.cjs');
    // Built while the sim starts; awaited before the executor starts.
    const file = buildExecutorBundle(ROOT).then((b) => b.file);
    file.catch(() => undefined);
    const emulators = context.quick ? undefined : await ensureEmulators();
    try {
      const base = {
        bundle: file,
        markets: MARKETS,
        emulators: emulators?.endpoints,
        progress: context.progress,
        ...(context.quick
          ? { speed: 60, wallSeconds: 1.5, historyDays: 0 }
          : { speed: 10, wallSeconds: 360, historyDays: 1 }),
      };
      const b = await executorRss({
        ...base,
        runtime: 'bundle',
        nodeFlags: unitNodeFlags(),
        environment: unitEnvironment(),
      });
      const results: BenchResult[] = [
        absoluteResult('executor.sim.peak_rss_mb', b.peakRssMb, 'MB', below(100, 'MB')),
        absoluteResult('executor.sim.end_rss_mb', b.endRssMb, 'MB', below(100, 'MB')),
        absoluteResult('executor.sim.end_anon_rss_mb', b.endAnonMb, 'MB'),
        absoluteResult('executor.sim.sim_minutes', b.simMinutes, 'min'),
        absoluteResult('executor.sim.frames', b.frames, 'count'),
        absoluteResult('executor.sim.frames_per_s', b.framesPerWallSecond, 'msg/s'),
      ];
      if (!context.quick) {
        const t = await executorRss({ ...base, runtime: 'tsx', nodeFlags: [] });
        results.push(
          absoluteResult('executor.sim.peak_rss_mb_tsx', t.peakRssMb, 'MB'),
          absoluteResult('executor.sim.end_rss_mb_tsx', t.endRssMb, 'MB'),
        );
      }
      return results;
    } finally {
      await emulators?.stop();
    }
  },
};

/** Read by `npm run bench`. */
export const benchmarks: readonly Benchmark[] = [decodeRoute, decisionToOrder, onSim, feedHour];

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
