import fc from 'fast-check';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from '../../domain/money/decimal';
import { productOf } from '../../domain/money/decimal-units';
import { holdingValue } from './holding-value';

describe('holdingValue', () => {
  it('is productOf for any sequence of volumes and marks, repeated objects included', () => {
    const decimal = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
      .map(([u, k]) => new Decimal(`${u}e-${k}`));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(decimal, decimal, fc.boolean()), { minLength: 1, maxLength: 20 }),
        (pairs) => {
          let previous: [Decimal, Decimal] | undefined;
          for (const [v, m, again] of pairs) {
            // Half the time the very objects of the previous call (the remembered product).
            const [volume, mark] = again && previous !== undefined ? previous : [v, m];
            expect(layout(holdingValue(volume, mark))).toEqual(layout(productOf(volume, mark)));
            previous = [volume, mark];
          }
        },
      ),
      { seed: 20261205, numRuns: 500 },
    );
  });

  it('recomputes for equal but distinct objects (a new mark or position)', () => {
    const v = new Decimal('0.5');
    expect(holdingValue(v, new Decimal('100')).toFixed()).toBe('50');
    expect(holdingValue(v, new Decimal('200')).toFixed()).toBe('100');
  });
});
