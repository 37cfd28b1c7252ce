import fc from 'fast-check';
import { KRW_MARKET_RULES } from '../market/market-rules';
import { Decimal, maxDecimal, minDecimal, Rounding, ZERO } from '../money/decimal';
import { type Krw, krw } from '../money/quantities';
import type { StrategyName } from '../trading/strategy-name';
import { buyCeiling } from './decision-risk';
import type { ExposureBook } from './exposure';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from './risk-limits';
import { BTC, baseContext } from './testing/risk-builders';

/*
 * buyCeiling skips its decimal division when the exposure room holds the per-trade cap with its
 * fee. The answer must be the division's, to the won: compared with the formula written out, with
 * the room at the cap × (1 + fee) threshold, one smallest unit (1e-20 KRW) or one won either side,
 * and anywhere else, for caps of a few digits and of many.
 */

const STRATEGY: StrategyName = 'momentum_scalping';

/** The ceiling as the division computes it (decision-risk.ts before the shortcut). */
function divided(room: Decimal, limits: RiskLimits, fee: Decimal): Krw {
  const byExposure = maxDecimal(ZERO, room).div(fee.plus(1));
  return krw(minDecimal(limits.maxTradeNotional, byExposure).toDecimalPlaces(0, Rounding.floor));
}

const capArb = fc.oneof(
  fc.integer({ min: 0, max: 10_000_000 }).map(String),
  fc.bigInt({ min: 1n, max: 10n ** 30n }).map((b) => b.toString()),
  fc
    .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 99_999_999 }))
    .map(([w, f]) => `${w}.${f}`),
);
const feeArb = fc.constantFrom('0.0005', '0.0025', '0', '0.00139', '0.123456789012345678901234567');
// Where the room lies: the threshold moved by −1 won, −1e-20, 0, +1e-20, +1 won, or anywhere.
const offsetArb = fc.oneof(
  fc.constantFrom('-1', '-0.00000000000000000001', '0', '0.00000000000000000001', '1'),
  fc.integer({ min: -20_000_000, max: 20_000_000 }).map(String),
);

describe('buyCeiling', () => {
  it('property: the room-holds-the-cap shortcut gives the division’s ceiling at the threshold ± 1 unit', () => {
    fc.assert(
      fc.property(
        capArb,
        feeArb,
        offsetArb,
        fc.constantFrom('total', 'strategy', 'market'),
        (cap, fee, off, which) => {
          const takerFee = new Decimal(fee);
          const perTrade = krw(cap);
          const threshold = perTrade.times(takerFee.plus(1));
          const room = threshold.plus(off);
          const limits: RiskLimits = {
            ...DEFAULT_RISK_LIMITS,
            maxTradeNotional: perTrade,
            maxTotalExposure: krw('1e15'),
            maxStrategyExposure: krw('1e15'),
            maxMarketExposure: krw('1e15'),
          };
          // The tightest limit sits `room` above its entry: the book holds 1e15 − room there.
          const used = krw(new Decimal('1e15').minus(room));
          const book: ExposureBook = {
            total: which === 'total' ? used : krw(ZERO),
            byStrategy: new Map(which === 'strategy' ? [[STRATEGY, used]] : []),
            byMarket: new Map(which === 'market' ? [[BTC, used]] : []),
          };
          const ctx = baseContext({ limits, rules: { ...KRW_MARKET_RULES, takerFee }, exposure: book });
          const got = buyCeiling(ctx, BTC, STRATEGY);
          // The room ceilingOf sees: the least of the three limits less their entries (1e15 − used,
          // each rounded to the working precision, against 1e15 for the other two).
          const seen = minDecimal(new Decimal('1e15').minus(used), new Decimal('1e15'));
          expect(got.toFixed()).toBe(divided(seen, limits, takerFee).toFixed());
        },
      ),
      { numRuns: 2000 },
    );
  });
});
