import fc from 'fast-check';
import { BoundedWindowSum } from './bounded-window-sum';
import { RingBuffer } from './ring-buffer';

/** The window summed oldest first, as a caller deciding exactly would. */
function inOrderSum(ring: RingBuffer): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) s += ring.get(i);
  return s;
}

describe('BoundedWindowSum', () => {
  it('brackets the in-order sum of the window after every update, spikes and zeros included', () => {
    const value = fc.oneof(
      fc.constant(0),
      fc.double({ min: 0, max: 1e3, noNaN: true }),
      fc.double({ min: 1e6, max: 1e12, noNaN: true }),
      fc.integer({ min: 1, max: 1e6 }).map((x) => x / 1e8),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.array(value, { minLength: 1, maxLength: 400 }),
        (window, values) => {
          const ring = new RingBuffer(window);
          const sum = new BoundedWindowSum();
          for (const v of values) {
            const evicted = ring.push(v);
            sum.update(v, evicted, ring.wrapped, ring.storage);
            const exact = inOrderSum(ring);
            if (!(exact >= sum.sum - sum.slack && exact <= sum.sum + sum.slack)) return false;
          }
          return true;
        },
      ),
      { numRuns: 500 },
    );
  });

  it('re-sums when the ring wraps and starts from zero after reset', () => {
    const ring = new RingBuffer(2);
    const sum = new BoundedWindowSum();
    for (const v of [1e16, 1, 1]) sum.update(v, ring.push(v), ring.wrapped, ring.storage);
    expect(sum.sum).toBe(0); // 1e16 + 1 − 1e16: the residue the slack covers
    expect(sum.slack).toBeGreaterThanOrEqual(2);
    sum.update(1, ring.push(1), ring.wrapped, ring.storage); // the ring wraps: re-summed exactly
    expect(sum.sum).toBe(2);
    sum.reset();
    expect(sum.sum).toBe(0);
    expect(sum.slack).toBe(0);
  });
});
