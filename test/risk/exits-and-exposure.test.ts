import fc from 'fast-check';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { findPositionExits } from '../../shared/src/application/risk/position-exits';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { Decimal, ZERO } from '../../shared/src/domain/money/decimal';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import { exitTrigger } from '../../shared/src/domain/risk/exit-triggers';
import { exposureBook } from '../../shared/src/domain/risk/exposure';
import { planFlatten } from '../../shared/src/domain/risk/flatten-plan';
import { liquidationValue } from '../../shared/src/domain/risk/position-accounting';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { BTC, bookAround, did, ETH, fillOf, T0 } from '../../shared/src/domain/risk/testing/risk-builders';
import type { Position } from '../../shared/src/domain/trading/position';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';

function position(
  market = BTC,
  strategy: StrategyName = 'momentum_scalping',
  vol = '0.01',
  cost = '1000500',
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
  };
}

const FEE = KRW_MARKET_RULES.takerFee;
const XRP = parseMarket('KRW-XRP');
const THRESHOLDS = { stopLoss: DEFAULT_RISK_LIMITS.stopLoss, takeProfit: DEFAULT_RISK_LIMITS.takeProfit };

describe('per-position stop-loss −0.3 % / take-profit +0.5 %, net of fees on both legs', () => {
  // Bought 0.01 BTC at 100,000,000 with a 500 KRW fee: cost 1,000,500. A sell keeps 99.95 %.
  const p = position();

  it('take-profit needs value ≥ 1,005,502.5, i.e. a bid ≥ 100,600,550.3 (≈ +0.6 % raw)', () => {
    expect(exitTrigger(p, price('100600000'), FEE, THRESHOLDS)).toBeUndefined(); // 1,005,497 → +0.4994 %
    const tp = exitTrigger(p, price('100601000'), FEE, THRESHOLDS); // 1,005,507.0 → +0.5004 %
    expect(tp?.kind).toBe('take_profit');
    expect(tp?.liquidationValue.toFixed()).toBe('1005506.995');
  });

  it('stop-loss fires at value ≤ 997,498.5, i.e. a bid ≤ 99,799,750 (≈ −0.2 % raw)', () => {
    expect(exitTrigger(p, price('99800000'), FEE, THRESHOLDS)).toBeUndefined(); // 997,501 → −0.29975 %
    const sl = exitTrigger(p, price('99799000'), FEE, THRESHOLDS);
    expect(sl?.kind).toBe('stop_loss');
    expect(sl?.netReturn.lte(-0.003)).toBe(true);
  });

  it('fires exactly as the decimal net return decides, on and next to both thresholds', () => {
    // Bids whose liquidation value sits on a threshold (cost × (1 + t) / (1 − fee)), a tick or a
    // 1e-20 fraction either side, or far away.
    const onThreshold = (t: Decimal) =>
      p.cost.times(t.plus(1)).div(p.volume.times(new Decimal(1).minus(FEE)));
    const bids = [
      onThreshold(THRESHOLDS.takeProfit),
      onThreshold(THRESHOLDS.stopLoss.negated()),
      new Decimal(100_000_000),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...bids),
        fc.constantFrom('0', '1', '-1', '1e-20', '-1e-20', '5000'),
        (b, off) => {
          const bid = price(b.plus(off).toFixed());
          const value = liquidationValue(p, bid, FEE);
          const r = value.div(p.cost).minus(1);
          const expected = r.lte(THRESHOLDS.stopLoss.negated())
            ? 'stop_loss'
            : r.gte(THRESHOLDS.takeProfit)
              ? 'take_profit'
              : undefined;
          const got = exitTrigger(p, bid, FEE, THRESHOLDS);
          expect(got?.kind).toBe(expected);
          if (got !== undefined) expect(got.netReturn.eq(r)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('flat positions never fire', () => {
    expect(
      exitTrigger(position(BTC, 'momentum_scalping', '0', '0'), price('1'), FEE, THRESHOLDS),
    ).toBeUndefined();
  });
});

describe('exposure per market and strategy', () => {
  it('sums holdings at cost plus KRW locked by bids, by market, by strategy and in total', () => {
    const book = exposureBook(
      [
        position(BTC, 'momentum_scalping'),
        position(ETH, 'stat_arb', '1', '3000000'),
        position(ETH, 'momentum_scalping', '0', '0'),
      ],
      [
        {
          market: BTC,
          strategy: 'stat_arb',
          decisionId: did('x'),
          side: 'bid',
          lockedKrw: krw('200100'),
          remainingVolume: volume(ZERO),
        },
        {
          market: ETH,
          strategy: 'stat_arb',
          decisionId: did('y'),
          side: 'ask',
          lockedKrw: krw(ZERO),
          remainingVolume: volume('0.5'),
        },
      ],
    );
    expect(book.total.toFixed()).toBe('4200600');
    expect(book.byMarket.get(BTC)?.toFixed()).toBe('1200600');
    expect(book.byMarket.get(ETH)?.toFixed()).toBe('3000000');
    expect(book.byStrategy.get('momentum_scalping')?.toFixed()).toBe('1000500');
    expect(book.byStrategy.get('stat_arb')?.toFixed()).toBe('3200100');
  });
});

describe('close-all plan', () => {
  it('sells each holding at best bid × (1 − slippage) rounded up to the tick, capped by the depth guard', () => {
    const books = new Map([
      [BTC, bookAround(BTC, 100_000_000, 100_010_000, 0.01, 5, 1000)], // bid depth 0.05 → cap 0.01
      [ETH, bookAround(ETH, 4_000_000, 4_001_000, 10, 5, 1000)],
    ]);
    const plan = planFlatten(
      [
        position(BTC, 'momentum_scalping', '0.02'),
        position(ETH, 'stat_arb', '0.5', '2000000'),
        position(XRP, 'stat_arb', '1'),
      ],
      books,
      DEFAULT_RISK_LIMITS,
      KRW_MARKET_RULES,
      T0,
    );
    expect(
      plan.orders.map((o) => [
        o.draft.market,
        o.draft.price?.toFixed(),
        o.draft.volume?.toFixed(),
        o.draft.timeInForce,
      ]),
    ).toEqual([
      [BTC, '99000000', '0.01', 'ioc'],
      [ETH, '3960000', '0.5', 'ioc'],
    ]);
    expect(plan.skipped).toEqual([{ market: 'KRW-XRP', strategy: 'stat_arb', reason: 'no_book' }]);
  });
});

describe('findPositionExits (use case)', () => {
  it('returns one idempotent flatten decision per position whose stop or target fired', async () => {
    const store = new MemoryStateStore();
    const at = T0;
    await recordFill(store, fillOf({ side: 'bid', price: '100000000', volume: '0.01', at }), krw('10000000'));
    await recordFill(
      store,
      fillOf({ market: ETH, strategy: 'stat_arb', side: 'bid', price: '4000000', volume: '0.5', at }),
      krw('10000000'),
    );
    const deps = { store, clock: { now: () => (at + 90_000) as typeof at } };
    const input = {
      limits: DEFAULT_RISK_LIMITS,
      rules: KRW_MARKET_RULES,
      bestBids: new Map([
        [BTC, price('99700000')], // −0.35 % net: stop-loss
        [ETH, price('4010000')], // +0.15 % net: hold
      ]),
    };
    const exits = await findPositionExits(deps, input);
    expect(
      exits.map((e) => [e.position.market, e.signal.kind, e.decision.intent.kind, e.decision.strategy]),
    ).toEqual([[BTC, 'stop_loss', 'flatten', 'momentum_scalping']]);
    expect((await findPositionExits(deps, input))[0]?.decision.id).toBe(exits[0]?.decision.id);
  });
});
