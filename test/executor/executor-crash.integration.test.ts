import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { FAILPOINTS } from '../../executor/src/runtime/failpoints';
import { type Market, parseMarket } from '../../shared/src/domain/market/market-id';
import { ZERO } from '../../shared/src/domain/money/decimal';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import {
  makeDecisionId,
  type OrderIdentifier,
  parseOrderIdentifier,
} from '../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision, DecisionIntent } from '../../shared/src/domain/trading/decision';
import type { VenueOrder } from '../../shared/src/ports/trading-venue';
import { EMULATOR_STARTUP_TIMEOUT_MS } from '../../shared/testing/emulators/emulator-endpoints';
import { type ChildExecutor, healthOf, seeded, spawnExecutor } from './support/child-executor';
import { eventually, type RealWorld, realWorld } from './support/real-world';

const BTC = parseMarket('KRW-BTC');
const ETH = parseMarket('KRW-ETH');
/** Replay a failing schedule with EXECUTOR_CRASH_SEED=<seed>. */
const SEED = Number(process.env.EXECUTOR_CRASH_SEED ?? 20261204);
const CYCLES = 4;

let w: RealWorld;
let env: Record<string, string>;
let logFile: string;
const sent: Decision[] = [];
let seq = 0;

function decision(market: Market, intent: DecisionIntent, strategy: Decision['strategy']): Decision {
  const now = Date.now();
  const d: Decision = {
    id: makeDecisionId('crash', market, now as EpochMs, ++seq),
    market,
    createdAt: now as EpochMs,
    expiresAt: (now + 60_000) as EpochMs,
    source: strategy === 'market_making' ? 'market_making' : 'ensemble',
    strategy,
    intent,
    signals: [],
  };
  sent.push(d);
  return d;
}

function books(shift: number): void {
  const b = 100_000_000 + shift * 1_000;
  const e = 5_000_000 + shift * 1_000;
  w.fake.controls.setBook(BTC, {
    bids: [
      [String(b - 1_000), '1'],
      [String(b - 50_000), '5'],
    ],
    asks: [
      [String(b), '1'],
      [String(b + 50_000), '5'],
    ],
  });
  w.fake.controls.setBook(ETH, {
    bids: [
      [String(e - 1_000), '10'],
      [String(e - 20_000), '50'],
    ],
    asks: [
      [String(e), '10'],
      [String(e + 20_000), '50'],
    ],
  });
}

async function ready(child: ChildExecutor): Promise<boolean> {
  const port = await child.port.catch(() => undefined);
  if (port === undefined) return false;
  const exited = child.exited.then(() => 'exited' as const);
  const healthy = eventually(
    'the child to reconcile',
    async () => (await healthOf(port))?.body.reconciled === true,
    30_000,
  );
  return (await Promise.race([healthy, exited])) === true;
}

async function sendCycleDecisions(cycle: number): Promise<void> {
  await w.sendDecision(
    decision(
      BTC,
      { kind: 'directional', side: 'bid', notional: krw('100000'), urgency: 'aggressive' },
      'momentum_scalping',
    ),
  );
  await w.sendDecision(
    decision(
      ETH,
      { kind: 'directional', side: 'bid', notional: krw('60000'), urgency: 'passive' },
      'mean_reversion',
    ),
  );
  await w.sendDecision(
    decision(
      BTC,
      {
        kind: 'quotes',
        levels: [
          { side: 'bid', price: price(String(99_800_000 + cycle * 1_000)), volume: volume('0.0002') },
          { side: 'bid', price: price(String(99_700_000 + cycle * 1_000)), volume: volume('0.0002') },
        ],
      },
      'market_making',
    ),
  );
  if (cycle > 0)
    await w.sendDecision(
      decision(
        BTC,
        { kind: 'directional', side: 'ask', notional: krw('50000'), urgency: 'aggressive' },
        'momentum_scalping',
      ),
    );
}

