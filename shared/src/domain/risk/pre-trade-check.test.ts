import { parseMarket } from '../market/market-id';
import { krw, price, volume } from '../money/quantities';
import type { OrderDraft } from '../orders/order-types';
import type { Position } from '../trading/position';
import type { StrategyName } from '../trading/strategy-name';
import type { Commitment } from './exposure';
import { evaluateLossLimits, openLedgerEntry } from './loss-ledger';
import { checkOrder, checkOrders, type ProposedOrder, type RiskContext } from './pre-trade-check';
import { BTC, baseContext, did, ETH, T0, viewAt } from './testing/risk-builders';

function bid(p: string, v: string, market = BTC): OrderDraft {
  return { market, side: 'bid', ordType: 'limit', price: price(p), volume: volume(v) };
}
function ask(p: string, v: string, market = BTC): OrderDraft {
  return { market, side: 'ask', ordType: 'limit', price: price(p), volume: volume(v) };
}
function order(
  draft: OrderDraft,
  strategy: StrategyName | 'operator' = 'momentum_scalping',
  decision = 'd1',
): ProposedOrder {
  return { draft, strategy, decisionId: did(decision) };
}
function held(
  market = BTC,
  strategy: StrategyName = 'momentum_scalping',
  cost = '1000000',
  vol = '0.01',
): Position {
  return {
    market,
    strategy,
    volume: volume(vol),
    cost: krw(cost),
    realizedPnl: krw('0'),
    feesPaid: krw('0'),
    updatedAt: T0,
    version: 1,
    openedAt: T0,
  };
}
function code(ctx: RiskContext, o: ProposedOrder): string {
  const r = checkOrder(o, ctx);
  return r.ok ? 'ok' : r.refusal.code;
}

