import fc from 'fast-check';
import { Decimal } from './decimal';
import { numberOf } from './decimal-units';

// Audit of numberOf's long-decimal path (longDecimalToDouble: Dekker remainder + two-sum with an
// error bound) on the hardest inputs there are: decimals exactly half-way between two adjacent
// doubles (ties, decided to even by the parser), and one unit in the 40th digit to either side.
// Between 2^52 and 2^60 (and scaled by 2^-k) such midpoints have 17 to 40 digits.

const RUNS = { seed: 20261205, numRuns: 5000 } as const;

/** The exact decimal text of (2m + 1) · 2^-(k+1) for a 53-bit m: the midpoint of m·2^-k and its successor. */
function midpointText(m: bigint, k: number): string {
  const scaled = (2n * m + 1n) * 5n ** BigInt(k + 1);
  const digits = scaled.toString().padStart(k + 2, '0');
  return `${digits.slice(0, -(k + 1))}.${digits.slice(-(k + 1))}`;
}

describe('audit: numberOf on ties between doubles (claim: toNumber’s correctly rounded double)', () => {
  it('rounds exact midpoints to even and a hair beside them to the nearer double', () => {
    const m = fc.bigInt({ min: 2n ** 52n, max: 2n ** 53n - 1n });
    fc.assert(
      fc.property(
        m,
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom(0, 1, -1),
        fc.boolean(),
        (mm, k, nudge, neg) => {
          const text = midpointText(mm, k);
          let x = new Decimal(text);
          if (x.sd() > 39) return;
          if (nudge !== 0) x = x.plus(new Decimal(`${nudge}e${x.e - 39}`));
          if (neg) x = x.neg();
          expect(numberOf(x)).toBe(x.toNumber());
        },
      ),
      RUNS,
    );
  });
});
