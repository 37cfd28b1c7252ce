import type { Market } from '../market/market-id';
import { Decimal } from '../money/decimal';
import type { EpochMs } from '../time/epoch';
import { ExchangeEngine } from './exchange-engine';
import type { LiquidityLevel } from './market-book';

const BTC = 'KRW-BTC' as Market;
const T0 = Date.parse('2026-11-25T13:00:00Z') as EpochMs;

function levels(rows: [string, string][]): LiquidityLevel[] {
  return rows.map(([p, s]) => ({ price: new Decimal(p), size: new Decimal(s) }));
}

/** 10,000,000 KRW and 1 BTC; other traders bid 149.9M and ask 150.1M / 150.2M. */
function engine(): ExchangeEngine {
  const e = new ExchangeEngine({ markets: [BTC], seed: 3 });
  e.setBalance('KRW', new Decimal('10000000'), T0);
  e.setBalance('BTC', new Decimal('1'), T0);
  e.setLiquidity(
    BTC,
    levels([['149900000', '1']]),
    levels([
      ['150100000', '0.25'],
      ['150200000', '1'],
    ]),
    T0,
  );
  e.drainEvents();
  return e;
}

/** Balance + locked of each currency: what no refusal, cancel or SMP may change. */
function totals(e: ExchangeEngine): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of e.ledger.list()) out[a.currency] = a.balance.plus(a.locked).toFixed();
  return out;
}

function place(e: ExchangeEngine, body: Record<string, unknown>) {
  const r = e.placeOrder({ market: BTC, ...body }, T0);
  if (!r.ok) throw new Error(`${r.error.name}: ${r.error.message}`);
  return r.final;
}

describe('self-match prevention reduce (PROTOCOL.md §6.6)', () => {
  it('shrinks the taker and our crossing maker by the overlap; the one used up is cancelled', () => {
    const e = engine();
    const maker = place(e, { side: 'ask', ord_type: 'limit', price: '150000000', volume: '0.05' });
    const before = totals(e);
    e.drainEvents();
    const taker = place(e, {
      side: 'bid',
      ord_type: 'limit',
      price: '150000000',
      volume: '0.03',
      smp_type: 'reduce',
    });
    expect(taker).toMatchObject({ state: 'cancel' });
    expect(taker.preventedVolume.toFixed()).toBe('0.03');
    expect(taker.executedVolume.toFixed()).toBe('0');
    // The bid's whole lock (0.03 × 150M × 1.0005) is released and reported as prevented.
    expect(taker.preventedLocked.toFixed()).toBe('4502250');
    expect(taker.locked.toFixed()).toBe('0');
    const m = e.getOrder({ uuid: maker.uuid });
    expect(m).toMatchObject({ state: 'wait' });
    expect(m?.remainingVolume?.toFixed()).toBe('0.02');
    expect(m?.preventedVolume.toFixed()).toBe('0.03');
    expect(m?.locked.toFixed()).toBe('0.02');
    expect(e.ledger.account('BTC').locked.toFixed()).toBe('0.02');
    expect(e.ledger.account('KRW').locked.toFixed()).toBe('0');
    expect(totals(e)).toEqual(before);
    const states = e
      .drainEvents()
      .flatMap((ev) => (ev.type === 'order' ? [`${ev.order.side}:${ev.state}`] : []));
    expect(states).toEqual(['bid:wait', 'ask:prevented', 'bid:prevented', 'bid:cancel']);
  });

  it('a larger taker cancels the used-up maker and keeps trading its remainder with other traders', () => {
    const e = engine();
    const maker = place(e, { side: 'ask', ord_type: 'limit', price: '150100000', volume: '0.01' });
    const taker = place(e, {
      side: 'bid',
      ord_type: 'limit',
      price: '150100000',
      volume: '0.03',
      smp_type: 'reduce',
    });
    expect(e.getOrder({ uuid: maker.uuid })).toMatchObject({ state: 'cancel' });
    expect(e.getOrder({ uuid: maker.uuid })?.preventedVolume.toFixed()).toBe('0.01');
    // 0.01 prevented, then 0.02 bought from the other traders' 0.25 at 150.1M.
    expect(taker.preventedVolume.toFixed()).toBe('0.01');
    expect(taker.executedVolume.toFixed()).toBe('0.02');
    expect(taker.state).toBe('done');
    expect(e.ledger.account('BTC').balance.toFixed()).toBe('1.02');
  });

  it('cancel_maker still cancels the whole maker (unlike reduce)', () => {
    const e = engine();
    const maker = place(e, { side: 'ask', ord_type: 'limit', price: '150000000', volume: '0.05' });
    place(e, {
      side: 'bid',
      ord_type: 'limit',
      price: '150000000',
      volume: '0.03',
      smp_type: 'cancel_maker',
    });
    expect(e.getOrder({ uuid: maker.uuid })).toMatchObject({ state: 'cancel' });
    expect(e.getOrder({ uuid: maker.uuid })?.preventedVolume.toFixed()).toBe('0.05');
  });
});

