import type { DecisionId } from '../orders/identifiers';
import { StrategyName } from '../trading/strategy-name';
import type { PipelineResult, RoutedDecision } from './decision-pipeline';
import type { StrategyFate } from './signal-fate';

/*
 * The ladder path's results (ladder-path.ts): market making's fate with its decision id, or, for a
 * caller reading fates only, shared frozen fates and results instead of a map and a result per bar.
 */

const NONE: readonly never[] = Object.freeze([]);
const MM = StrategyName.marketMaking;

/** The fate of a ladder that placed something: one shared, frozen value (readers only read it). */
export const TRADED: StrategyFate['fate'] = Object.freeze({ kind: 'traded' });

// Fate-only results without refusals, one shared frozen result per fate (see idlessResult).
const IDLESS_RESULTS = new Map<StrategyFate['fate'], PipelineResult>();

/**
 * The result for a caller reading fates only (`fateOnly`, market making the only strategy of the
 * result, see idlessFates): without the routed entry, which such a caller never reads (see
 * PipelineInput.fateOnly), and, without refusals, one shared frozen result per fate instead of a
 * result per bar. `refusals` are the list made so far, or `refusedKey` the one refusal.
 */
export function idlessResult(
  fate: StrategyFate['fate'],
  refusals: string[] | undefined,
  refusedKey: string | undefined,
): PipelineResult {
  const bare = refusals === undefined && refusedKey === undefined;
  // Bar after bar the same fate (traded): the last shared result, without the two map lookups.
  if (bare && fate === LAST_IDLESS.fate) return LAST_IDLESS.result as PipelineResult;
  const fates = idlessFates(fate);
  if (!bare) return { routed: NONE, refusals: refusals ?? [refusedKey as string], fates };
  let result = IDLESS_RESULTS.get(fate);
  if (result === undefined) {
    result = Object.freeze({ routed: NONE, refusals: NONE, fates });
    IDLESS_RESULTS.set(fate, result);
  }
  LAST_IDLESS.fate = fate;
  LAST_IDLESS.result = result;
  return result;
}

// The shared result idlessResult last gave without refusals, and its fate.
const LAST_IDLESS: {
  fate: StrategyFate['fate'] | undefined;
  result: PipelineResult | undefined;
} = { fate: undefined, result: undefined };

/** Market making's result with its fate under its decision id. */
export function fateResult(
  routed: readonly RoutedDecision[],
  refusals: readonly string[],
  fate: StrategyFate['fate'],
  decisionId: DecisionId,
): PipelineResult {
  return { routed, refusals, fates: new Map<StrategyName, StrategyFate>([[MM, { fate, decisionId }]]) };
}

/**
 * The result of a ladder refused as a whole, with `key` (its first layer's refusal, or the latch's):
 * no order, that one refusal, market making's fate refused with it — without its decision id for a
 * caller reading fates only (`idless`, see idlessResult), as the full pipeline's refusal otherwise.
 */
export function refusedLadder(key: string, decisionId: DecisionId, idless: boolean): PipelineResult {
  if (idless) return idlessResult(refusedFate(key), undefined, key);
  return fateResult(NONE, [key], refusedFate(key), decisionId);
}

// Frozen fates, one per refusal key (a handful per run): a refused ladder's fate.
const REFUSED_FATES = new Map<string, StrategyFate['fate']>();

/**
 * A refusal key's fate, one frozen object per key, shared by the ladder path, the no-order path and
 * the routed decisions' quick refusals: callers read fates, never change them.
 */
export function refusedFate(reason: string): StrategyFate['fate'] {
  let fate = REFUSED_FATES.get(reason);
  if (fate === undefined) {
    fate = Object.freeze({ kind: 'refused', reason });
    REFUSED_FATES.set(reason, fate);
  }
  return fate;
}

// Market making's fates without a decision id, one shared map per fate.
const IDLESS = new Map<StrategyFate['fate'], ReadonlyMap<StrategyName, StrategyFate>>();

// The settled records, held (a function's list, so that the bundle keeps it): V8 forgets an object
// layout, and what it learned of its fields, once no object of it is alive.
const SETTLED_FATE_RECORDS: object[] = [];

/**
 * Makes the `{ fate }` record's field hold fates of two classes once, before a backtest's first bar
 * (the backtest's warm-up calls it; idempotent). Why: V8 types an object field by the class of its
 * first value and widens it when another comes, throwing away code that relied on the narrow type
 * (a market-making year's first refused ladder, ~day 332, after months of traded ones:
 * `tallySignals`). Pure; the executor and the Lambdas never need it.
 */
export function settleFateRecords(): void {
  if (SETTLED_FATE_RECORDS.length > 0) return;
  for (const fate of [TRADED, Object.freeze({ kind: 'refused', reason: '' })])
    SETTLED_FATE_RECORDS.push(Object.freeze({ fate }));
}

/**
 * With `fateOnly` (the caller reads each strategy's fate, never its decision id: the backtest
 * without an observer) and market making the only strategy of the result, its fates are one
 * shared map per fate instead of a map and a fate record per bar, as the no-order path shares its
 * refusals. Callers only read results.
 */
function idlessFates(fate: StrategyFate['fate']): ReadonlyMap<StrategyName, StrategyFate> {
  let fates = IDLESS.get(fate);
  if (fates === undefined) {
    fates = new Map<StrategyName, StrategyFate>([[MM, Object.freeze({ fate })]]);
    IDLESS.set(fate, fates);
  }
  return fates;
}
