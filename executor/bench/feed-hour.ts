import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonLogger } from '../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryComponentStatusStore } from '../../shared/src/adapters/memory/memory-component-status-store';
import { MemoryEquityHistoryStore } from '../../shared/src/adapters/memory/memory-equity-history-store';
import { MemoryMarketDataSource } from '../../shared/src/adapters/memory/memory-market-data-source';
import { MemoryMarketDataStore } from '../../shared/src/adapters/memory/memory-market-data-store';
import { MemoryNotifier } from '../../shared/src/adapters/memory/memory-notifier';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { loadConfig } from '../../shared/src/config/load-config';
import { startExecutor } from '../src/start-executor';
import { PaperVenue } from '../src/wiring/paper-venue';
import { ReplayStream } from './replay-stream';
import { SyntheticUpbitFeed } from './upbit-frames';

/**
 * `npx tsx executor/bench/feed-hour.ts --minutes 60 [--json]`: the whole executor (startExecutor:
 * feed, candles and features, tape recorder writing gzip files, local paper venue matching every
 * book and trade, heartbeat, equity, reconciliation, control polling, plans) on five markets, fed
 * `minutes` of Upbit-format frames at busy-hour rates (20 messages/s/market) through the production
 * decoder, on a manual clock: every periodic job runs as often as in an hour of wall time, only
 * without the waiting. Run in a child process by bench/executor.bench.ts, which reads its peak RSS.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const minutes = Number(args[args.indexOf('--minutes') + 1] ?? 60) || 60;
  const dir = mkdtempSync(join(tmpdir(), 'qts-feed-hour-'));
  const start = Date.UTC(2026, 2, 2, 1, 0, 0);
  const clock = new ManualClock(start);
  const markets = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-ADA', 'KRW-SOL'] as const;
  const config = loadConfig({
    env: {
      QTS_MARKETS: markets.join(','),
      QTS_EXECUTOR__TAPE_DIR: join(dir, 'tape'),
      QTS_EXECUTOR__PAPER_STATE_FILE: join(dir, 'paper.json'),
      QTS_EXECUTOR__OPS_PORT: '0',
    },
  });
  const logger = new JsonLogger(() => undefined, clock, 'error');
  const stream = new ReplayStream();
  const paper = new PaperVenue({
    markets: config.markets,
    clock,
    logger,
    stateFile: join(dir, 'paper.json'),
    balanceKrw: 10_000_000,
  });
  const running = await startExecutor({
    config,
    clock,
    logger,
    opsPort: 0,
    ports: {
      store: new MemoryStateStore(),
      marketDataStore: new MemoryMarketDataStore(),
      statusStore: new MemoryComponentStatusStore(),
      equityStore: new MemoryEquityHistoryStore(),
      venue: paper,
      stream,
      marketData: new MemoryMarketDataSource({ markets: config.markets, clock }),
      notifier: new MemoryNotifier(),
      privateChannel: false,
      paper,
      venueKind: 'paper',
      close: () => undefined,
    },
  });
  const feed = new SyntheticUpbitFeed(config.markets);
  for (const m of config.markets) stream.push(feed.orderbook(m, start));
  let reconciled = false;
  running.reconciled.then(() => {
    reconciled = true;
  });
  while (!reconciled) await clock.advance(50);
  const heapAfterGc = (): number | undefined => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) return undefined;
    gc();
    return Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
  };
  // Warm-up minute (JIT, first candles, tape files opened), then the live heap is the baseline.
  for (let s = 0; s < 60; s++) {
    for (const m of config.markets) for (const frame of feed.second(m, clock.now())) stream.push(frame);
    await clock.advance(1_000);
  }
  const heapAfterGcStartMb = heapAfterGc();
  const t0 = performance.now();
  let messages = 0;
  for (let s = 0; s < minutes * 60; s++) {
    const at = clock.now();
    for (const m of config.markets)
      for (const frame of feed.second(m, at)) {
        stream.push(frame);
        messages += 1;
      }
    await clock.advance(1_000);
  }
  const wallMs = performance.now() - t0;
  const heapAfterGcEndMb = heapAfterGc();
  const health = running.health();
  await running.stop();
  rmSync(dir, { recursive: true, force: true });
  const out = {
    minutes,
    markets: config.markets.length,
    messages,
    wallMs: Math.round(wallMs),
    messagesPerSecond: Math.round(messages / (wallMs / 1000)),
    heapUsedMb: Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10,
    healthy: health.status,
    ...(heapAfterGcStartMb === undefined ? {} : { heapAfterGcStartMb }),
    ...(heapAfterGcEndMb === undefined ? {} : { heapAfterGcEndMb }),
  };
  process.stdout.write(
    args.includes('--json') ? `${JSON.stringify(out)}\n` : `${JSON.stringify(out, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
