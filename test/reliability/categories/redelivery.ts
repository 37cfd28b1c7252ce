import { type Market, parseMarket } from '../../../shared/src/domain/market/market-id';
import { Decimal } from '../../../shared/src/domain/money/decimal';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import { seeded } from '../../executor/support/child-executor';
import { auditBooks } from '../lib/books-audit';
import type { CampaignContext, Category } from '../lib/context';
import { DecisionFactory } from '../lib/decisions';
import { queueDrained, reconciled, spawnExecutor, stopGracefully, waitFor } from '../lib/executor-process';
import { atLeast, type CategoryResult, categoryResult, info, zero } from '../lib/report';
import { tradingWorld } from '../lib/trading-world';
import { booksOf, FAST_EXECUTOR_ENV } from './crash-injection';

const MARKETS: readonly Market[] = ['KRW-BTC', 'KRW-ETH'].map(parseMarket);
const TTL_MS = 60_000;

interface LogLine {
  readonly msg?: string;
  readonly decisionId?: string;
  readonly outcome?: string;
  readonly reason?: string;
}

function parse(lines: readonly string[]): LogLine[] {
  return lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as LogLine];
    } catch {
      return [];
    }
  });
}

async function run(ctx: CampaignContext): Promise<CategoryResult> {
  const started = Date.now();
  const total = ctx.scale.redelivery.decisions;
  const world = await tradingWorld(ctx.endpoints, ctx.logs, 'redelivery', {
    markets: MARKETS,
    seed: ctx.seed + 2,
    rateLimit: 'off',
  });
  const rnd = seeded(ctx.seed + 2);
  const factory = new DecisionFactory('redeliver', seeded(ctx.seed + 3), TTL_MS);
  const logFile = ctx.logs.file('redelivery-executor');
  const env: Record<string, string> = {
    ...world.env,
    ...FAST_EXECUTOR_ENV,
    QTS_EXECUTOR__DECISION_TTL_SECONDS: String(TTL_MS / 1000),
  };
  const child = spawnExecutor(env, logFile);
  let copies = 0;
  let outOfOrder = 0;
  let heldPastVisibility = 0;
  const stale = new Set<string>();
  const late: { decision: Decision; copy: number }[] = [];
  try {
    if (!(await reconciled(child)))
      throw new Error(`the executor did not start: ${child.stderr().slice(-500)}`);
    for (let i = 0; i < total; i++) {
      const books = await booksOf(world.sim.client, MARKETS);
      const market = MARKETS[Math.floor(rnd() * MARKETS.length)] as Market;
      const roll = rnd();
      if (roll < 0.1) {
        // Past its TTL: produced long ago, delivered only now (a backlog, a stuck producer).
        const d = factory.any(
          market,
          books.get(market),
          Date.now() - TTL_MS - 1_000 - Math.floor(rnd() * 60_000),
        );
        stale.add(d.id);
        await world.sendDecision(d);
        copies += 1;
        continue;
      }
      const reorder = roll < 0.3;
      const d = reorder
        ? factory.directional(market, Date.now() - 2_000)
        : factory.any(market, books.get(market));
      const extra = Math.floor(rnd() * 3); // delivered 1, 2 or 3 times in total
      if (reorder) {
        // Out of order: a newer decision of the same strategy and market goes first, this older one
        // after it (a producer retry overtaken by the next minute's decision).
        const newer = factory.directional(
          market,
          Date.now(),
          d.strategy === 'operator' ? undefined : d.strategy,
        );
        await world.sendDecision(newer);
        await world.sendDecision(d);
        copies += 2;
        outOfOrder += 1;
      } else {
        await world.sendDecision(d);
        copies += 1;
      }
      for (let c = 1; c <= extra; c++) {
        if (rnd() < 0.5) {
          await world.sendDecision(d, { dedupSuffix: `#${c}` });
          copies += 1;
        } else late.push({ decision: d, copy: c });
      }
      if (rnd() < 0.1) {
        // A consumer that dies holding messages: they come back after the visibility timeout.
        const held = await world.decisionQueue.receive({
          maxMessages: 2,
          waitTimeMs: 0,
          visibilityTimeoutMs: 2_000,
        });
        heldPastVisibility += held.length;
      }
      if (rnd() < 0.3) await new Promise((r) => setTimeout(r, Math.floor(rnd() * 1_500)));
      // Copies delivered again later, after the first was worked on (inside the decision's TTL).
      while (late.length > 0 && rnd() < 0.4) {
        const x = late.shift() as { decision: Decision; copy: number };
        await world.sendDecision(x.decision, { dedupSuffix: `#late${x.copy}` });
        copies += 1;
      }
      if (i % 10 === 9) ctx.progress(`redelivery: ${i + 1}/${total} decisions, ${copies} messages`);
    }
    for (const x of late) {
      await world.sendDecision(x.decision, { dedupSuffix: `#late${x.copy}` });
      copies += 1;
    }
    const drained = await waitFor(
      () => queueDrained(world.queues.client, env.QTS_DECISION_QUEUE_URL as string),
      180_000,
    );
    await new Promise((r) => setTimeout(r, 5_000));
    const exitCode = await stopGracefully(child);
    const lines = parse(ctx.logs.grep('"decisionId"', (n) => n === 'redelivery-executor.log'));
    const startedCount = new Map<string, number>();
    for (const l of lines)
      if (l.msg === 'decision accepted' && l.outcome === 'started' && l.decisionId !== undefined)
        startedCount.set(l.decisionId, (startedCount.get(l.decisionId) ?? 0) + 1);
    const doubleStarts = [...startedCount.values()].filter((n) => n > 1).length;
    const droppedLogged = new Set(
      lines.filter((l) => l.msg === 'decision dropped: older than its TTL').map((l) => l.decisionId),
    );
    const staleNotLogged = [...stale].filter((id) => !droppedLogged.has(id));
    const audit = await auditBooks({
      sim: world.sim,
      store: world.store,
      markets: MARKETS,
      decisions: factory.sent,
      initialKrw: new Decimal('10000000'),
      since: started,
    });
    const staleOrders = (
      await Promise.all([...stale].map((id) => world.store.listOrdersByDecision(id as never)))
    ).flat();
    // An older decision must never end a newer one's plan of the same strategy and market.
    const createdAt = new Map(factory.sent.map((d) => [d.id as string, d.createdAt]));
    const overridden = lines.filter((l) => {
      const by = /^superseded by (.+)$/.exec(l.reason ?? '')?.[1];
      if (by === undefined || l.decisionId === undefined) return false;
      return (createdAt.get(by) ?? 0) < (createdAt.get(l.decisionId) ?? 0);
    });
    return categoryResult(
      'redelivery',
      '2. Redelivery and reordering',
      [
        atLeast('decisions', factory.sent.length, total),
        info('queue messages (copies, up to 3 per decision)', copies),
        info('decisions sent out of order (an older one after a newer one)', outOfOrder),
        info('decisions past their TTL', stale.size),
        info(
          'messages redelivered after a consumer held them past the visibility timeout',
          heldPastVisibility,
        ),
        zero('double executions (a decision started twice)', doubleStarts),
        zero('duplicate orders (overspend, overfilled layers)', audit.duplicates),
        zero('stale decisions not dropped with a log line', staleNotLogged.length),
        zero('orders placed for stale decisions', staleOrders.length),
        zero('newer plans ended by an older decision', overridden.length),
        zero('lost or double-counted fills', audit.lostFills + audit.doubleFills),
        zero('orders missing from our books or open after the drain', audit.unrecorded + audit.openOrphans),
        zero('position / KRW drift vs the sim', audit.coinDrift + (audit.krwDrift.isZero() ? 0 : 1)),
        zero('queue not drained or executor exit ≠ 0', drained && exitCode === 0 ? 0 : 1),
      ],
      started,
      [
        ...audit.problems,
        ...staleNotLogged.slice(0, 5).map((id) => `stale decision ${id} not dropped with a log line`),
        ...overridden.slice(0, 5).map((l) => `${l.decisionId} ended by the older ${l.reason}`),
      ],
    );
  } finally {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await world.close();
  }
}

/** Category 2: every decision delivered up to three times, some out of order, some past their TTL. */
export const redelivery: Category = { id: 'redelivery', title: '2. Redelivery and reordering', run };
