import fc from 'fast-check';
import { reasonOf as decisionReason } from '../../domain/ensemble/order-plan';
import type { SignalContribution } from '../../domain/trading/decision';
import { STRATEGY_NAMES, StrategyName } from '../../domain/trading/strategy-name';
import { soleReason } from './sim-order';
import { reasonDecision } from './testing/reason-decision';

const strategy = fc.constantFrom(...STRATEGY_NAMES);
// Reasons with the join separator, lone surrogates, empty texts, and texts built by concatenation
// (cons strings, as market making's reason template makes them).
const reason = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '; ', 'a; b', '\ud800', 'σ 1.5'),
  fc.tuple(fc.string(), fc.double()).map(([a, b]) => `quote ${a}: σ ${b.toFixed(2)} ${a}`),
);
const signal: fc.Arbitrary<SignalContribution> = fc.record({
  strategy,
  score: fc.double({ noNaN: true }),
  weight: fc.double({ noNaN: true }),
  reason,
});

describe('soleReason', () => {
  it('is the order plan reason wherever it answers, and answers for market making quotes decisions', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        fc.array(signal, { maxLength: 3 }),
        fc.oneof(strategy, fc.constantFrom('ensemble' as const, 'operator' as const)),
        fc.oneof(strategy, fc.constant('operator' as const)),
        (signals, source, owner) => {
          const d = reasonDecision(signals, source, owner);
          const fast = soleReason(d);
          if (fast !== undefined) {
            answered += 1;
            expect(fast).toBe(decisionReason(d));
          }
        },
      ),
      { numRuns: 3_000 },
    );
    expect(answered).toBeGreaterThan(20);
  });

  it('answers the quotes decision shape (one market making signal, its own source)', () => {
    fc.assert(
      fc.property(reason, (r) => {
        const mm = StrategyName.marketMaking;
        const d = reasonDecision([{ strategy: mm, score: 0, weight: 1, reason: r }], mm, mm);
        expect(soleReason(d)).toBe(r);
        expect(decisionReason(d)).toBe(r);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves an ensemble decision, and one whose signal is another strategy, to the plan', () => {
    const mm = StrategyName.marketMaking;
    const one = [{ strategy: mm, score: 0, weight: 1, reason: 'r' }];
    expect(soleReason(reasonDecision(one, 'ensemble', mm))).toBeUndefined();
    const other = STRATEGY_NAMES.find((s) => s !== mm) as StrategyName;
    expect(soleReason(reasonDecision(one, mm, other))).toBeUndefined();
    expect(soleReason(reasonDecision([...one, ...one], mm, mm))).toBeUndefined();
  });
});
