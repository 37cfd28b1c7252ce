import { startExecutor } from '../../executor/src/start-executor';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { price, volume } from '../../shared/src/domain/money/quantities';
import { Secret } from '../../shared/src/domain/security/secret';
import { EMULATOR_STARTUP_TIMEOUT_MS } from '../../shared/testing/emulators/emulator-endpoints';
import { eventually, type RealWorld, realWorld } from './support/real-world';

const BTC = parseMarket('KRW-BTC');
let w: RealWorld;
const started: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  w = await realWorld();
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
}, EMULATOR_STARTUP_TIMEOUT_MS);

afterAll(async () => {
  for (const r of started) await r.stop();
  await w?.close();
});

async function placeBehindItsBack(identifier: string, p: string): Promise<string> {
  const order = await w.sim.venue?.placeOrder({
    market: BTC,
    side: 'bid',
    ordType: 'limit',
    price: price(p),
    volume: volume('0.001'),
    identifier: identifier as never,
  });
  if (order === undefined) throw new Error('no sim client');
  return order.uuid;
}

async function runUntilReconciled(extra: Record<string, string>) {
  const config = w.config({ QTS_POSITIONS__MIN_SECONDS_BETWEEN_TRADES: '0', ...extra });
  const running = await startExecutor({
    config,
    ports: w.ports(config),
    opsPort: 0,
    queueWaitMs: 500,
    logger: w.logger,
  });
  started.push(running);
  const report = await running.reconciled;
  return { running, report };
}

describe('reconciliation with the exchange (fake exchange, DynamoDB Local)', () => {
  it('adopts an order and coins that appeared behind its back (policy adopt)', async () => {
    const uuid = await placeBehindItsBack('manual-order-1', '99500000');
    w.fake.controls.setBalance('BTC', '0.01');
    const { running, report } = await runUntilReconciled({ QTS_EXECUTOR__UNKNOWN_ORDER_POLICY: 'adopt' });
    expect(report.explained).toBe(true);
    expect(report.discrepancies.map((d) => d.kind).sort()).toEqual(['balance_surplus', 'unknown_order']);
    const adopted = await w.store.getOrderByUuid(uuid);
    expect(adopted).toMatchObject({ strategy: 'operator', state: 'open' });
    const operator = await w.store.getPosition(BTC, 'operator');
    // The 0.01 BTC nobody bought through the system is the operator's, valued at the best bid.
    expect(operator?.volume.toFixed()).toBe('0.01');
    expect(operator?.cost.toFixed()).toBe('999990');
    // The adopted order's fill is booked like any other.
    w.fake.controls.trade(BTC, '99500000', '0.001', 'ask');
    const after = await eventually('the adopted order to fill', async () => {
      const p = await w.store.getPosition(BTC, 'operator');
      return p?.volume.toFixed() === '0.011' ? p : undefined;
    });
    expect(after.cost.toFixed()).toBe('1099539.75');
    expect(w.notifier.sent.map((a) => a.key)).toEqual(
      expect.arrayContaining(['reconcile:unknown_order:KRW-BTC', 'reconcile:balance_surplus:KRW-BTC']),
    );
    await running.stop();
  });

  it('cancels an unknown order and books coins taken behind its back (policy cancel)', async () => {
    const uuid = await placeBehindItsBack('manual-order-2', '99400000');
    // 0.011 BTC were held; someone sold 0.005 on the exchange's app.
    w.fake.controls.setBalance('BTC', '0.006');
    const { running, report } = await runUntilReconciled({ QTS_EXECUTOR__UNKNOWN_ORDER_POLICY: 'cancel' });
    expect(report.discrepancies.map((d) => d.kind).sort()).toEqual(['balance_deficit', 'unknown_order']);
    const onSim = await w.sim.venue?.getOrder({ uuid });
    expect(onSim?.state).toBe('cancel');
    expect(await w.store.getOrderByUuid(uuid)).toBeUndefined();
    expect((await w.store.getPosition(BTC, 'operator'))?.volume.toFixed()).toBe('0.006');
    await running.stop();
  });

  it('live mode refuses to trade when the account cannot be explained', async () => {
    // The strategies hold 0.006 BTC the exchange no longer has.
    await w.store.applyFill(
      {
        fillId: 'planted-1',
        identifier: 'qts.planted-1.0.0' as never,
        market: BTC,
        strategy: 'stat_arb',
        side: 'bid',
        price: price('100000000'),
        volume: volume('0.02'),
        fee: price('0') as never,
        isMaker: false,
        at: Date.now() as never,
      },
      {
        item: {
          market: BTC,
          strategy: 'stat_arb',
          volume: volume('0.02'),
          cost: price('2000000') as never,
          realizedPnl: price('0') as never,
          feesPaid: price('0') as never,
          updatedAt: Date.now() as never,
          version: 0,
        },
        expectedVersion: 0,
      },
      [],
    );
    const config = w.config({
      QTS_MODE: 'live',
      QTS_EXCHANGE: 'upbit',
      QTS_LIVE_CONFIRM: 'yes',
      QTS_EXECUTOR__PAPER_VENUE: 'local',
      QTS_EXECUTOR__RECONCILE_INTERVAL_SECONDS: '10',
    });
    expect(config.upbit.accessKey).toBeInstanceOf(Secret);
    const running = await startExecutor({
      config,
      ports: w.ports(config),
      opsPort: 0,
      queueWaitMs: 500,
      logger: w.logger,
    });
    started.push(running);
    await eventually('the refusal', async () => running.health().checks.reconciled?.detail === 'refused');
    expect(running.health()).toMatchObject({ status: 'unhealthy', reconciled: false, mode: 'live' });
    expect(w.lines.some((l) => l.includes('cannot explain') && l.includes('not trading'))).toBe(true);
    // Nothing was booked against the operator to paper over it.
    expect((await w.store.getPosition(BTC, 'operator'))?.volume.toFixed()).toBe('0.006');
    await running.stop();
  });
});
