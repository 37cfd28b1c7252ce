import type { DecisionId } from '../orders/identifiers';

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
