import fc from 'fast-check';
import { Decimal } from '../money/decimal';
import { type Krw, krw } from '../money/quantities';
import { type EpochMs, MS } from '../time/epoch';
import { advanceLedgers, evaluateLossLimits, type LedgerSet } from './loss-ledger';
import { LossLimitTracker } from './loss-tracker';
import { DEFAULT_RISK_LIMITS } from './risk-limits';

const START = Date.parse('2026-01-30T14:00:00Z');
const EQUITIES = ['10000000', '9700000', '9500000.5', '10200000', '8400000', '10000000.00000001'];

describe('LossLimitTracker', () => {
  it('gives the same ledgers and status as advancing and evaluating at every mark', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.oneof(fc.constant(MS.minute), fc.integer({ min: 0, max: 9 * MS.day })),
            equity: fc.integer({ min: 0, max: EQUITIES.length - 1 }),
            fresh: fc.boolean(),
          }),
          { minLength: 1, maxLength: 120 },
        ),
        fc.constantFrom('day_start', 'intraday_peak') as fc.Arbitrary<'day_start' | 'intraday_peak'>,
        (marks, reference) => {
          const limits = { ...DEFAULT_RISK_LIMITS.loss, instantDropReference: reference };
          const tracker = new LossLimitTracker(limits);
          let ledgers: LedgerSet | undefined;
          let at = START;
          let previous: Krw | undefined;
          for (const m of marks) {
            at += m.gap;
            // The same value as a new object half of the time, the same object otherwise.
            const text = EQUITIES[m.equity] as string;
            const equity = !m.fresh && previous?.eq(text) ? previous : krw(new Decimal(text));
            previous = equity;
            ledgers = advanceLedgers(ledgers ?? {}, at as EpochMs, equity).ledgers;
            const expected = evaluateLossLimits(ledgers, equity, limits);
            expect(tracker.mark(at as EpochMs, equity)).toEqual(expected);
            expect(tracker.ledgers).toEqual(ledgers);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