describe('checkOrder', () => {
  it('accepts a plain buy within every limit', () => {
    const r = checkOrder(order(bid('100000000', '0.001')), baseContext());
    expect(r).toEqual({ ok: true, riskReducing: false });
  });

  it('lets nothing through when halted and only held sells when reducing', () => {
    const positions = [held()];
    expect(code(baseContext({ state: 'halted', positions }), order(ask('100000000', '0.001')))).toBe(
      'halted',
    );
    expect(code(baseContext({ state: 'reducing', positions }), order(bid('100000000', '0.001')))).toBe(
      'reducing_only',
    );
    expect(code(baseContext({ state: 'reducing', positions }), order(ask('100000000', '0.001')))).toBe('ok');
  });

  it('applies Upbit rules first and passes their rejection on', () => {
    const off = checkOrder(order(bid('100000500', '0.001')), baseContext());
    expect(off.ok ? undefined : off.refusal.exchangeRejection?.code).toBe('invalid_price_bid');
    const small = checkOrder(order(bid('100000000', '0.00004')), baseContext());
    expect(small.ok ? undefined : small.refusal.exchangeRejection?.code).toBe('under_min_total_bid');
  });

  it('blocks buys but not sells while a loss limit is breached', () => {
    const day = openLedgerEntry('day', T0, krw('10000000'));
    const lossStatus = evaluateLossLimits(
      {
        day,
        week: openLedgerEntry('week', T0, krw('10000000')),
        month: openLedgerEntry('month', T0, krw('10000000')),
      },
      krw('9400000'),
      baseContext().limits.loss,
    );
    const ctx = baseContext({ lossStatus, positions: [held()] });
    expect(code(ctx, order(bid('100000000', '0.001')))).toBe('loss_limit');
    expect(code(ctx, order(ask('100000000', '0.001')))).toBe('ok');
  });

  it('never sells more than held, counting asks already resting', () => {
    const resting: Commitment = {
      market: BTC,
      strategy: 'momentum_scalping',
      decisionId: did('d0'),
      side: 'ask',
      lockedKrw: krw('0'),
      remainingVolume: volume('0.006'),
    };
    const ctx = baseContext({ positions: [held()], commitments: [resting] });
    expect(code(ctx, order(ask('100000000', '0.004')))).toBe('ok');
    expect(code(ctx, order(ask('100000000', '0.00400001')))).toBe('oversell');
    expect(code(ctx, order(ask('100000000', '0.001'), 'stat_arb'))).toBe('oversell');
  });

  it('enforces the per-trade, total, strategy and market limits on the fee-inclusive lock', () => {
    expect(code(baseContext(), order(bid('100000000', '0.00500001')))).toBe('trade_limit');
    const big = ['market_making', 'stat_arb', 'microstructure', 'mean_reversion'].map((s, i) =>
      held(
        parseMarket(['KRW-XRP', 'KRW-XRP', 'KRW-SOL', 'KRW-ADA'][i] as string),
        s as StrategyName,
        '1950000',
        '1',
      ),
    );
    // 4 × 1,950,000 + 1,999,000 = 9,799,000; a 200,000 buy locks 200,100 → 9,999,100 ≤ 10,000,000.
    const nearly = [...big, held(ETH, 'momentum_scalping', '1999000', '1')];
    expect(code(baseContext({ positions: nearly }), order(bid('100000000', '0.0005'), 'operator'))).toBe(
      'ok',
    );
    // 201,000 locks 201,100.5 → 10,000,100.5 > 10,000,000.
    expect(code(baseContext({ positions: nearly }), order(bid('100000000', '0.00201'), 'operator'))).toBe(
      'total_limit',
    );
    // Strategy: 1,800,000 held + 200,000 × 1.0005 = 2,000,100 > 2,000,000.
    const strat = [held(ETH, 'momentum_scalping', '1800000', '1')];
    expect(code(baseContext({ positions: strat }), order(bid('100000000', '0.002')))).toBe('strategy_limit');
    expect(code(baseContext({ positions: strat }), order(bid('100000000', '0.00199')))).toBe('ok');
    // Market: 1,500,000 + 1,450,000 in BTC + 100,000 × 1.0005 > 3,000,000.
    const mkt = [held(BTC, 'stat_arb', '1500000', '0.015'), held(BTC, 'mean_reversion', '1450000', '0.0145')];
    expect(code(baseContext({ positions: mkt }), order(bid('100000000', '0.001')))).toBe('market_limit');
  });

  it('caps concurrent positions by market, ignoring dust', () => {
    const markets = ['KRW-XRP', 'KRW-SOL', 'KRW-ADA', 'KRW-DOGE', 'KRW-ETH'].map(parseMarket);
    const five = markets.map((m) => held(m, 'stat_arb', '10000', '1'));
    expect(code(baseContext({ positions: five }), order(bid('100000000', '0.001')))).toBe('position_count');
    const withDust = [...five.slice(0, 4), held(markets[4] as typeof BTC, 'stat_arb', '4999', '1')];
    expect(code(baseContext({ positions: withDust }), order(bid('100000000', '0.001')))).toBe('ok');
    const inHeld = [...five.slice(0, 4), held(BTC, 'stat_arb', '10000', '0.0001')];
    expect(code(baseContext({ positions: inHeld }), order(bid('100000000', '0.001')))).toBe('ok');
  });

  it('keeps 60 s between buy decisions in one market, in decision time', () => {
    const stamp = (ms: number, d = 'd0') => ({ market: BTC, decisionId: did(d), at: (T0 - ms) as typeof T0 });
    const buy = order(bid('100000000', '0.001'));
    expect(code(baseContext({ recentTrades: [stamp(59_999)] }), buy)).toBe('cooldown');
    expect(code(baseContext({ recentTrades: [stamp(60_000)] }), buy)).toBe('ok');
    expect(code(baseContext({ recentTrades: [stamp(1_000, 'd1')] }), buy)).toBe('ok');
    expect(
      code(
        baseContext({ recentTrades: [stamp(1_000)], positions: [held()] }),
        order(ask('100000000', '0.001')),
      ),
    ).toBe('ok');
    expect(code(baseContext({ recentTrades: [{ ...stamp(1_000), market: ETH }] }), buy)).toBe('ok');
    // Checked at its decision's time, not at the check's: the executor's latency changes nothing.
    const late = baseContext({ now: (T0 + 5_000) as typeof T0, recentTrades: [stamp(60_000)] });
    expect(code(late, { ...buy, decidedAt: T0 })).toBe('ok');
    expect(code({ ...late, recentTrades: [stamp(59_999)] }, { ...buy, decidedAt: T0 })).toBe('cooldown');
    // A decision closer than the cooldown blocks either way round.
    expect(code(baseContext({ recentTrades: [stamp(-30_000)] }), buy)).toBe('cooldown');
  });

  it('exempts market-making quotes (post-only orders of market_making) from the cooldown', () => {
    const recentTrades = [{ market: BTC, decisionId: did('d0'), at: (T0 - 1) as typeof T0 }];
    const quote = { ...bid('100000000', '0.001'), timeInForce: 'post_only' as const };
    expect(code(baseContext({ recentTrades }), order(quote, 'market_making', 'q1'))).toBe('ok');
    // Only a post-only order of market_making is a quote.
    expect(code(baseContext({ recentTrades }), order(bid('100000000', '0.001'), 'market_making', 'q1'))).toBe(
      'cooldown',
    );
    expect(code(baseContext({ recentTrades }), order(quote, 'mean_reversion', 'q1'))).toBe('cooldown');
    // Still under every exposure limit.
    const big = { ...bid('100000000', '0.006'), timeInForce: 'post_only' as const };
    expect(code(baseContext({ recentTrades }), order(big, 'market_making', 'q1'))).toBe('trade_limit');
  });

  it('refuses fat fingers: far from the last trade, outside the book band, too deep, or unchecked', () => {
    expect(code(baseContext(), order(bid('96000000', '0.001')))).toBe('fat_finger_last_trade');
    expect(code(baseContext(), order(bid('102000000', '0.001')))).toBe('fat_finger_band');
    expect(code(baseContext({ positions: [held()] }), order(ask('98000000', '0.001')))).toBe(
      'fat_finger_band',
    );
    const thin = baseContext({ market: viewAt(BTC, 100_000_000, 1000, 0.001) });
    expect(code(thin, order(bid('100000000', '0.001')))).toBe('ok');
    expect(code(thin, order(bid('100000000', '0.00100001')))).toBe('fat_finger_depth');
    expect(code(baseContext({ market: {} }), order(bid('100000000', '0.001')))).toBe('missing_market_data');
  });

  it('checks the legs of one decision cumulatively', () => {
    const legs = [1, 2, 3].map((i) =>
      order(bid(String(100_000_000 - i * 1000), '0.0019'), 'market_making', 'q1'),
    );
    const positions = [held(ETH, 'market_making', '1500000', '1')];
    const results = checkOrders(legs, baseContext({ positions }));
    // 1,500,000 + 2 × ~190,095 fits 2,000,000; the third leg does not.
    expect(results.map((r) => (r.ok ? 'ok' : r.refusal.code))).toEqual(['ok', 'ok', 'strategy_limit']);
  });

  it('treats a market buy by amount as its amount', () => {
    const m: OrderDraft = { market: BTC, side: 'bid', ordType: 'price', price: price('500001') };
    expect(code(baseContext(), order(m))).toBe('trade_limit');
    expect(code(baseContext(), order({ ...m, price: price('400000') }))).toBe('ok');
  });
});
