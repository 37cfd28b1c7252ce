import { type Market, parseMarket } from '../../../shared/src/domain/market/market-id';
import { Decimal } from '../../../shared/src/domain/money/decimal';
import { krw } from '../../../shared/src/domain/money/quantities';
import { makeDecisionId } from '../../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import { seeded } from '../../executor/support/child-executor';
import { auditBooks } from '../lib/books-audit';
import type { CampaignContext, Category } from '../lib/context';
import { DecisionFactory } from '../lib/decisions';
import { queueDrained, reconciled, spawnExecutor, stopGracefully, waitFor } from '../lib/executor-process';
import { type CategoryResult, categoryResult, info, zero } from '../lib/report';
import { type TradingWorld, tradingWorld } from '../lib/trading-world';
import { booksOf, FAST_EXECUTOR_ENV } from './crash-injection';

const MARKETS: readonly Market[] = ['KRW-BTC', 'KRW-ETH'].map(parseMarket);
/** Consecutive 429s after which the sim bans (418): the executor must back off long before. */
const BAN_AFTER = 10;
/** The executor's stale-book threshold in this category (production default: executor.staleBookSeconds). */
const STALE_BOOK_SECONDS = 3;

interface Phase {
  readonly name: string;
  /** Applies the fault; returns what lifts it. */
  start(world: TradingWorld): Promise<() => Promise<void>>;
  /** Decisions sent per second while the fault is on. */
  readonly rate: number;
  readonly seconds: number;
}

const PHASES: readonly Phase[] = [
  {
    name: '5xx errors (10 × 503, then 30 % random 500s)',
    rate: 1,
    seconds: 8,
    start: async (w) => {
      await w.sim.control('faults', { failNext: 10, failStatus: 503 });
      await w.sim.control('faults', { errorRate: 0.3, failStatus: 500 });
      return async () => {
        await w.sim.control('faults', { errorRate: 0, failNext: 0 });
      };
    },
  },
  {
    name: 'timeouts after the order was accepted (4 orders never answered)',
    rate: 1,
    seconds: 8,
    start: async (w) => {
      await w.sim.control('faults', { timeoutAfterAccept: 4 });
      return async () => {
        await w.sim.control('faults', { timeoutAfterAccept: 0 });
      };
    },
  },
  {
    name: '429 storm (every order refused for 10 s, then 1 order/s)',
    rate: 3,
    seconds: 10,
    start: async (w) => {
      await w.sim.control('faults', { rateLimits: { order: 0, default: 2 } });
      return async () => {
        await w.sim.control('faults', { rateLimits: { order: 1, default: 2 } });
        await new Promise((r) => setTimeout(r, 3_000));
        await w.sim.control('faults', { rateLimits: true });
      };
    },
  },
  {
    name: 'WebSocket drops mid-orderbook (every 400 ms)',
    rate: 1,
    seconds: 6,
    start: async (w) => {
      const timer = setInterval(
        () => void w.sim.control('faults', { dropWebSockets: true }).catch(() => undefined),
        400,
      );
      return async () => clearInterval(timer);
    },
  },
  {
    name: `stale book (orderbook frames stop for ${STALE_BOOK_SECONDS * 3} s)`,
    rate: 1,
    seconds: STALE_BOOK_SECONDS * 3,
    start: async (w) => {
      await w.sim.control('faults', { staleBook: true });
      return async () => {
        await w.sim.control('faults', { staleBook: false });
      };
    },
  },
];

/** An aggressive buy that must fill once the fault is lifted: trading resumed without a restart. */
function probe(factory: DecisionFactory, market: Market, n: number): Decision {
  const now = Date.now();
  const d: Decision = {
    id: makeDecisionId('probe', market, now as EpochMs, n),
    market,
    createdAt: now as EpochMs,
    expiresAt: (now + 60_000) as EpochMs,
    source: 'ensemble',
    strategy: 'momentum_scalping',
    intent: {
      kind: 'directional',
      side: 'bid',
      notional: krw('20000'),
      urgency: 'aggressive',
      takeProfitPct: 1,
    },
    signals: [],
  };
  factory.sent.push(d);
  return d;
}