describe('cancelAndReplace (POST /orders/cancel_and_new)', () => {
  it('refuses a reused identifier before touching the old order: nothing cancelled, nothing created', () => {
    const e = engine();
    place(e, { side: 'bid', ord_type: 'limit', price: '140000000', volume: '0.001', identifier: 'used' });
    const old = place(e, {
      side: 'bid',
      ord_type: 'limit',
      price: '141000000',
      volume: '0.001',
      identifier: 'old',
    });
    const before = totals(e);
    for (const identifier of ['used', 'old']) {
      const r = e.cancelAndReplace(
        { uuid: old.uuid },
        { market: BTC, side: 'bid', ord_type: 'limit', price: '142000000', volume: '0.001', identifier },
        T0,
      );
      expect(r).toMatchObject({ ok: false, error: { status: 400, name: 'duplicated_identifier' } });
    }
    expect(e.getOrder({ uuid: old.uuid })?.state).toBe('wait');
    expect(e.queryOrders(() => true)).toHaveLength(2);
    expect(totals(e)).toEqual(before);
  });

  it('refuses a bad new order (tick) and leaves the old one open', () => {
    const e = engine();
    const old = place(e, { side: 'bid', ord_type: 'limit', price: '141000000', volume: '0.001' });
    const r = e.cancelAndReplace(
      { uuid: old.uuid },
      { market: BTC, side: 'bid', ord_type: 'limit', price: '142000500', volume: '0.001' },
      T0,
    );
    expect(r).toMatchObject({ ok: false, error: { name: 'invalid_price_bid' } });
    expect(e.getOrder({ uuid: old.uuid })?.state).toBe('wait');
  });

  it('counts what the cancel frees: a replacement bigger than the free balance alone is placed', () => {
    const e = new ExchangeEngine({ markets: [BTC], seed: 3 });
    e.setBalance('KRW', new Decimal('200000'), T0);
    e.setLiquidity(BTC, levels([['149900000', '1']]), levels([['150100000', '1']]), T0);
    const old = place(e, { side: 'bid', ord_type: 'limit', price: '140000000', volume: '0.001' });
    // 140,070 KRW locked, 59,930 free; the new order needs 150,075.
    const r = e.cancelAndReplace(
      { uuid: old.uuid },
      { market: BTC, side: 'bid', ord_type: 'limit', price: '150000000', volume: '0.001', identifier: 'n' },
      T0,
    );
    if (!r.ok) throw new Error(r.error.name);
    expect(r.cancelled.state).toBe('wait');
    expect(e.getOrder({ uuid: old.uuid })?.state).toBe('cancel');
    expect(r.placed).toMatchObject({ ok: true });
    expect(e.getOrder({ identifier: 'n' })?.state).toBe('wait');
    expect(e.ledger.account('KRW').locked.toFixed()).toBe('150075');
    // A replacement the freed funds cannot cover is refused and the old order stays.
    const again = e.cancelAndReplace(
      { identifier: 'n' },
      { market: BTC, side: 'bid', ord_type: 'limit', price: '150000000', volume: '0.002' },
      T0,
    );
    expect(again).toMatchObject({ ok: false, error: { name: 'insufficient_funds_bid' } });
    expect(e.getOrder({ identifier: 'n' })?.state).toBe('wait');
  });
});
