import type { RunningExecutor } from '../../executor/src/executor-types';
import { startExecutor } from '../../executor/src/start-executor';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import { makeDecisionId } from '../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision, DecisionIntent } from '../../shared/src/domain/trading/decision';
import { EMULATOR_STARTUP_TIMEOUT_MS } from '../../shared/testing/emulators/emulator-endpoints';
import { eventually, type RealWorld, realWorld } from './support/real-world';

/**
 * The per-market cooldown (the shipped 60 s) on the real path: the executor's last check reads the
 * stored orders, fills and decision log from DynamoDB Local and trades on the fake exchange.
 */

const BTC = parseMarket('KRW-BTC');
const ETH = parseMarket('KRW-ETH');
let w: RealWorld;
let running: RunningExecutor;
let seq = 0;

function decision(
  market: typeof BTC,
  intent: DecisionIntent,
  createdAt: number,
  extra: Partial<Decision> = {},
) {
  return {
    id: makeDecisionId('cd', market, createdAt as EpochMs, ++seq),
    market,
    createdAt: createdAt as EpochMs,
    expiresAt: (Date.now() + 60_000) as EpochMs,
    source: 'ensemble',
    strategy: 'momentum_scalping',
    intent,
    signals: [],
    ...extra,
  } satisfies Decision;
}

const buy: DecisionIntent = {
  kind: 'directional',
  side: 'bid',
  notional: krw('100000'),
  urgency: 'aggressive',
};
const quotes: DecisionIntent = {
  kind: 'quotes',
  levels: [
    { side: 'bid', price: price('99800000'), volume: volume('0.001') },
    { side: 'bid', price: price('99700000'), volume: volume('0.001') },
  ],
};
const MM = { strategy: 'market_making', source: 'market_making' } as const;

async function ordersOf(d: Decision, wanted: (states: string[]) => boolean, what: string) {
  return eventually(what, async () => {
    const states = (await w.store.listOrdersByDecision(d.id)).map((o) => o.state);
    return states.length > 0 && wanted(states) ? states : undefined;
  });
}

beforeAll(async () => {
  w = await realWorld({ markets: ['KRW-BTC', 'KRW-ETH'] });
  w.fake.controls.setBook(BTC, {
    bids: [
      ['99999000', '1'],
      ['99000000', '5'],
    ],
    asks: [
      ['100000000', '1'],
      ['101000000', '5'],
    ],
  });
  w.fake.controls.trade(BTC, '99999000', '0.001', 'ask');
  w.fake.controls.setBook(ETH, {
    bids: [
      ['4999000', '10'],
      ['4990000', '50'],
    ],
    asks: [
      ['5000000', '10'],
      ['5010000', '50'],
    ],
  });
  w.fake.controls.trade(ETH, '4999000', '0.01', 'ask');
  // Decisions may wait up to 5 minutes in the queue here, to model a slow executor.
  const config = w.config({ QTS_EXECUTOR__DECISION_TTL_SECONDS: '300' });
  running = await startExecutor({
    config,
    ports: w.ports(config),
    opsPort: 0,
    queueWaitMs: 500,
    logger: w.logger,
  });
  await running.reconciled;
  await eventually('both books in the feed', async () => running.health().checks.marketData?.ok);
}, EMULATOR_STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await running?.stop();
  await w?.close();
});

describe('executor cooldown on DynamoDB Local and the fake exchange', () => {
  it("places the next quotes and a buy while the previous minute's quotes rest and one filled", async () => {
    const q1 = decision(BTC, quotes, Date.now() - 60_000, MM);
    await w.sendDecision(q1);
    await ordersOf(q1, (s) => s.length === 2 && s.every((x) => x === 'open'), 'q1 resting');
    w.fake.controls.trade(BTC, '99800000', '0.001', 'ask');
    await eventually('the quote fill booked', async () => {
      const p = await w.store.getPosition(BTC, 'market_making');
      return p?.volume.gt(0);
    });
    const q2 = decision(BTC, quotes, Date.now(), MM);
    await w.sendDecision(q2);
    expect(
      await ordersOf(
        q2,
        (s) => s.length === 2 && !s.some((x) => x === 'pending' || x === 'submitted'),
        'q2 placed',
      ),
    ).toEqual(['open', 'open']);
    const b = decision(BTC, buy, Date.now());
    await w.sendDecision(b);
    expect(await ordersOf(b, (s) => s.every((x) => x === 'filled' || x === 'rejected'), 'the buy')).toEqual([
      'filled',
    ]);
  });

  it('places two buys decided 60 s apart that reach it 65 s and 5 s late, back to back', async () => {
    const now = Date.now();
    const first = decision(ETH, buy, now - 65_000);
    const second = decision(ETH, buy, now - 5_000);
    await w.sendDecision(first);
    await w.sendDecision(second);
    for (const d of [first, second])
      expect(await ordersOf(d, (s) => s.every((x) => x === 'filled' || x === 'rejected'), d.id)).toEqual([
        'filled',
      ]);
    // A third decided 59 s after the second is refused before sending, in decision time.
    const third = decision(ETH, buy, now + 54_000);
    await w.sendDecision(third);
    await eventually('the third refused', async () =>
      w.lines.some((l) => l.includes('order not sent') && l.includes('cooldown') && l.includes(third.id)),
    );
    expect(await w.store.listOrdersByDecision(third.id)).toMatchObject([{ state: 'rejected' }]);
  });
});