/** Prints trades through the resting bids so makers fill while the executor may be dying. */
function tradeThrough(): void {
  w.fake.controls.trade(ETH, '4990000', '0.02', 'ask');
  w.fake.controls.trade(BTC, '99799000', '0.0001', 'ask');
}

async function queueEmpty(): Promise<boolean> {
  const { Attributes } = await w.queues.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: env.QTS_DECISION_QUEUE_URL,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Attributes?.ApproximateNumberOfMessages === '0' &&
    Attributes?.ApproximateNumberOfMessagesNotVisible === '0'
  );
}

async function simOrders(): Promise<VenueOrder[]> {
  const exchange = w.sim.exchange;
  if (exchange === undefined) throw new Error('no exchange client');
  const out: VenueOrder[] = [];
  for (const market of [BTC, ETH]) {
    for (const o of await exchange.getClosedOrders({ market, limit: 1000 }))
      out.push(await exchange.getOrder({ uuid: o.uuid }));
    out.push(...(await exchange.getOpenOrders({ market })));
  }
  return out;
}

beforeAll(async () => {
  w = await realWorld({ markets: ['KRW-BTC', 'KRW-ETH'] });
  books(0);
  w.fake.controls.trade(BTC, '99999000', '0.0001', 'ask');
  w.fake.controls.trade(ETH, '4999000', '0.01', 'ask');
  logFile = `${w.dir}/executor.log`;
  env = {
    ...w.env,
    QTS_MARKETS: 'KRW-BTC,KRW-ETH',
    QTS_POSITIONS__MIN_SECONDS_BETWEEN_TRADES: '0',
    QTS_EXECUTOR__QUEUE_VISIBILITY_SECONDS: '3',
    QTS_EXECUTOR__FILL_POLL_SECONDS: '1',
    QTS_EXECUTOR__MAKER_WINDOW_SECONDS: '3',
    QTS_EXECUTOR__REPRICE_MIN_INTERVAL_MS: '500',
    QTS_EXECUTOR__QUOTES_ON_SHUTDOWN: 'cancel',
    QTS_LOG_LEVEL: 'info',
  };
}, EMULATOR_STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await w?.close();
});

