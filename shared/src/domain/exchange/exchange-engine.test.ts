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

function engineWith(krwBalance: string): ExchangeEngine {
  const e = new ExchangeEngine({ markets: [BTC], seed: 7 });
  e.setBalance('KRW', new Decimal(krwBalance), T0);
  e.setLiquidity(BTC, levels([['149900000', '1']]), levels([['150100000', '0.25']]), T0);
  e.drainEvents();
  return e;
}

function acct(e: ExchangeEngine, c: string) {
  const a = e.ledger.account(c);
  return { balance: a.balance.toFixed(), locked: a.locked.toFixed() };
}

describe('ExchangeEngine — golden synthetic lifecycle (fixtures/synthetic-lifecycle-examples.json)', () => {
  it('limit bid → partial maker fill → cancel books exactly the fixture numbers', () => {
    const e = engineWith('1000000');
    const placed = e.placeOrder(
      {
        market: BTC,
        side: 'bid',
        volume: '0.002',
        price: '150000000',
        ord_type: 'limit',
        identifier: 'syn-0001',
      },
      T0,
    );
    if (!placed.ok) throw new Error(placed.error.name);
    expect(placed.accepted.state).toBe('wait');
    expect(placed.accepted.reservedFee.toFixed()).toBe('150');
    expect(placed.accepted.locked.toFixed()).toBe('300150');
    expect(acct(e, 'KRW')).toEqual({ balance: '699850', locked: '300150' });

    e.tapeTrade(
      BTC,
      new Decimal('150000000') as never,
      new Decimal('0.0005') as never,
      'ask',
      (T0 + 5123) as EpochMs,
    );
    const after = e.getOrder({ identifier: 'syn-0001' });
    expect(after?.state).toBe('wait');
    expect(after?.remainingVolume?.toFixed()).toBe('0.0015');
    expect(after?.remainingFee.toFixed()).toBe('112.5');
    expect(after?.paidFee.toFixed()).toBe('37.5');
    expect(after?.locked.toFixed()).toBe('225112.5');
    expect(after?.trades[0]?.funds.toFixed()).toBe('75000');
    expect(after?.trades[0]?.trend).toBe('down');
    expect(after?.trades[0]?.isMaker).toBe(true);
    expect(acct(e, 'KRW')).toEqual({ balance: '699850', locked: '225112.5' });
    expect(acct(e, 'BTC')).toEqual({ balance: '0.0005', locked: '0' });
    expect(e.ledger.account('BTC').avgBuyPrice.toFixed()).toBe('150000000');

    const cancelled = e.cancelOrder({ uuid: placed.accepted.uuid }, (T0 + 6000) as EpochMs);
    expect(cancelled.ok && cancelled.order.state).toBe('wait');
    expect(e.getOrder({ uuid: placed.accepted.uuid })?.state).toBe('cancel');
    expect(e.getOrder({ uuid: placed.accepted.uuid })?.locked.toFixed()).toBe('225112.5');
    expect(acct(e, 'KRW')).toEqual({ balance: '924962.5', locked: '0' });
    const again = e.cancelOrder({ uuid: placed.accepted.uuid }, (T0 + 7000) as EpochMs);
    expect(again.ok ? 'ok' : again.error.name).toBe('order_not_found');
  });

  it('market buy by KRW amount ends cancel with floored volume and the fixture residual', () => {
    const e = engineWith('1000000');
    const placed = e.placeOrder({ market: BTC, side: 'bid', price: '10000', ord_type: 'price' }, T0);
    if (!placed.ok) throw new Error(placed.error.name);
    expect(placed.accepted.locked.toFixed()).toBe('10005');
    expect(placed.accepted.volume).toBeUndefined();
    const o = placed.final;
    expect(o.state).toBe('cancel');
    expect(o.executedVolume.toFixed()).toBe('0.00006662');
    expect(o.trades[0]?.funds.toFixed()).toBe('9999.662');
    expect(o.paidFee.toFixed()).toBe('4.999831');
    expect(o.remainingFee.toFixed()).toBe('0.000169');
    expect(o.locked.toFixed()).toBe('0.338169');
    expect(acct(e, 'KRW')).toEqual({
      balance: new Decimal('1000000').minus('9999.662').minus('4.999831').toFixed(),
      locked: '0',
    });
  });

  it('market sell pays the fee out of the proceeds', () => {
    const e = engineWith('0');
    e.setBalance('BTC', new Decimal('0.0005'), T0);
    const placed = e.placeOrder({ market: BTC, side: 'ask', volume: '0.0005', ord_type: 'market' }, T0);
    if (!placed.ok) throw new Error(placed.error.name);
    expect(placed.final.state).toBe('done');
    expect(placed.final.paidFee.toFixed()).toBe('37.475');
    expect(placed.final.trades[0]?.funds.toFixed()).toBe('74950');
    expect(acct(e, 'KRW')).toEqual({ balance: '74912.525', locked: '0' });
    expect(acct(e, 'BTC')).toEqual({ balance: '0', locked: '0' });
  });
});