async function run(ctx: CampaignContext): Promise<CategoryResult> {
  const started = Date.now();
  const world = await tradingWorld(ctx.endpoints, ctx.logs, 'faults', {
    markets: MARKETS,
    seed: ctx.seed + 4,
    rateLimit: 'on',
    banAfter: BAN_AFTER,
  });
  const rnd = seeded(ctx.seed + 4);
  const factory = new DecisionFactory('faults', seeded(ctx.seed + 5));
  const env: Record<string, string> = {
    ...world.env,
    ...FAST_EXECUTOR_ENV,
    QTS_EXECUTOR__STALE_BOOK_SECONDS: String(STALE_BOOK_SECONDS),
  };
  const child = spawnExecutor(env, ctx.logs.file('faults-executor'));
  const notes: string[] = [];
  let resumed = 0;
  let probes = 0;
  let staleOrders = 0;
  const resumeSeconds: number[] = [];
  try {
    if (!(await reconciled(child)))
      throw new Error(`the executor did not start: ${child.stderr().slice(-500)}`);
    for (let round = 0; round < ctx.scale.faults.rounds; round++)
      for (const phase of PHASES) {
        ctx.progress(`faults: ${phase.name}`);
        const simBefore = Number((await world.sim.status()).simTime);
        const lift = await phase.start(world);
        const until = Date.now() + phase.seconds * 1_000;
        while (Date.now() < until) {
          const books = await booksOf(world.sim.client, MARKETS).catch(() => new Map());
          const market = MARKETS[Math.floor(rnd() * MARKETS.length)] as Market;
          await world.sendDecision(factory.any(market, books.get(market)));
          await new Promise((r) => setTimeout(r, 1_000 / (phase.rate * ctx.scale.faults.rate)));
        }
        await lift();
        const simAfter = Number((await world.sim.status()).simTime);
        if (phase.name.startsWith('stale book')) {
          // Orders placed after the threshold passed inside the stale window priced off a stale book.
          const from = simBefore + (STALE_BOOK_SECONDS + 1) * 1_000;
          const orders = await world.sim.client.exchange?.getClosedOrders({
            startTime: from,
            endTime: simAfter,
            limit: 1000,
          });
          const open = await world.sim.client.exchange?.getOpenOrders({ limit: 100 });
          staleOrders += [...(orders ?? []), ...(open ?? [])].filter(
            (o) => o.createdAt >= from && o.createdAt <= simAfter,
          ).length;
        }
        // The backlog the fault built up is worked off first (FIFO per market), then a probe must fill.
        const lifted = Date.now();
        await waitFor(() => queueDrained(world.queues.client, env.QTS_DECISION_QUEUE_URL as string), 120_000);
        const market = MARKETS[probes % MARKETS.length] as Market;
        const p = probe(factory, market, ++probes);
        await world.sendDecision(p);
        const filled = await waitFor(async () => {
          const orders = await world.store.listOrdersByDecision(p.id);
          return orders.some((o) => o.executedVolume.gt(0));
        }, 30_000);
        if (filled) {
          resumed += 1;
          resumeSeconds.push((Date.now() - lifted) / 1000);
        } else notes.push(`no fill for the probe after "${phase.name}"`);
      }
    await new Promise((r) => setTimeout(r, 5_000));
    const exitCode = await stopGracefully(child);
    const status = await world.sim.status();
    const limits = status.rateLimits as { answered429: number; answered418: number };
    const audit = await auditBooks({
      sim: world.sim,
      store: world.store,
      markets: MARKETS,
      decisions: factory.sent,
      initialKrw: new Decimal('10000000'),
      since: started,
    });
    const alerts = world.telegram.messages.map((m) => m.text);
    const pauseAlerts = alerts.filter((t) => /stale|paused|멈/i.test(t)).length;
    return categoryResult(
      'faults',
      '3. Exchange faults',
      [
        info('fault phases run', PHASES.length * ctx.scale.faults.rounds),
        info('decisions sent during faults', factory.sent.length - probes),
        info('429 answers from the sim', limits.answered429),
        zero(`418 bans reached (the sim bans after ${BAN_AFTER} consecutive 429s)`, limits.answered418),
        zero('duplicate orders', audit.duplicates),
        zero('orders placed on a stale book', staleOrders),
        zero('fault phases after which trading did not resume by itself', probes - resumed),
        info('longest time from lifting a fault to a filled probe', Math.max(0, ...resumeSeconds), 's'),
        info('alerts raised (Telegram messages)', alerts.length),
        zero('stale-book pauses not alerted', pauseAlerts > 0 ? 0 : 1),
        zero('lost or double-counted fills', audit.lostFills + audit.doubleFills),
        zero('orders missing from our books or open after the drain', audit.unrecorded + audit.openOrphans),
        zero('position / KRW drift vs the sim', audit.coinDrift + (audit.krwDrift.isZero() ? 0 : 1)),
        zero('executor exit ≠ 0 (no crash, no restart)', exitCode === 0 ? 0 : 1),
      ],
      started,
      [...notes, ...audit.problems],
    );
  } finally {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await world.close();
  }
}

/** Category 3: the sim's fault switches while decisions flow; the executor must ride them out alone. */
export const exchangeFaults: Category = { id: 'faults', title: '3. Exchange faults', run };
