import { krw, price, volume } from '../money/quantities';
import { type DecisionId, orderIdentifier } from '../orders/identifiers';
import type { LocalOrder } from '../orders/local-order';
import type { OrderDraft } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import type { StrategyName } from '../trading/strategy-name';
import {
  addsCooldownRisk,
  cooldownConflict,
  isMarketMakingQuote,
  orderStamp,
  stampDecisionIds,
  tradeStamps,
} from './cooldown';
import { BTC, did, ETH, fillOf, T0 } from './testing/risk-builders';

function draft(side: 'bid' | 'ask', postOnly = false): OrderDraft {
  return {
    market: BTC,
    side,
    ordType: 'limit',
    price: price('100000000'),
    volume: volume('0.001'),
    ...(postOnly ? { timeInForce: 'post_only' as const } : {}),
  };
}

function order(decision: string, d: OrderDraft, strategy: StrategyName, placedAt: number): LocalOrder {
  const id = did(decision);
  return {
    identifier: orderIdentifier(id),
    decisionId: id,
    strategy,
    draft: d,
    state: 'open',
    executedVolume: volume('0'),
    executedFunds: krw('0'),
    paidFee: krw('0'),
    createdAt: placedAt as EpochMs,
    updatedAt: placedAt as EpochMs,
    version: 1,
    market: d.market,
  };
}

const at = (ms: number) => (T0 + ms) as EpochMs;

describe('cooldown stamps', () => {
  it('counts buys other than market-making quotes as risk-adding', () => {
    expect(addsCooldownRisk({ strategy: 'mean_reversion', draft: draft('bid') })).toBe(true);
    expect(addsCooldownRisk({ strategy: 'mean_reversion', draft: draft('bid', true) })).toBe(true);
    expect(addsCooldownRisk({ strategy: 'market_making', draft: draft('bid') })).toBe(true);
    expect(addsCooldownRisk({ strategy: 'market_making', draft: draft('bid', true) })).toBe(false);
    expect(addsCooldownRisk({ strategy: 'mean_reversion', draft: draft('ask') })).toBe(false);
    expect(isMarketMakingQuote({ strategy: 'market_making', draft: draft('ask', true) })).toBe(true);
    expect(orderStamp(BTC, did('d1'), T0, { strategy: 'stat_arb', draft: draft('bid') })).toEqual({
      market: BTC,
      decisionId: did('d1'),
      at: T0,
    });
    expect(orderStamp(BTC, did('q1'), T0, { strategy: 'market_making', draft: draft('bid', true) })).toBe(
      undefined,
    );
  });

  it("stamps stored orders and fills at their decision's time, once per decision, never quotes or sells", () => {
    const orders = [
      order('buy1', draft('bid', true), 'mean_reversion', at(4_000)), // re-priced 4 s after its decision
      order('quote1', draft('bid', true), 'market_making', at(45_000)),
      order('sell1', draft('ask'), 'momentum_scalping', at(2_000)),
    ];
    const fills = [
      fillOf({ side: 'bid', price: '100000000', volume: '0.0005', at: at(9_000), decision: 'buy1' }),
      fillOf({ side: 'bid', price: '100000000', volume: '0.001', at: at(7_000), decision: 'buy2' }),
      {
        ...fillOf({ side: 'bid', price: '100000000', volume: '0.001', at: at(30_000), decision: 'quote0' }),
        strategy: 'market_making' as const,
        isMaker: true,
      },
      fillOf({ side: 'ask', price: '100000000', volume: '0.001', at: at(3_000), decision: 'sell0' }),
    ];
    expect(stampDecisionIds(orders, fills).sort()).toEqual(['buy1', 'buy2']);
    const decided = new Map<DecisionId, EpochMs>([
      [did('buy1'), T0],
      [did('buy2'), at(-20_000)],
    ]);
    expect(tradeStamps(orders, fills, (id) => decided.get(id))).toEqual([
      { market: BTC, decisionId: did('buy1'), at: T0 },
      { market: BTC, decisionId: did('buy2'), at: at(-20_000) },
    ]);
  });

  it('falls back to placement or fill time for a decision the log does not know (later: blocks longer)', () => {
    const orders = [order('buy1', draft('bid'), 'mean_reversion', at(4_000))];
    const fills = [
      fillOf({ side: 'bid', price: '100000000', volume: '0.001', at: at(7_000), decision: 'buy2' }),
    ];
    expect(tradeStamps(orders, fills, () => undefined)).toEqual([
      { market: BTC, decisionId: did('buy1'), at: at(4_000) },
      { market: BTC, decisionId: did('buy2'), at: at(7_000) },
    ]);
  });

  it('conflicts with another decision closer than the cooldown, either side, in the same market only', () => {
    const stamps = [{ market: BTC, decisionId: did('d0'), at: T0 }];
    const limits = { minMsBetweenTrades: 60_000 };
    expect(cooldownConflict(BTC, did('d1'), at(59_999), stamps, limits)).toEqual(stamps[0]);
    expect(cooldownConflict(BTC, did('d1'), at(60_000), stamps, limits)).toBeUndefined();
    expect(cooldownConflict(BTC, did('d1'), at(-59_999), stamps, limits)).toEqual(stamps[0]);
    expect(cooldownConflict(BTC, did('d0'), at(1), stamps, limits)).toBeUndefined();
    expect(cooldownConflict(ETH, did('d1'), at(1), stamps, limits)).toBeUndefined();
    expect(cooldownConflict(BTC, did('d1'), T0, stamps, { minMsBetweenTrades: 0 })).toBeUndefined();
  });
});
