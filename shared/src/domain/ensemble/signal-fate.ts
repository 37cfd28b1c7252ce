import type { DecisionId } from '../orders/identifiers';
import type { StrategyName } from '../trading/strategy-name';
import type { EnsembleFate } from './ensemble';

/**
 * Where a strategy's signal ended (docs/ensemble.md): an order went out for it (`traded`), an
 * opposite signal of another strategy on the same market cancelled it (`netted`), the ensemble's
 * rule made no order of it (`held`, with the reason), or the risk engine or the exchange's rules
 * refused the order (`refused`, with the refusal key).
 */
export type SignalFate =
  | { readonly kind: 'traded' }
  | { readonly kind: 'netted' }
  | { readonly kind: 'held'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string };

/** A strategy's fate on one market at one instant, with the decision that carried it, if any. */
export interface StrategyFate {
  readonly fate: SignalFate;
  readonly decisionId?: DecisionId;
}

/** `traded`, `netted`, `held:<reason>` or `refused:<reason>`: the signal log's text form. */
export function fateText(fate: SignalFate): string {
  switch (fate.kind) {
    case 'traded':
    case 'netted':
      return fate.kind;
    case 'held':
    case 'refused':
      return `${fate.kind}:${fate.reason}`;
  }
}

/** The ensemble's fate of each strategy, with the risk engine's verdict on the decision it carried. */
export function finalFates(
  ensemble: ReadonlyMap<StrategyName, EnsembleFate>,
  outcome: ReadonlyMap<DecisionId, StrategyFate>,
): Map<StrategyName, StrategyFate> {
  const fates = new Map<StrategyName, StrategyFate>();
  for (const [strategy, f] of ensemble) {
    if (f.kind === 'decided')
      fates.set(strategy, outcome.get(f.decisionId) ?? { fate: { kind: 'held', reason: 'no_order' } });
    else if (f.kind === 'netted') fates.set(strategy, { fate: { kind: 'netted' } });
    else
      fates.set(strategy, {
        fate: { kind: 'held', reason: f.reason },
        ...(f.decisionId === undefined ? {} : { decisionId: f.decisionId }),
      });
  }
  return fates;
}
