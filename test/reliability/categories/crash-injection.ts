import { FAILPOINTS } from '../../../executor/src/runtime/failpoints';
import type { OrderbookSnapshot } from '../../../shared/src/domain/market/market-data';
import { type Market, parseMarket } from '../../../shared/src/domain/market/market-id';
import { Decimal } from '../../../shared/src/domain/money/decimal';
import { seeded } from '../../executor/support/child-executor';
import { auditBooks } from '../lib/books-audit';
import type { CampaignContext, Category } from '../lib/context';
import { DecisionFactory } from '../lib/decisions';
import {
  kill,
  queueDrained,
  reconciled,
  spawnExecutor,
  stopGracefully,
  waitFor,
} from '../lib/executor-process';
import { atLeast, type CategoryResult, categoryResult, info, zero } from '../lib/report';
import { tradingWorld } from '../lib/trading-world';

const MARKETS: readonly Market[] = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'].map(parseMarket);
const INITIAL_KRW = '10000000';

/** Executor settings that make a crash cycle short: fast redelivery, short maker windows, no cooldown. */
export const FAST_EXECUTOR_ENV: Readonly<Record<string, string>> = {
  QTS_POSITIONS__MIN_SECONDS_BETWEEN_TRADES: '0',
  QTS_EXECUTOR__QUEUE_VISIBILITY_SECONDS: '3',
  QTS_EXECUTOR__FILL_POLL_SECONDS: '1',
  QTS_EXECUTOR__MAKER_WINDOW_SECONDS: '3',
  QTS_EXECUTOR__REPRICE_MIN_INTERVAL_MS: '500',
  QTS_EXECUTOR__QUOTES_ON_SHUTDOWN: 'cancel',
};

/** The sim's books of our markets (quotes are placed at their bid levels). */
export async function booksOf(
  client: { quotation: { getOrderbooks(m: readonly Market[]): Promise<OrderbookSnapshot[]> } },
  markets: readonly Market[],
): Promise<Map<Market, OrderbookSnapshot>> {
  const books = await client.quotation.getOrderbooks(markets).catch(() => []);
  return new Map(books.map((b) => [b.market, b]));
}

async function run(ctx: CampaignContext): Promise<CategoryResult> {
  const started = Date.now();
  const { decisions: total, kills } = ctx.scale.crash;
  const world = await tradingWorld(ctx.endpoints, ctx.logs, 'crash', {
    markets: MARKETS,
    seed: ctx.seed,
    rateLimit: 'off',
    balance: `KRW=${INITIAL_KRW}`,
  });
  // Separate streams: the kill schedule must not shift when the decision mix changes.
  const rnd = seeded(ctx.seed);
  const decisionRnd = seeded(ctx.seed + 1);
  const factory = new DecisionFactory('crash', decisionRnd);
  const env = { ...world.env, ...FAST_EXECUTOR_ENV };
  const logFile = ctx.logs.file('crash-executor');
  const schedule: string[] = [];
  let sigkills = 0;
  let atFailpoints = 0;
  let diedInStart = 0;
  const selfExits: string[] = [];
  try {
    const perCycle = Math.ceil(total / kills);
    for (let cycle = 0; cycle < kills; cycle++) {
      const atFailpoint = rnd() < 0.5;
      const failpoint = `${FAILPOINTS[Math.floor(rnd() * FAILPOINTS.length)]}:${1 + Math.floor(rnd() * 3)}`;
      const child = spawnExecutor(atFailpoint ? { ...env, EXECUTOR_FAILPOINT: failpoint } : env, logFile);
      const up = await reconciled(child);
      if (up) {
        const books = await booksOf(world.sim.client, MARKETS);
        const count = Math.min(perCycle, total - factory.sent.length);
        for (let i = 0; i < count; i++) {
          const market = MARKETS[Math.floor(decisionRnd() * MARKETS.length)] as Market;
          await world.sendDecision(factory.any(market, books.get(market)));
        }
        const delay = 100 + Math.floor(rnd() * 2_500);
        if (atFailpoint) await Promise.race([child.exited, new Promise((r) => setTimeout(r, delay + 3_000))]);
        else await new Promise((r) => setTimeout(r, delay));
      } else diedInStart += 1;
      const alreadyDead = child.process.signalCode === 'SIGKILL';
      if (child.process.exitCode !== null)
        selfExits.push(`${cycle}: exit ${child.process.exitCode}: ${child.stderr().slice(-300)}`);
      await kill(child);
      sigkills += 1;
      if (alreadyDead) atFailpoints += 1;
      schedule.push(
        `${cycle}: ${atFailpoint ? failpoint : 'external'} → ${alreadyDead ? 'failpoint fired' : 'SIGKILL'}${up ? '' : ' (during start)'}`,
      );
      ctx.progress(`crash: ${cycle + 1}/${kills} kills, ${factory.sent.length} decisions`);
    }
    while (factory.sent.length < total) {
      const books = await booksOf(world.sim.client, MARKETS);
      const market = MARKETS[Math.floor(decisionRnd() * MARKETS.length)] as Market;
      await world.sendDecision(factory.any(market, books.get(market)));
    }
    // A clean executor settles everything, then drains on SIGTERM (working orders cancelled).
    const last = spawnExecutor(env, logFile);
    const up = await reconciled(last);
    const drained =
      up &&
      (await waitFor(() => queueDrained(world.queues.client, env.QTS_DECISION_QUEUE_URL as string), 180_000));
    await new Promise((r) => setTimeout(r, 6_000));
    const exitCode = await stopGracefully(last);
    const audit = await auditBooks({
      sim: world.sim,
      store: world.store,
      markets: MARKETS,
      decisions: factory.sent,
      initialKrw: new Decimal(INITIAL_KRW),
      since: started,
    });
    const dlq = await world.decisionDlq.receive({
      maxMessages: 10,
      waitTimeMs: 0,
      visibilityTimeoutMs: 30_000,
    });
    return categoryResult(
      'crash',
      '1. Crash injection',
      [
        atLeast('decisions sent', factory.sent.length, total),
        atLeast('executor SIGKILLs (restarted each time)', sigkills, kills),
        info('  of which at a named crash point', atFailpoints),
        info('  of which during start-up', diedInStart),
        info('orders on the sim / filled', `${audit.simOrders} / ${audit.filledOrders}`),
        info('fills booked', audit.fills),
        zero('duplicate orders', audit.duplicates),
        zero('orphan open orders after the drain', audit.openOrphans),
        zero('sim orders missing or different in our books', audit.unrecorded),
        zero('lost fills', audit.lostFills),
        zero('double-counted fills', audit.doubleFills),
        zero('markets whose position ≠ sim balance', audit.coinDrift),
        zero('KRW drift vs the sim', audit.krwDrift.toNumber(), 'KRW'),
        zero('reconciliation corrections needed', audit.reconCorrections),
        zero('decisions dead-lettered', dlq.length),
        zero('executor exits not caused by a kill (crashes)', selfExits.length),
        zero('final executor: queue not drained or exit ≠ 0', drained && exitCode === 0 ? 0 : 1),
      ],
      started,
      [
        `seed ${ctx.seed} replays the schedule (npm run test:reliability -- --only crash --seed ${ctx.seed})`,
        ...audit.problems,
        ...selfExits,
        ...(audit.problems.length > 0 || process.env.RELIABILITY_VERBOSE !== undefined ? schedule : []),
      ],
    );
  } finally {
    await world.close();
  }
}

/** Category 1: decisions through executor children SIGKILLed at seeded points, audited against the sim. */
export const crashInjection: Category = { id: 'crash', title: '1. Crash injection', run };
