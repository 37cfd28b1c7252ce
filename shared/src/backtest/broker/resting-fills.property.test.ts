import fc from 'fast-check';
import { Decimal, decimalFromNumber, minDecimal, ZERO } from '../../domain/money/decimal';
import { decimalGt } from '../../domain/money/decimal-compare';
import { floorUnitsOfProduct } from '../../domain/money/decimal-floors';
import { decimalOfUnits } from '../../domain/money/decimal-units';
import { floorVolume, VOLUME_DECIMALS, type Volume, volume } from '../../domain/money/quantities';
import { PARTIAL, partialFill, warmPartialFills } from './resting-fills';

// fillsFromBar's partial fill as it was written inline before partialFill took it out of line (so
// that the rare decimal path has type feedback from the warm-up): the fill, or undefined where the
// caller skipped the order, and its units.
function reference(
  known: number | undefined,
  remaining: Volume,
  available: number,
): { fill: Volume | undefined; units: number | undefined } {
  const floored = known === undefined ? undefined : floorUnitsOfProduct(available, 1e8);
  if (known !== undefined && floored !== undefined) {
    const units = Math.min(floored, known);
    if (!(units > 0)) return { fill: undefined, units };
    return { fill: decimalOfUnits(units, VOLUME_DECIMALS) as Volume, units };
  }
  return { fill: floorVolume(volume(minDecimal(remaining, decimalFromNumber(available)))), units: undefined };
}

describe('partialFill', () => {
  it('is the inline partial fill it replaced: the same volume text, units and skips', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 12 }),
        fc.boolean(),
        fc.boolean(),
        fc.double({ min: 0, max: 20_000, noNaN: true }),
        (units, held, constructed, available) => {
          // A remainder in 1e-8 units, as either decimal class (decimal.js's constructor, assemble).
          const remaining = (
            constructed ? volume(new Decimal(units).div(1e8)) : decimalOfUnits(units, VOLUME_DECIMALS)
          ) as Volume;
          const known = held ? units : undefined;
          const want = reference(known, remaining, available);
          const got = partialFill(known, remaining, available);
          expect(got?.toFixed()).toBe(want.fill?.toFixed());
          if (got !== undefined) expect(PARTIAL.units).toBe(want.units);
        },
      ),
    );
  });

  it('skips a zero floor on the units path and keeps the decimal path for an order without units', () => {
    const remaining = decimalOfUnits(150_000_000, VOLUME_DECIMALS) as Volume;
    expect(partialFill(150_000_000, remaining, 1e-9)).toBeUndefined();
    const decimal = partialFill(undefined, remaining, 0.123456789);
    expect(decimal?.toFixed()).toBe('0.12345678');
    expect(PARTIAL.units).toBeUndefined();
    expect(decimalGt(decimal as Volume, ZERO)).toBe(true);
  });

  it('is warmed on its decimal path last (warmPartialFills)', () => {
    expect(warmPartialFills()?.toFixed()).toBe('0.12345678');
  });
});