describe('executor crash safety (child processes SIGKILLed at seeded points)', () => {
  it('never doubles an order, leaves no orphan, loses no fill', async () => {
    const rnd = seeded(SEED);
    const schedule: string[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const external = rnd() < 0.4;
      const failpoint = `${FAILPOINTS[Math.floor(rnd() * FAILPOINTS.length)]}:${1 + Math.floor(rnd() * 2)}`;
      const child = spawnExecutor(external ? env : { ...env, EXECUTOR_FAILPOINT: failpoint }, logFile);
      const up = await ready(child);
      if (up) {
        books(cycle % 2);
        await sendCycleDecisions(cycle);
        const delay = 200 + Math.floor(rnd() * 1_500);
        await new Promise((r) => setTimeout(r, delay));
        tradeThrough();
        if (external) await new Promise((r) => setTimeout(r, Math.floor(rnd() * 800)));
        else await Promise.race([child.exited, new Promise((r) => setTimeout(r, 4_000))]);
      }
      child.process.kill('SIGKILL');
      const { signal } = await child.exited;
      schedule.push(
        `cycle ${cycle}: ${external ? 'external SIGKILL' : failpoint} → ${signal ?? 'exit'}${up ? '' : ' (during start)'}`,
      );
    }

    // A clean process settles everything, then drains on SIGTERM (quotes cancelled).
    const last = spawnExecutor(env, logFile);
    expect(await ready(last)).toBe(true);
    tradeThrough();
    await eventually('the decision queue to empty', queueEmpty, 30_000);
    const port = await last.port;
    await eventually('no plan but quotes left working', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      return /qts_executor_open_orders (\d+)/.exec(await res.text())?.[1] !== undefined;
    });
    await new Promise((r) => setTimeout(r, 1_500));
    last.process.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);
    const context = `seed ${SEED}:\n${schedule.join('\n')}`;
    if (process.env.EXECUTOR_CRASH_VERBOSE !== undefined) process.stderr.write(`${context}\n`);

    const orders = await simOrders();
    // No orphans: nothing left open, and every order the sim has is one we recorded, under its uuid.
    expect({ context, open: orders.filter((o) => o.state === 'wait').map((o) => o.identifier) }).toEqual({
      context,
      open: [],
    });
    for (const o of orders) {
      expect(o.identifier !== undefined && parseOrderIdentifier(o.identifier) !== undefined).toBe(true);
      const local = await w.store.getOrder(o.identifier as OrderIdentifier);
      expect({
        context,
        identifier: o.identifier,
        uuid: local?.uuid,
        executed: local?.executedVolume.toFixed(),
      }).toEqual({
        context,
        identifier: o.identifier,
        uuid: o.uuid,
        executed: o.executedVolume.toFixed(),
      });
    }
    // Never doubled: each decision's buys spent at most its notional; each quote layer at most its volume.
    for (const d of sent) {
      const mine = orders.filter((o) => o.identifier?.startsWith(`qts.${d.id}.`));
      if (d.intent.kind === 'directional' && d.intent.side === 'bid') {
        const spent = mine.reduce(
          (s, o) => s.plus(o.executedFunds ?? (o.trades ?? []).reduce((t, x) => t.plus(x.funds), ZERO)),
          ZERO,
        );
        expect({ context, decision: d.id, overspent: spent.gt(d.intent.notional) }).toEqual({
          context,
          decision: d.id,
          overspent: false,
        });
      }
      if (d.intent.kind === 'quotes')
        d.intent.levels.forEach((level, leg) => {
          const filled = mine
            .filter((o) => parseOrderIdentifier(o.identifier ?? '')?.leg === leg)
            .reduce((s, o) => s.plus(o.executedVolume), ZERO);
          expect({ context, leg, over: filled.gt(level.volume) }).toEqual({ context, leg, over: false });
        });
    }
    // No lost or doubled fill: every sim trade of ours is booked exactly once, and nothing else is.
    const trades = orders.flatMap((o) => (o.trades ?? []).map((t) => `${t.uuid}.${o.side}`)).sort();
    const fills = (
      await w.store.listFills({
        from: (Date.now() - 3_600_000) as EpochMs,
        to: (Date.now() + 1_000) as EpochMs,
      })
    )
      .filter((f) => !f.fillId.startsWith('recon.'))
      .map((f) => f.fillId)
      .sort();
    expect({ context, fills }).toEqual({ context, fills: trades });
    // The schedule must have exercised something: orders on both markets and fills of makers and takers.
    expect(orders.filter((o) => o.executedVolume.gt(0)).length).toBeGreaterThanOrEqual(4);
    if (process.env.EXECUTOR_CRASH_VERBOSE !== undefined)
      process.stderr.write(
        `${orders.length} orders, ${fills.length} fills, ${orders.filter((o) => o.state === 'cancel').length} cancelled\n`,
      );
    // Positions and cash agree with the sim to the last digit.
    const balances = (await w.sim.venue?.getBalances()) ?? [];
    const positions = await w.store.listPositions();
    for (const m of [BTC, ETH]) {
      const coin = balances.find((b) => b.currency === m.slice(4));
      const held = positions.filter((p) => p.market === m).reduce((s, p) => s.plus(p.volume), ZERO);
      expect({ context, market: m, held: held.toFixed() }).toEqual({
        context,
        market: m,
        held: (coin === undefined ? ZERO : coin.balance.plus(coin.locked)).toFixed(),
      });
    }
    expect(positions.every((p) => p.strategy !== 'operator')).toBe(true);
  }, 170_000);
});
