import type { Decision, QuoteLevel } from '../trading/decision';
import { LADDER_DOUBLES, type LayerRefusal } from './ladder-checks';
import { LazyQuotesIntent } from './lazy-quotes-intent';
import type { QuoteColumns } from './quote-levels';

/**
 * The kept layers of the last whole-won ladder the checks refused in part, as columns: scratch
 * space, rewritten by the next such ladder (see keptLayers).
 */
const KEPT: { count: number; bids: number; readonly won: number[]; readonly units: number[] } = {
  count: 0,
  bids: 0,
  won: [],
  units: [],
};

/**
 * The layers of `columns` that `checked` keeps (undefined verdicts), in their order, as columns,
 * and the checks' doubles (LADDER_DOUBLES) moved in place to the same indices, so that the account
 * places the approved ladder from integers with its facts as it places a ladder kept whole: about
 * 2 % of a market-making year's ladders have an ask refused (oversell), and taking them to the
 * decimal levels, the recorded validation verdicts and a plain order per layer cost ~1.2 % of the
 * year's CPU profile (and ~180k of its ~880k decimalOfUnits calls). Valid until the next partly
 * refused ladder: a LazyQuotesIntent of these columns is tied to the whole-won columns'
 * generation, and every ladder that reaches here was begun there first (its intent is such a
 * lazy intent).
 */
function keptLayers(columns: QuoteColumns, checked: readonly (LayerRefusal | undefined)[]): QuoteColumns {
  const prices = LADDER_DOUBLES.prices;
  const volumes = LADDER_DOUBLES.volumes;
  let n = 0;
  let bids = 0;
  for (let i = 0; i < columns.count; i++) {
    if (checked[i] !== undefined) continue;
    KEPT.won[n] = columns.won[i] as number;
    KEPT.units[n] = columns.units[i] as number;
    // n <= i: a kept layer's doubles only ever move down over ones already read.
    prices[n] = prices[i] as number;
    volumes[n] = volumes[i] as number;
    if (i < columns.bids) bids += 1;
    n += 1;
  }
  KEPT.count = n;
  KEPT.bids = bids;
  return KEPT;
}

/**
 * `decision` approved with the layers `checked` keeps of its whole-won `columns` (keptLayers): the
 * same keys in the same order (quotesDecisionOf's), its intent a LazyQuotesIntent of the kept columns. Out of
 * routedResult, which runs on every bar: a partly refused ladder is rare (~2 % of bars), and
 * routedResult's own size decides what the compiler inlines into the ladder path: with this
 * branch inline, a year's allocation profile showed the broker's placeKnown under its own name
 * (42 MB; at the base and with the branch here, inside placeQuoteLadder: inlined).
 */
export function keptLadderDecision(
  decision: Decision,
  columns: QuoteColumns,
  checked: readonly (LayerRefusal | undefined)[],
): Decision {
  // Written out, not spread: a spread's copy has a hidden class of its own (a clone's, four fields
  // in the object), which reached the broker's placeKnown after it was compiled for the literal of
  // quotesDecisionOf (`--trace-deopt`: "wrong map" on day 0, placeKnown compiled again).
  const { market, createdAt, expiresAt, source, signals, id, strategy } = decision;
  const intent = new LazyQuotesIntent(keptLayers(columns, checked));
  return { market, createdAt, expiresAt, source, signals, id, strategy, intent };
}

/**
 * `decision` approved with the kept `levels` of a ladder the checks refused in part on its decimal
 * levels (an eager intent: a run's first ladders, eagerLaddersFirst, or a ladder that is not whole
 * won): quotesDecisionOf's keys in its order, as keptLadderDecision, and an eager intent's literal.
 * Written out, not spread: the spread's copy (a clone's hidden class) reached the broker's fill
 * (`execute`, with `identifierOf` and `soleSignal` inlined) long after it was compiled for the
 * literal's class (`--trace-deopt`: "wrong map", ~day 101 of a market-making year, a recompile).
 */
export function keptLevelsDecision(decision: Decision, levels: readonly QuoteLevel[]): Decision {
  const { market, createdAt, expiresAt, source, signals, id, strategy } = decision;
  const intent = { kind: 'quotes' as const, levels };
  return { market, createdAt, expiresAt, source, signals, id, strategy, intent };
}
