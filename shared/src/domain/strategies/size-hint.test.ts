import fc from 'fast-check';
import type { EpochMs } from '../time/epoch';
import { sizeHintKrw } from './size-hint';

const ctx = (positionVolume: number, availableKrw: number) => ({
  now: 0 as EpochMs,
  positionVolume,
  availableKrw,
});

describe('size hints', () => {
  it('buy = strength × available KRW, sell = strength × held value, flat = 0', () => {
    expect(sizeHintKrw('buy', 0.5, ctx(0, 1_000_000), 100)).toBe(500_000);
    expect(sizeHintKrw('sell', 0.5, ctx(0.01, 0), 95_000_000)).toBe(475_000);
    expect(sizeHintKrw('flat', 1, ctx(1, 1e6), 100)).toBe(0);
  });

  it('property: never more than the cash for a buy or the holding for a sell, never negative', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 2, noNaN: true }),
        fc.double({ min: -1, max: 10, noNaN: true }),
        fc.double({ min: -1e6, max: 1e8, noNaN: true }),
        fc.double({ min: 1, max: 2e8, noNaN: true }),
        (strength, held, cash, price) => {
          const buy = sizeHintKrw('buy', strength, ctx(held, cash), price);
          const sell = sizeHintKrw('sell', strength, ctx(held, cash), price);
          expect(buy).toBeGreaterThanOrEqual(0);
          expect(sell).toBeGreaterThanOrEqual(0);
          expect(buy).toBeLessThanOrEqual(Math.max(0, cash));
          expect(sell).toBeLessThanOrEqual(Math.max(0, held) * price);
        },
      ),
    );
  });
});
