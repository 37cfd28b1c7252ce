import fc from 'fast-check';
import { floorQuotient } from './floor-quotient';

describe('floorQuotient', () => {
  it('is the floor of n / d by BigInt, across the whole safe range (|n| + d ≤ 2^53)', () => {
    const LIMIT = 2 ** 53;
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: Number.MAX_SAFE_INTEGER })
          .chain((d) => fc.tuple(fc.integer({ min: -(LIMIT - d), max: LIMIT - d }), fc.constant(d))),
        ([n, d]) => {
          const big = BigInt(n) / BigInt(d);
          const floor = BigInt(n) % BigInt(d) < 0n ? big - 1n : big;
          expect(floorQuotient(n, d)).toBe(Number(floor));
        },
      ),
      { numRuns: 5000 },
    );
    expect(floorQuotient(2 ** 53 - 2, 2 ** 53 - 3)).toBe(1);
    expect(floorQuotient(-1, 7)).toBe(-1);
    expect(floorQuotient(9_007_199_254_740_990, 10_000_000)).toBe(900_719_925);
  });
});
