import type { RunningExecutor } from '../../executor/src/executor-types';
import { startExecutor } from '../../executor/src/start-executor';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { krw } from '../../shared/src/domain/money/quantities';
import { makeDecisionId } from '../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision, DecisionIntent } from '../../shared/src/domain/trading/decision';
import { EMULATOR_STARTUP_TIMEOUT_MS } from '../../shared/testing/emulators/emulator-endpoints';
import { eventually, type RealWorld, realWorld } from './support/real-world';

const BTC = parseMarket('KRW-BTC');
let w: RealWorld;
let running: RunningExecutor;
let seq = 0;

function decision(intent: DecisionIntent, overrides: Partial<Decision> = {}): Decision {
  const now = Date.now();
  return {
    id: makeDecisionId('e2e', BTC, now as EpochMs, ++seq),
    market: BTC,
    createdAt: now as EpochMs,
    expiresAt: (now + 60_000) as EpochMs,
    source: 'ensemble',
    strategy: 'momentum_scalping',
    intent,
    signals: [],
    ...overrides,
  };
}

function book(bid: string, ask: string) {
  return {
    bids: [
      [bid, '1'],
      ['99000000', '5'],
    ],
    asks: [
      [ask, '1'],
      ['101000000', '5'],
    ],
  } as const;
}

beforeAll(async () => {
  w = await realWorld();
  w.fake.controls.setBook(BTC, book('99999000', '100000000'));
  w.fake.controls.trade(BTC, '99999000', '0.001', 'ask');
  // The per-market cooldown (60 s) is the risk engine's and tested there; here decisions follow each other.
  const config = w.config({ QTS_POSITIONS__MIN_SECONDS_BETWEEN_TRADES: '0' });
  running = await startExecutor({
    config,
    ports: w.ports(config),
    opsPort: 0,
    queueWaitMs: 1_000,
    logger: w.logger,
  });
  await running.reconciled;
}, EMULATOR_STARTUP_TIMEOUT_MS);

afterAll(async () => {
  if (process.env.EXECUTOR_TEST_LOG !== undefined)
    require('node:fs').writeFileSync(process.env.EXECUTOR_TEST_LOG, w.lines.join('\n'));
  await running?.stop();
  await w?.close();
});

