import { JsonLogger } from '../../shared/src/adapters/logging/json-logger';
import { MemoryComponentStatusStore } from '../../shared/src/adapters/memory/memory-component-status-store';
import { MemoryEquityHistoryStore } from '../../shared/src/adapters/memory/memory-equity-history-store';
import { MemoryMarketDataStore } from '../../shared/src/adapters/memory/memory-market-data-store';
import { MemoryNotifier } from '../../shared/src/adapters/memory/memory-notifier';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { fetchTransport, type HttpTransport } from '../../shared/src/adapters/upbit/rest/http-transport';
import { createUpbitAdapters } from '../../shared/src/adapters/upbit/upbit-adapters';
import { loadConfig } from '../../shared/src/config/load-config';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { krw } from '../../shared/src/domain/money/quantities';
import { makeDecisionId } from '../../shared/src/domain/orders/identifiers';
import { Secret } from '../../shared/src/domain/security/secret';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';
import { startFakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { buildComponents } from '../src/runtime/components';

const BTC = parseMarket('KRW-BTC');
const STRATEGIES: readonly StrategyName[] = [
  'momentum_scalping',
  'mean_reversion',
  'microstructure',
  'stat_arb',
];
/** One decision per 110 ms stays under Upbit's 12 orders/s, which the client's limiter enforces. */
const PACE_MS = 110;
/** The first decisions warm up the JIT and the HTTP connection; they are not measured. */
const DEFAULT_WARMUP = 10;

/**
 * Milliseconds from a decoded decision entering the decision handler to its `POST /orders` being
 * handed to the HTTP stack, for `count` aggressive 10,000 KRW buys: the executor's components as
 * production wires them (risk re-check, order manager, Upbit client with JWT and rate limiter)
 * with the in-memory state store, against the fake exchange on a local socket.
 */
export async function decisionLatencies(
  count: number,
  progress: (m: string) => void = () => undefined,
  warmup = DEFAULT_WARMUP,
): Promise<number[]> {
  const clock = new SystemClock();
  const fake = await startFakeExchange({
    clock,
    autoMarket: false,
    markets: [BTC],
    balances: { KRW: '100000000' },
  });
  try {
    fake.controls.setBook(BTC, { bids: [['99999000', '50']], asks: [['100000000', '50']] });
    let sentAt: number | undefined;
    const transport: HttpTransport = (request) => {
      if (request.method === 'POST' && request.url.endsWith('/orders')) sentAt ??= performance.now();
      return fetchTransport(request);
    };
    const upbit = createUpbitAdapters({
      restUrl: fake.restUrl,
      wsUrl: fake.wsUrl,
      clock,
      transport,
      credentials: { accessKey: fake.accessKey, secretKey: new Secret(fake.secretKey) },
    });
    if (upbit.venue === undefined) throw new Error('no venue');
    const config = loadConfig({
      env: {
        QTS_MARKETS: BTC,
        QTS_POSITIONS__MIN_SECONDS_BETWEEN_TRADES: '0',
        QTS_EXECUTOR__PAPER_VENUE: 'sim',
      },
    });
    const c = buildComponents(
      config,
      {
        store: new MemoryStateStore(),
        marketDataStore: new MemoryMarketDataStore(),
        statusStore: new MemoryComponentStatusStore(),
        equityStore: new MemoryEquityHistoryStore(),
        venue: upbit.venue,
        stream: upbit.stream,
        marketData: upbit.marketData,
        notifier: new MemoryNotifier(),
        privateChannel: true,
        venueKind: 'sim-orders',
        close: () => undefined,
      },
      { clock, logger: new JsonLogger(() => undefined, clock, 'error'), dryRun: false },
    );
    c.gate.setReconciled(true);
    const now = clock.now();
    // The live feed refreshes the book several times a second; the bench stands in for it before
    // every decision, or after `staleBookSeconds` (10 s, ~90 decisions) the executor rightly holds
    // orders on a stale book.
    const freshBook = (): void =>
      c.feed.state.applyBook({
        market: BTC,
        timestamp: clock.now(),
        bids: [{ price: 99_999_000, size: 50 }],
        asks: [{ price: 100_000_000, size: 50 }],
      });
    freshBook();
    c.feed.state.applyTrade({
      market: BTC,
      timestamp: now,
      price: 99_999_000,
      volume: 0.001,
      takerSide: 'ask',
      sequentialId: '1',
    });
    await c.equity.record();
    const samples: number[] = [];
    for (let i = 0; i < count + warmup; i++) {
      freshBook();
      const at = clock.now();
      const decision = {
        id: makeDecisionId('bench', BTC, at, i),
        market: BTC,
        createdAt: at,
        expiresAt: (at + 60_000) as EpochMs,
        source: 'ensemble' as const,
        strategy: STRATEGIES[i % STRATEGIES.length] as StrategyName,
        intent: {
          kind: 'directional' as const,
          side: 'bid' as const,
          notional: krw('10000'),
          urgency: 'aggressive' as const,
        },
        signals: [],
      };
      sentAt = undefined;
      const t0 = performance.now();
      await c.handler.handle(
        { type: 'decision', sentAt: at, producer: 'bench', decision },
        { messageId: `m-${i}`, attempt: 1, receiveCount: 1, signal: new AbortController().signal },
      );
      if (sentAt === undefined) throw new Error(`decision ${i} sent no order`);
      // Each decision arrives on an idle market (one directional decision a minute in production);
      // a still-working order of an older decision would add its cancel round trip first.
      await c.engine.stopAll('next decision', false);
      if (i >= warmup) samples.push(sentAt - t0);
      if (i % 50 === 0) progress(`${i}/${count} decisions`);
      const spent = performance.now() - t0;
      if (spent < PACE_MS) await new Promise((r) => setTimeout(r, PACE_MS - spent));
    }
    return samples;
  } finally {
    await fake.close();
  }
}
