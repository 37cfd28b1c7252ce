import fc from 'fast-check';
import type { PipelineResult } from '../../domain/ensemble/decision-pipeline';
import type { SignalFate, StrategyFate } from '../../domain/ensemble/signal-fate';
import type { StrategySignal } from '../../domain/strategies/strategy';
import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import { SignalOutcomeTally } from '../result/signal-outcomes';
import { tallySignals } from './signal-tallies';

const strategy = fc.constantFrom(...STRATEGY_NAMES);
const fate: fc.Arbitrary<SignalFate> = fc.oneof(
  fc.constant({ kind: 'traded' } as const),
  fc.constant({ kind: 'netted' } as const),
  fc.constantFrom('nothing_to_sell', 'no_order').map((r) => ({ kind: 'held', reason: r }) as const),
  fc.constantFrom('risk:no_edge', 'risk:oversell').map((r) => ({ kind: 'refused', reason: r }) as const),
);

function signalOf(s: StrategyName): StrategySignal {
  return {
    strategy: s,
    market: 'KRW-BTC',
    at: 0,
    direction: 'buy',
    strength: 0.5,
    reason: s,
  } as StrategySignal;
}

/** The tally as a count map per strategy in order of first signal, each under its fate or no_bar. */
function reference(
  outcomes: SignalOutcomeTally,
  signals: readonly StrategySignal[],
  result: PipelineResult | undefined,
): void {
  const counts = new Map<StrategyName, number>();
  for (const s of signals) counts.set(s.strategy, (counts.get(s.strategy) ?? 0) + 1);
  for (const [s, n] of counts)
    outcomes.record(s, result?.fates.get(s)?.fate ?? { kind: 'held', reason: 'no_bar' }, n);
}

describe('tallySignals', () => {
  it('counts each strategy’s signals under its fate (no_bar without a result), as a count map would', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.array(strategy, { maxLength: 6 }), fc.option(fc.array(fc.tuple(strategy, fate)))),
        ),
        (steps) => {
          const got = new SignalOutcomeTally(STRATEGY_NAMES);
          const want = new SignalOutcomeTally(STRATEGY_NAMES);
          for (const [names, fates] of steps) {
            const signals = names.map(signalOf);
            const result: PipelineResult | undefined =
              fates === null
                ? undefined
                : {
                    routed: [],
                    refusals: [],
                    fates: new Map<StrategyName, StrategyFate>(fates.map(([s, f]) => [s, { fate: f }])),
                  };
            tallySignals(got, signals, result);
            reference(want, signals, result);
          }
          const none = new Map();
          expect(JSON.stringify(got.build(none, none))).toBe(JSON.stringify(want.build(none, none)));
        },
      ),
    );
  });
});