describe('executor end to end (fake exchange over HTTP/WS, DynamoDB Local, fauxqs)', () => {
  it('buys on the sim from a queued decision and books position and fees to the won', async () => {
    const buy = decision({
      kind: 'directional',
      side: 'bid',
      notional: krw('300000'),
      urgency: 'aggressive',
    });
    await w.sendDecision(buy);
    const position = await eventually('the buy to be booked', async () => {
      const p = await w.store.getPosition(BTC, 'momentum_scalping');
      return p?.volume.gt(0) ? p : undefined;
    });
    // IOC at ask × 1.002 = 100,200,000 for floor8(300,000 / 100,200,000) = 0.00299401, filled at 100,000,000.
    expect(position.volume.toFixed()).toBe('0.00299401');
    expect(position.cost.toFixed()).toBe('299550.7005');
    const balances = await w.sim.venue?.getBalances();
    expect(balances?.find((b) => b.currency === 'KRW')?.balance.toFixed()).toBe('9700449.2995');
    expect(balances?.find((b) => b.currency === 'BTC')?.balance.toFixed()).toBe('0.00299401');
    const orders = await eventually('the order to be stored filled', async () => {
      const list = await w.store.listOrdersByDecision(buy.id);
      return list.every((o) => o.state === 'filled') ? list : undefined;
    });
    expect(orders).toHaveLength(1);
    expect(orders[0]?.executedFunds.toFixed()).toBe('299401');
  });

  it('sells it again and books the realised PnL net of both fees exactly', async () => {
    w.fake.controls.setBook(BTC, book('100100000', '100110000'));
    w.fake.controls.trade(BTC, '100100000', '0.001', 'ask');
    await eventually('the feed to see the new bid', async () => running.health().checks.marketData?.ok);
    await new Promise((r) => setTimeout(r, 200));
    const sell = decision({
      kind: 'directional',
      side: 'ask',
      notional: krw('1000000'),
      urgency: 'aggressive',
    });
    await w.sendDecision(sell);
    const position = await eventually('the sell to be booked', async () => {
      const p = await w.store.getPosition(BTC, 'momentum_scalping');
      return p?.volume.isZero() ? p : undefined;
    });
    // 0.00299401 × 100,100,000 = 299,700.401 − fee 149.8502005 − cost 299,550.7005.
    expect(position.realizedPnl.toFixed()).toBe('-0.1497005');
    expect(position.feesPaid.toFixed()).toBe('299.5507005');
    const krwLeft = (await w.sim.venue?.getBalances())?.find((b) => b.currency === 'KRW');
    expect(krwLeft?.balance.toFixed()).toBe('9999999.8502995');
    const fills = await w.store.listFills({
      from: (Date.now() - 600_000) as EpochMs,
      to: (Date.now() + 1000) as EpochMs,
    });
    expect(fills).toHaveLength(2);
  });

  it('executes a redelivered decision once and drops a stale one with a log line', async () => {
    w.fake.controls.setBook(BTC, book('99999000', '100000000'));
    const again = decision(
      { kind: 'directional', side: 'bid', notional: krw('100000'), urgency: 'aggressive' },
      { strategy: 'mean_reversion' },
    );
    await w.sendDecision(again);
    await w.sendDecision(again, '-redelivered');
    const stale = decision(
      { kind: 'directional', side: 'bid', notional: krw('100000'), urgency: 'aggressive' },
      { createdAt: (Date.now() - 120_000) as EpochMs, expiresAt: (Date.now() + 60_000) as EpochMs },
    );
    await w.sendDecision(stale);
    await eventually('the stale decision to be dropped', async () =>
      w.lines.some((l) => l.includes('decision dropped: older than its TTL') && l.includes(stale.id)),
    );
    await eventually(
      'the redelivery to be seen',
      async () => w.lines.filter((l) => l.includes('decision accepted') && l.includes(again.id)).length >= 2,
    );
    expect(await w.store.listOrdersByDecision(again.id)).toHaveLength(1);
    expect(await w.store.listOrdersByDecision(stale.id)).toEqual([]);
    const onSim = await w.sim.exchange?.getOrders({
      identifiers: [`qts.${again.id}.0.0`, `qts.${again.id}.0.1`],
    });
    expect(onSim).toHaveLength(1);
  });

  it('dead-letters a poison decision with its reason', async () => {
    await w.decisionQueue.send('{"v":1,"type":"decision"}', {
      groupId: 'KRW-BTC',
      dedupId: `poison-${Date.now()}`,
    });
    const dead = await eventually('the poison message in the DLQ', async () => {
      const got = await w.decisionDlq.receive({ maxMessages: 1, waitTimeMs: 200 });
      return got[0];
    });
    expect(dead.deadLetterReason).toContain('invalid envelope');
  });

  it('writes its heartbeat and equity', async () => {
    const status = await eventually('a heartbeat after reconciliation', async () => {
      const s = await w.statusStore.getStatus('executor');
      return s?.details.reconciled === true ? s : undefined;
    });
    expect(status.healthy).toBe(true);
    expect(status.details).toMatchObject({
      mode: 'paper',
      exchange: 'sim',
      reconciled: true,
      venue: 'sim-orders',
    });
    const point = await eventually('an equity point', () => w.equityStore.latestPoint());
    expect(point.cash.gt(0)).toBe(true);
  });

  it('emergency stop: every open order on the sim cancelled within 2 s and nothing new sent', async () => {
    const rest = decision(
      {
        kind: 'quotes',
        levels: [
          { side: 'bid', price: '99800000' as never, volume: '0.001' as never },
          { side: 'bid', price: '99700000' as never, volume: '0.001' as never },
        ],
      },
      { strategy: 'market_making', source: 'market_making' },
    );
    // Quote levels travel as decimal text on the wire; the decoder makes them exact again.
    const { price, volume } = await import('../../shared/src/domain/money/quantities');
    const wired = {
      ...rest,
      intent: {
        kind: 'quotes' as const,
        levels: [
          { side: 'bid' as const, price: price('99800000'), volume: volume('0.001') },
          { side: 'bid' as const, price: price('99700000'), volume: volume('0.001') },
        ],
      },
    };
    await w.sendDecision(wired);
    await eventually(
      'two resting quotes on the sim',
      async () => ((await w.sim.venue?.listOpenOrders())?.length ?? 0) >= 2,
    );
    const started = Date.now();
    await w.sendControl({
      kind: 'emergency_stop',
      id: `stop-${started}`,
      actor: 'test',
      issuedAt: started,
      reason: 'e2e',
      state: 'halted',
    });
    await eventually(
      'no open order on the sim',
      async () => (await w.sim.venue?.listOpenOrders())?.length === 0,
      5_000,
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2_000);
    const before = (await w.sim.exchange?.getClosedOrders({ market: BTC, limit: 1000 }))?.length ?? 0;
    await w.sendDecision(
      decision({ kind: 'directional', side: 'bid', notional: krw('100000'), urgency: 'aggressive' }),
    );
    await eventually('the post-stop decision handled', async () =>
      w.lines.some((l) => l.includes('order not sent') && l.includes('halted')),
    );
    expect((await w.sim.exchange?.getClosedOrders({ market: BTC, limit: 1000 }))?.length ?? 0).toBe(before);
    expect((await w.store.getControl()).latch?.state).toBe('halted');
  });
});
