import fc from 'fast-check';
import { fixedDigits } from '../../text/fixed-digits';
import { type QuoteReason, QuoteReasonText } from './quote-reason';

type Source = 'candle' | 'book';
type Numbers = readonly [number, number, number, number, number];

/** The text before quote-reason.ts, as market-making-strategy.ts built it. */
function previousReason(source: Source, [half, sigma, skew, imbalance, inventoryPct]: Numbers): string {
  return (
    `${source}: half-spread ${fixedDigits(half, 1)} bps (σ ${fixedDigits(sigma, 1)} bps), ` +
    `skew ${fixedDigits(skew, 1)} bps (imbalance ${fixedDigits(imbalance, 2)}, inventory ${fixedDigits(inventoryPct, 0)} %)`
  );
}

/** The text as toFixed writes it (the reference fixedDigits is tested against). */
function toFixedReason(source: Source, [half, sigma, skew, imbalance, inventoryPct]: Numbers): string {
  return (
    `${source}: half-spread ${half.toFixed(1)} bps (σ ${sigma.toFixed(1)} bps), ` +
    `skew ${skew.toFixed(1)} bps (imbalance ${imbalance.toFixed(2)}, inventory ${inventoryPct.toFixed(0)} %)`
  );
}

// Doubles that repeat, sign-flip through zero, sit on ties, or are not finite: the memo's edges.
const special = fc.constantFrom(
  0,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -1e-300,
  0.05,
  -0.05,
  0.125,
  2.5,
);
const number = fc.oneof(
  { weight: 3, arbitrary: fc.double() },
  { weight: 3, arbitrary: fc.double({ min: -500, max: 500, noNaN: true }) },
  { weight: 2, arbitrary: special },
);
const numbers: fc.Arbitrary<Numbers> = fc.tuple(number, number, number, number, number);

/** A run of bars: each bar either repeats some of the last bar's doubles or draws new ones. */
const bars = fc.array(
  fc.tuple(
    fc.constantFrom<Source>('candle', 'book'),
    numbers,
    fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  ),
  { minLength: 1, maxLength: 40 },
);

describe('QuoteReasonText', () => {
  it('property: every bar of any run gives the previous text and toFixed’s text', () => {
    fc.assert(
      fc.property(bars, (run) => {
        const text = new QuoteReasonText();
        let last: Numbers = [0, 0, 0, 0, 0];
        for (const [source, drawn, keep] of run) {
          const now = drawn.map((x, i) => (keep[i] ? last[i] : x)) as unknown as Numbers;
          const got = text.format(source, ...now);
          expect(got).toBe(previousReason(source, now));
          expect(got).toBe(toFixedReason(source, now));
          last = now;
        }
      }),
      { seed: 20261206, numRuns: 3_000 },
    );
  });

  it('property: a run’s reasons read later, in any order, give the eager texts; toJSON is the literal’s', () => {
    fc.assert(
      fc.property(bars, fc.array(fc.nat(), { maxLength: 80 }), (run, order) => {
        const text = new QuoteReasonText();
        let last: Numbers = [0, 0, 0, 0, 0];
        const made: { reason: QuoteReason; expected: string }[] = [];
        for (const [source, drawn, keep] of run) {
          const now = drawn.map((x, i) => (keep[i] ? last[i] : x)) as unknown as Numbers;
          made.push({ reason: text.reasonOf(source, ...now), expected: toFixedReason(source, now) });
          last = now;
        }
        // Read after every later bar was made (the formatter's caches moved on), some twice.
        for (const i of order) {
          const m = made[i % made.length] as (typeof made)[number];
          expect(m.reason.reason).toBe(m.expected);
        }
        for (const m of made) {
          expect(m.reason.reason).toBe(m.expected);
          expect(JSON.stringify(m.reason)).toBe(
            JSON.stringify({ strategy: 'market_making', score: 0, weight: 1, reason: m.expected }),
          );
        }
      }),
      { seed: 20261206, numRuns: 2_000 },
    );
  });

  it('a flat candle bar after a held one: 0 after −0 and the inventory back at 0', () => {
    const text = new QuoteReasonText();
    const held: Numbers = [12.25, 3.04, -4.9, 0, 37.5];
    const flat: Numbers = [12.25, 3.05, -0, 0, 0];
    expect(text.format('candle', ...held)).toBe(toFixedReason('candle', held));
    expect(text.format('candle', ...flat)).toBe(toFixedReason('candle', flat));
    expect(text.format('candle', ...flat)).toBe(
      'candle: half-spread 12.3 bps (σ 3.0 bps), skew 0.0 bps (imbalance 0.00, inventory 0 %)',
    );
  });

  it('kept tails: texts that come back, across imbalances and past the cache’s bound, read the same', () => {
    const text = new QuoteReasonText();
    // 2 × 2,600 distinct tails (more than the 4,096 kept), each visited, then every one again.
    const seen: Numbers[] = [];
    for (const imbalance of [0, -0.37])
      for (let inventory = 0; inventory < 2_600; inventory++) seen.push([1, 2, 3, imbalance, inventory]);
    for (const n of seen) expect(text.format('candle', ...n)).toBe(toFixedReason('candle', n));
    for (let i = seen.length - 1; i >= 0; i -= 7) {
      const n = seen[i] as Numbers;
      expect(text.format('book', ...n)).toBe(toFixedReason('book', n));
    }
  });
});
