import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import { type Decimal, ZERO } from '../money/decimal';
import { differenceOf, sumOf } from '../money/decimal-sums';
import { productOf } from '../money/decimal-units';
import { krw, volume } from '../money/quantities';
import type { Fill } from '../trading/fill';
import type { Position } from '../trading/position';
import { ACCOUNTING_SCALE, applyValuedFill, emptyPosition } from './position-accounting';
import { releasedCostOf } from './position-accounting-release';
import { BTC, fillOf, T0 } from './testing/risk-builders';

/**
 * The accounting's sums before DecimalChain, verbatim: one decimal per step (sumOf/differenceOf are
 * decimal.js's plus/minus, value and layout).
 */
function stepwise(p: Position, fill: Fill) {
  const filled = productOf(fill.price, fill.volume);
  if (fill.side === 'bid')
    return {
      volume: sumOf(p.volume, fill.volume),
      cost: sumOf(sumOf(p.cost, filled), fill.fee),
      realizedPnl: p.realizedPnl,
      pnl: ZERO as Decimal,
    };
  const closesAll = fill.volume.eq(p.volume);
  const released = closesAll ? p.cost : releasedCostOf(p.cost, fill.volume, p.volume, ACCOUNTING_SCALE);
  const realized = differenceOf(differenceOf(filled, fill.fee), released);
  return {
    volume: differenceOf(p.volume, fill.volume),
    cost: differenceOf(p.cost, released),
    realizedPnl: sumOf(p.realizedPnl, realized),
    pnl: realized,
  };
}

const step = fc.record({
  sell: fc.boolean(),
  // Whole won (quote layers), 8-decimal prices, and prices whose value passes 2^53 units.
  price: fc.oneof(
    fc.integer({ min: 1, max: 200_000 }).map(String),
    fc.integer({ min: 1, max: 200_000_000 }).map(String),
    fc.integer({ min: 1, max: 99_999_999 }).map((n) => `${n}e-8`),
  ),
  units: fc.oneof(fc.integer({ min: 1, max: 10 ** 8 }), fc.integer({ min: 1, max: 10 ** 12 })),
  // Parts of the holding sold, in thousandths (1000: all of it).
  fraction: fc.integer({ min: 1, max: 1000 }),
  fee: fc.constantFrom('0.0005', '0.00139', '0.0025', '0'),
  // How the caller hands over the value: its units (when safe), its decimal, or nothing.
  given: fc.constantFrom('units', 'decimal', 'none'),
});

describe('applyValuedFill with the value in units (DecimalChain)', () => {
  it('gives the step-by-step accounting digit for digit over fill sequences', () => {
    let byUnits = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        let p = emptyPosition(BTC, 'market_making', T0);
        for (const s of steps) {
          const held = p.volume;
          const ask = s.sell && !held.isZero();
          const vol = ask
            ? s.fraction === 1000
              ? held
              : volume(held.times(s.fraction).div(1000).toDecimalPlaces(8, 1))
            : volume(krw(ZERO).plus(`${s.units}e-8`));
          if (vol.isZero()) continue;
          const side = ask ? 'ask' : 'bid';
          const px = krw(ZERO).plus(s.price);
          const value = productOf(px, vol);
          const fee = value.times(s.fee);
          const fill = fillOf({
            side,
            strategy: 'market_making',
            price: px.toFixed(),
            volume: vol.toFixed(),
            fee: fee.toFixed(),
          });
          const units = value.times(1e8);
          const safe = units.isInteger() && units.lte(Number.MAX_SAFE_INTEGER) ? units.toNumber() : undefined;
          if (s.given === 'units' && safe !== undefined) byUnits += 1;
          const got =
            s.given === 'units' && safe !== undefined
              ? applyValuedFill(p, fill, undefined, safe)
              : applyValuedFill(p, fill, s.given === 'none' ? undefined : krw(value));
          const want = stepwise(p, fill);
          expect(layout(got.position.volume)).toEqual(layout(want.volume));
          expect(layout(got.position.cost)).toEqual(layout(want.cost));
          expect(layout(got.position.realizedPnl)).toEqual(layout(want.realizedPnl));
          expect(layout(got.realizedPnl)).toEqual(layout(want.pnl));
          expect(layout(got.position.feesPaid)).toEqual(layout(sumOf(p.feesPaid, fill.fee)));
          expect(got.position.openedAt === undefined).toBe(want.volume.isZero());
          p = got.position;
        }
      }),
      { numRuns: 1000 },
    );
    expect(byUnits).toBeGreaterThan(500);
  });
});
