import fc from 'fast-check';
import { layout, parsed, safeInt } from '../../../testing/decimal-layout';
import { Decimal } from './decimal';
import { DecimalChain } from './decimal-chain-sums';
import { decimalOfUnits } from './decimal-units';

// KRW amounts, 8-decimal volumes and values, 12-decimal fees, 20-decimal costs, long and huge
// values (which the chain must refuse or get right), zeros and specials.
const single = fc.oneof(
  fc
    .tuple(safeInt, fc.integer({ min: 0, max: 999_999_999_999 }), fc.integer({ min: 0, max: 32 }))
    .map(([u, v, k]) => new Decimal(`${u}${String(v).padStart(12, '0')}e-${k}`)),
  fc.tuple(safeInt, fc.integer({ min: 0, max: 28 })).map(([u, k]) => parsed(u, k)),
  fc.integer({ min: -200_000_000, max: 200_000_000 }).map((n) => new Decimal(n)),
  fc.integer({ min: 0, max: 99_999_999 }).map((n) => parsed(n, 8)),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((f) => new Decimal(f)),
  fc.constantFrom(
    new Decimal('0'),
    new Decimal('-0'),
    new Decimal('1e30'),
    new Decimal('-1e-30'),
    new Decimal('1e40'),
    new Decimal('1.000000000000000000000000000000000000000000001'),
    new Decimal('123456789012345678901234567890123456789.5'),
    new Decimal(Number.NaN),
    new Decimal(Number.POSITIVE_INFINITY),
  ),
);

type Term =
  | { readonly kind: 'decimal'; readonly x: Decimal; readonly sign: 1 | -1 }
  | { readonly kind: 'units'; readonly units: number; readonly scale: number; readonly sign: 1 | -1 };

const sign = fc.constantFrom<1 | -1>(1, -1);
const term: fc.Arbitrary<Term> = fc.oneof(
  fc.tuple(single, sign).map(([x, s]) => ({ kind: 'decimal' as const, x, sign: s })),
  fc
    .tuple(safeInt, fc.integer({ min: 0, max: 28 }), sign)
    .map(([units, scale, s]) => ({ kind: 'units' as const, units, scale, sign: s })),
);

/** The chain step by step, as decimal.js computes it (a units term as its decimal). */
function stepwise(start: Decimal | undefined, terms: readonly Term[]): Decimal {
  let acc = start;
  for (const t of terms) {
    const x = t.kind === 'decimal' ? t.x : decimalOfUnits(t.units, t.scale);
    acc =
      acc === undefined
        ? t.sign === 1
          ? x
          : new Decimal(0).minus(x)
        : t.sign === 1
          ? acc.plus(x)
          : acc.minus(x);
  }
  return acc ?? new Decimal(0);
}

function chained(
  chain: DecimalChain,
  start: Decimal | undefined,
  terms: readonly Term[],
): Decimal | undefined {
  chain.start(start);
  for (const t of terms) {
    if (t.kind === 'decimal') chain.plus(t.x, t.sign);
    else chain.plusUnits(t.units, t.scale, t.sign);
  }
  return chain.result();
}

// A fill's chains: cash ∓ value − fee, cost + value + fee, value − fee − released, on the grids the
// broker uses (whole-won prices × 8-decimal volumes, 12-decimal fees, 20-decimal released costs).
const fillChain = fc
  .tuple(
    fc.bigInt({ min: 0n, max: 10n ** 27n }),
    fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    fc.integer({ min: 0, max: 2 ** 40 }),
    fc.bigInt({ min: 0n, max: 10n ** 26n }),
    sign,
  )
  .map(([cash, value, fee, released, s]) => ({
    start: new Decimal(`${cash}e-20`),
    terms: [
      { kind: 'units', units: value, scale: 8, sign: s },
      { kind: 'units', units: fee, scale: 12, sign: -1 },
      { kind: 'decimal', x: new Decimal(`${released}e-20`), sign: -1 },
    ] as Term[],
  }));

describe('DecimalChain', () => {
  it('is the step-by-step chain exactly (value and layout) wherever it decides', () => {
    const chain = new DecimalChain();
    let decided = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          single.map((x): Decimal | undefined => x),
          fc.constant(undefined),
        ),
        fc.array(term, { minLength: 1, maxLength: 4 }),
        (start, terms) => {
          const got = chained(chain, start, terms);
          if (got === undefined) return;
          decided += 1;
          const expected = stepwise(start, terms);
          expect(got.toFixed()).toBe(expected.toFixed());
          expect(layout(got)).toEqual(layout(expected));
        },
      ),
      { numRuns: 20_000 },
    );
    expect(decided).toBeGreaterThan(5_000);
  });

  it('decides the fill chains of the simulated broker, values past 2^53 included', () => {
    const chain = new DecimalChain();
    let decided = 0;
    fc.assert(
      fc.property(fillChain, ({ start, terms }) => {
        const got = chained(chain, start, terms);
        const expected = stepwise(start, terms);
        if (!expected.isZero()) {
          expect(got).toBeDefined();
          decided += 1;
        }
        if (got === undefined) return;
        expect(got.toFixed()).toBe(expected.toFixed());
        expect(layout(got)).toEqual(layout(expected));
      }),
      { numRuns: 5_000 },
    );
    expect(decided).toBeGreaterThan(4_000);
  });

  it('refuses exact zeros, rounding chains, non-finite terms and units off the safe range', () => {
    const chain = new DecimalChain();
    const x = new Decimal('1.5');
    expect(chain.start(x).plus(x, -1).result()).toBeUndefined();
    expect(chain.start().result()).toBeUndefined();
    const long = new Decimal('123456789012345678901234567890123456789.5');
    expect(chain.start(long).plus(new Decimal('0.25'), 1).result()).toBeUndefined();
    expect(chain.start(x).plus(new Decimal(Number.NaN), 1).result()).toBeUndefined();
    expect(
      chain
        .start(x)
        .plusUnits(2 ** 53, 8, 1)
        .result(),
    ).toBeUndefined();
    expect(chain.start(x).plusUnits(1, 29, 1).result()).toBeUndefined();
    // A chain reused after a refusal starts afresh.
    expect(chain.start(x).plusUnits(25, 2, -1).result()?.toFixed()).toBe('1.25');
    expect(
      chain.start(new Decimal('-3')).plusUnits(-7, 1, 1).plus(new Decimal('1'), 1).result()?.toFixed(),
    ).toBe('-2.7');
  });
});
