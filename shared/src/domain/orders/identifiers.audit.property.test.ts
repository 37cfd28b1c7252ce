import fc from 'fast-check';
import type { Market } from '../market/market-id';
import type { EpochMs } from '../time/epoch';
import {
  IdentifierError,
  makeDecisionId,
  orderIdentifier,
  parseDecisionId,
  parseOrderIdentifier,
} from './identifiers';

// Audit of the decision-id fast path (a0b3363: the pattern skipped for a prefix that passed it,
// the day's date text remembered): every id must be the text the definition gives, accepted or
// refused exactly as the pattern says, with valid and invalid scopes and markets interleaved (so
// the remembered prefix and day switch between calls), minutes at day, year and range edges, and
// sequence numbers that are negative, −0, huge, fractional or not numbers at all.

const DAY = 86_400_000;
const END = Date.UTC(10000, 0, 1);
const minute = fc.oneof(
  fc.integer({ min: 0, max: END - 1 }),
  fc
    .tuple(fc.integer({ min: 0, max: 115_000 }), fc.constantFrom(0, -60_000, 60_000, DAY - 60_000))
    .map(([d, k]) => d * DAY + k),
  fc.constantFrom(0, END - 60_000, END - 1, END, -60_000, Date.UTC(2024, 1, 29, 23, 59), 1.5, Number.NaN),
  // Either side of a minute's edge: whole milliseconds (minutes since the epoch, less the day's)
  // and fractional ones (the hour and minute from the day's remainder).
  fc
    .tuple(
      fc.integer({ min: 0, max: 115_000 }),
      fc.integer({ min: 0, max: 1_440 }),
      fc.constantFrom(-1, 0, 1, -0.5, 0.5, -0.001, 59_999.999),
    )
    .map(([d, m, k]) => d * DAY + m * 60_000 + k),
);
const seq = fc.oneof(
  fc.integer({ min: 0, max: 99 }),
  fc.constantFrom(-1, -0, 2 ** 53, Number.MAX_SAFE_INTEGER, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 1e21),
);
const scope = fc.constantFrom('ens', 'mmq', 'ops', 'a b', 'x'.repeat(30), 'é', '');
const market = fc.constantFrom(
  'KRW-BTC',
  'KRW-ETH',
  'KRW-SHIB',
  'KRW-A.B',
  `KRW-${'Z'.repeat(20)}`,
) as fc.Arbitrary<Market>;

/** The definition: `scope-ASSET-yyyyMMddTHHmm-seq` from toISOString, valid iff it matches the pattern. */
function reference(s: string, m: Market, at: number, n: number): string | undefined {
  let stamp: string;
  try {
    const iso = new Date(at).toISOString();
    stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}`;
  } catch {
    return undefined;
  }
  const text = `${s}-${m.slice(4)}-${stamp}-${n}`;
  return /^[A-Za-z0-9_:-]{1,48}$/.test(text) ? text : undefined;
}

describe('audit: makeDecisionId fast path (claim: the pattern’s verdict and the definition’s text)', () => {
  it('makes the reference id or refuses, whatever came before', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(scope, market, minute, seq), { minLength: 1, maxLength: 6 }), (calls) => {
        const made: string[] = [];
        for (const [s, m, at, n] of calls) {
          const want = reference(s, m, at, n);
          let got: string | undefined;
          try {
            got = makeDecisionId(s, m, at as EpochMs, n);
          } catch (e) {
            if (!(e instanceof IdentifierError || e instanceof RangeError)) throw e;
            got = undefined;
          }
          expect(got).toBe(want);
          if (want !== undefined) {
            made.push(want);
            expect(parseOrderIdentifier(orderIdentifier(got as never, 3, 1))?.decisionId).toBe(want);
          }
          // The fast path's ids count as validated (parseDecisionId's memo): an invalid text made
          // from the same parts is still refused right after one.
          expect(() => parseDecisionId(`${s}-${m.slice(4)} ${n}`)).toThrow(IdentifierError);
        }
        // Every id made, not only the last, identifies its orders (the memo is an optimisation).
        for (const id of made)
          expect(parseOrderIdentifier(orderIdentifier(id as never, 0, 0))?.decisionId).toBe(id);
      }),
      { seed: 20261205, numRuns: 3000 },
    );
  });

  it('makes the reference id for many markets asked in turn, minute after minute, across days and past the prefix bound', () => {
    // A multi-market run's pattern: each minute, every scope for every market (the prefixes are kept
    // per scope and market, and their day texts per prefix); up to 300 markets × 2 scopes passes the
    // 256 prefixes kept, so the memo is emptied and refilled mid-run.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom('ens', 'mmq', 'a b'),
        fc.integer({ min: 0, max: 115_000 }),
        fc.integer({ min: 1, max: 4 }),
        (markets, other, day, minutes) => {
          const start = (day + 1) * DAY - 2 * 60_000;
          for (let k = 0; k < minutes; k++) {
            const at = start + k * 60_000;
            for (let i = 0; i < markets; i++) {
              const m = `KRW-M${i}` as Market;
              for (const s of ['mmq', other]) {
                const want = reference(s, m, at, 0);
                let got: string | undefined;
                try {
                  got = makeDecisionId(s, m, at as EpochMs);
                } catch (e) {
                  if (!(e instanceof IdentifierError)) throw e;
                  got = undefined;
                }
                expect(got).toBe(want);
              }
            }
          }
        },
      ),
      { seed: 20261206, numRuns: 60 },
    );
  });
});
