import fc from 'fast-check';
import { exactDecimal } from '../../../testing/adversarial-decimals';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import { shortfallReaches } from './decimal-compare';
import {
  floorOfDecimalTimes,
  floorOfNumberOver,
  floorOfProduct,
  floorOfQuotient,
  floorUnitsOfNumberOver,
} from './decimal-floors';

// Audit of the order-sizing floors (budget / price, size × fraction) and the loss-limit check
// against decimal.js's own expressions, on operands built to sit exactly on a multiple of the
// result's last place (the ties the double margins must hand to decimal.js), one unit to either
// side, near 2^52, with 40-digit and tiny operands.

const RUNS = { seed: 20261205, numRuns: 3000 } as const;
const positive = exactDecimal.filter((v) => v.units > 0n).map((v) => v.x.abs());
const places = fc.integer({ min: 0, max: 8 });
/** A dividend at q × y (q with `places` decimals) exactly, or one 1e-k away from it. */
const quotientCase = fc
  .tuple(
    positive,
    fc.bigInt({ min: 1n, max: 10n ** 17n }),
    places,
    fc.constantFrom(0, 0, 1, -1),
    fc.integer({ min: 8, max: 30 }),
  )
  .map(([y, q, pl, nudge, k]) => {
    const x = y.times(new Decimal(`${q}e-${pl}`)).plus(new Decimal(`${nudge}e-${k}`));
    return [x, y, pl] as const;
  })
  .filter(([x]) => x.gte(0));
const asDouble = (x: Decimal) => x.toNumber();

describe('audit: floors of quotients and products (claim: decimal.js’s floor, value and layout)', () => {
  it('floorOfQuotient is div(..).toDecimalPlaces(places, down) on exact and near-exact quotients', () => {
    fc.assert(
      fc.property(quotientCase, ([x, y, pl]) => {
        expect(layout(floorOfQuotient(x, y, pl))).toEqual(
          layout(x.div(y).toDecimalPlaces(pl, Decimal.ROUND_DOWN)),
        );
      }),
      RUNS,
    );
  });

  it('floorOfNumberOver and floorUnitsOfNumberOver answer only with the decimal floor', () => {
    fc.assert(
      fc.property(quotientCase, ([x, y, pl]) => {
        const f = asDouble(x);
        const want = new Decimal(String(f)).div(y).toDecimalPlaces(pl, Decimal.ROUND_DOWN);
        const got = floorOfNumberOver(f, y, pl);
        if (got !== undefined) expect(layout(got)).toEqual(layout(want));
        const b = asDouble(y);
        if (new Decimal(String(b)).eq(y)) {
          const units = floorUnitsOfNumberOver(f, b, pl);
          if (units !== undefined) expect(units).toBe(want.times(10 ** pl).toNumber());
        }
      }),
      RUNS,
    );
  });

  it('floorOfProduct and floorOfDecimalTimes are times(..).toDecimalPlaces(0, floor) at whole products', () => {
    fc.assert(
      fc.property(quotientCase, fc.integer({ min: 0, max: 2 ** 40 }), ([x, y], n) => {
        // x / y near a fraction whose product with n is (nearly) whole.
        const f = asDouble(x.div(y));
        if (Number.isFinite(f) && f >= 0) {
          const want = new Decimal(f).times(n).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
          expect(floorOfProduct(f, n).eq(want)).toBe(true);
          const w2 = y.times(new Decimal(String(f))).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
          expect(layout(floorOfDecimalTimes(y, f))).toEqual(layout(w2));
        }
      }),
      RUNS,
    );
  });

  it('floorOfProduct and floorOfDecimalTimes at exact whole products (k / 10^m times a multiple of 10^m, ± 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 10 ** 6 }),
        fc.constantFrom(0, 1, -1),
        (k, m, j, nudge) => {
          const f = Number(`${k}e-${m}`);
          const n = j * 10 ** Math.min(m, 9) + nudge;
          if (!Number.isSafeInteger(n) || n < 0) return;
          const want = new Decimal(f).times(n).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
          expect(floorOfProduct(f, n).eq(want)).toBe(true);
          const y = new Decimal(n);
          const w2 = y.times(new Decimal(String(f))).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
          expect(layout(floorOfDecimalTimes(y, f))).toEqual(layout(w2));
        },
      ),
      RUNS,
    );
  });

  it('shortfallReaches is minus(..).div(..).gte(limit) with the limit exactly at the shortfall', () => {
    fc.assert(
      fc.property(positive, exactDecimal, fc.constantFrom(0, 1, -1), (a, b, nudge) => {
        const exact = a.minus(b.x).div(a);
        for (const limit of [exact, exact.plus(new Decimal(`${nudge}e-39`)), b.x.abs().div(a.plus(1))])
          expect(shortfallReaches(a, b.x, limit)).toBe(a.minus(b.x).div(a).gte(limit));
      }),
      RUNS,
    );
  });
});
