import fc from 'fast-check';
import { Ema } from './ema';
import { Macd } from './macd';
import { assertFinite } from './ring-buffer';
import { Sma } from './sma';
import { VolumeProfile } from './volume-profile';

// The per-bar fast paths of MACD and the volume profile against the plain code they replace: the
// same values bit for bit, and the same errors for the inputs they refuse.

/** MACD composed of three `Ema.update` calls per bar, as Macd.update did before its steady state. */
class ComposedMacd {
  private readonly fastSeed: Sma;
  private readonly fast: Ema;
  private readonly slow: Ema;
  private readonly signalEma: Ema;
  line = Number.NaN;

  constructor(fastPeriod: number, slowPeriod: number, signalPeriod: number) {
    this.fastSeed = new Sma(fastPeriod);
    this.fast = new Ema(fastPeriod);
    this.slow = new Ema(slowPeriod);
    this.signalEma = new Ema(signalPeriod);
  }

  get signal(): number {
    return this.signalEma.value;
  }

  update(x: number): number {
    assertFinite(x, 'MACD input');
    let line: number;
    if (this.slow.ready) line = this.fast.update(x) - this.slow.update(x);
    else {
      const slow = this.slow.update(x);
      this.fastSeed.update(x);
      if (!this.slow.ready) return Number.NaN;
      this.fast.seed(this.fastSeed.value);
      line = this.fast.value - slow;
    }
    this.line = line;
    return line - this.signalEma.update(line);
  }
}

/** What `f` returns or the message it throws. */
function outcome<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

/** VolumeProfile.update's checks as three assertFinite calls and two range checks, in that order. */
function plainBarCheck(high: number, low: number, volume: number): void {
  assertFinite(high, 'profile high');
  assertFinite(low, 'profile low');
  assertFinite(volume, 'profile volume');
  if (high < low) throw new RangeError(`bar high ${high} is below low ${low}`);
  if (volume < 0) throw new RangeError(`profile volume must be ≥ 0, got ${volume}`);
}

// Prices from 1 to 1e8 and, now and then, a huge one whose MACD line overflows.
const price = fc.oneof(
  { weight: 20, arbitrary: fc.double({ min: 1, max: 1e8, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(1.7e308, -1.7e308) },
);

// Every kind of double a bad feed could carry, next to ordinary values.
const anyDouble = fc.oneof(
  fc.double({ min: -10, max: 1e8, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0),
);

describe('indicator fast paths', () => {
  it('MACD equals three Ema updates per bar bit for bit, errors included', () => {
    fc.assert(
      fc.property(
        fc.array(price, { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 10 }),
        (xs, f, extra, s) => {
          const macd = new Macd(f, f + extra, s);
          const ref = new ComposedMacd(f, f + extra, s);
          for (const x of xs) {
            expect(
              Object.is(
                outcome(() => macd.update(x)),
                outcome(() => ref.update(x)),
              ),
            ).toBe(true);
            expect(Object.is(macd.signal, ref.signal)).toBe(true);
            expect(Object.is(macd.macd, macd.ready ? ref.line : Number.NaN)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an overflowing MACD line is refused as the signal average refused it', () => {
    const macd = new Macd(1, 2, 1);
    const ref = new ComposedMacd(1, 2, 1);
    for (const x of [1, 1, 1, 1.7e308]) expect(macd.update(x)).toBe(ref.update(x));
    expect(macd.ready).toBe(true);
    const refused = outcome(() => ref.update(-1.7e308));
    expect(refused).toMatch(/^RangeError: EMA input must be a finite number/);
    expect(outcome(() => macd.update(-1.7e308))).toBe(refused);
  });

  it('VolumeProfile.update accepts and refuses the bars the plain checks do, with their errors', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyDouble, anyDouble, anyDouble), { maxLength: 40 }), (bars) => {
        const profile = new VolumeProfile(8, 4);
        for (const [high, low, volume] of bars) {
          const expected = outcome(() => plainBarCheck(high, low, volume));
          expect(outcome(() => profile.update(high, low, volume))).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
