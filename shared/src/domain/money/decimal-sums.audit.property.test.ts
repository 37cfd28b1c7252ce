import fc from 'fast-check';
import { exactDecimal } from '../../../testing/adversarial-decimals';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import { compareDecimals, sumExceeds } from './decimal-compare';
import { wordProduct } from './decimal-products';
import { differenceOf, sumOf } from './decimal-sums';
import { fixedText } from './decimal-text';

// Audit of the word-by-word sums, products, comparisons and printing against decimal.js itself
// (value, layout, sign of zero, text) on adversarial decimals: 2^53, every 10^k ± a little, 40-digit
// results (one digit more must go to decimal.js, which rounds), −0, exact ties x − x.

const RUNS = { seed: 20261205, numRuns: 3000 } as const;
/** decimal.js with room for every exact product of two 40-digit decimals. */
const Wide = Decimal.clone({ precision: 100 });
const exactProduct = (a: Decimal, b: Decimal) => new Wide(a.toString()).times(new Wide(b.toString()));
/** Pairs that share digits: a − a, a ± one unit in the last place, a + (−a). */
const pair = fc.oneof(
  fc.tuple(exactDecimal, exactDecimal).map(([a, b]) => [a.x, b.x] as const),
  exactDecimal.map((a) => [a.x, a.x] as const),
  exactDecimal.map((a) => [a.x, a.x.neg()] as const),
  fc
    .tuple(exactDecimal, fc.integer({ min: -3, max: 3 }))
    .map(([a, k]) => [a.x, a.x.plus(new Decimal(`${k}e${a.exp}`))] as const),
);

describe('audit: word sums and products (claim: decimal.js’s own result, layout and zero sign)', () => {
  it('sumOf and differenceOf are plus and minus', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(layout(sumOf(a, b))).toEqual(layout(a.plus(b)));
        expect(layout(differenceOf(a, b))).toEqual(layout(a.minus(b)));
        expect(layout(differenceOf(b, a))).toEqual(layout(b.minus(a)));
      }),
      RUNS,
    );
  });

  it('wordProduct is times whenever it answers (it may refuse: operands of more than 6 words)', () => {
    let answered = 0;
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const ours = wordProduct(a, b);
        if (ours === undefined) return;
        answered += 1;
        expect(layout(ours)).toEqual(layout(a.times(b)));
        expect(exactProduct(a, b).sd()).toBeLessThanOrEqual(40);
      }),
      RUNS,
    );
    // Coverage on the fixed seed: most pairs are short enough to be answered.
    expect(answered).toBeGreaterThan(RUNS.numRuns / 4);
  });

  it('fixedText is toFixed', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        for (const v of [a, b, a.plus(b), a.times(b)]) expect(fixedText(v)).toBe(v.toFixed());
      }),
      RUNS,
    );
  });

  it('compareDecimals is cmp and sumExceeds is plus(..).gt(..)', () => {
    fc.assert(
      fc.property(pair, exactDecimal, ([a, b], c) => {
        expect(compareDecimals(a, b)).toBe(a.cmp(b));
        expect(compareDecimals(b, a)).toBe(b.cmp(a));
        // The limit exactly at the sum, a hair above and below it, and an unrelated one.
        const s = a.plus(b);
        for (const limit of [s, s.plus(new Decimal('1e-30')), s.minus(new Decimal('1e-30')), c.x])
          expect(sumExceeds(a, b, limit)).toBe(a.plus(b).gt(limit));
      }),
      RUNS,
    );
  });
});
