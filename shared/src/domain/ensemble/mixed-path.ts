import type { StrategySignal } from '../strategies/strategy';
import { StrategyName } from '../trading/strategy-name';
import type { PipelineAccount, PipelineInput, PipelineResult } from './decision-pipeline';
import { ladderResult } from './ladder-path';
import { ladderPipeline, QuotesOnly } from './ladder-pipeline';
import { refusedFate } from './ladder-results';
import { NOTHING_TO_SELL_VERDICT, type NoOrderVerdict, noOrderVerdict } from './no-order-path';
import type { SignalFate, StrategyFate } from './signal-fate';

const MM = StrategyName.marketMaking;
const NONE: readonly never[] = Object.freeze([]);

/**
 * The pipeline's result for a caller reading fates only (`fateOnly`: the backtest without an
 * observer) on a bar where market making quotes and one directional strategy signals a view that
 * cannot become an order: a sell with nothing held, or a buy Kelly refuses (~40k bars a year of
 * `all`, nearly all its mixed bars). The full pipeline resolves the views (maps, the decision, its
 * id and vote), routes the directional decision to its refusal, then offers market making's own
 * signals to the ladder and merges the fates; here the directional fate is the no-order path's
 * verdict on the strategy's signals (market making's beside them change no view, and the refused
 * buy places nothing, so the quotes meet the same account) and the quotes go to the ladder path as
 * market making's alone. The account is asked what the full pipeline asks, in its order.
 *
 * The ladder declining, the quotes decision goes through the risk engine's check as on market
 * making's own bar. Undefined when the view is not such a verdict (several directional strategies,
 * a view that may become an order or ends otherwise): nothing was placed then, and the caller runs
 * its usual path. Refusals in the pipeline's order (the directional one first), fates in the
 * ensemble's (the view's, then market making's), without decision ids, and without routed entries
 * except for quotes placed through the full check: such a caller reads neither (see
 * PipelineInput.fateOnly). A property test holds it to the full pipeline.
 */
export function mixedResult(input: PipelineInput, account: PipelineAccount): PipelineResult | undefined {
  // Market making off, its signals are held as `strategy_off` (the full pipeline's, not quotes).
  if (input.fateOnly !== true || !input.config.enabled.market_making) return undefined;
  const strategy = firstView(input.signals);
  if (strategy === undefined) return undefined;
  const verdict = noOrderVerdict(input, account, strategy, true);
  if (verdict === undefined) return undefined;
  const own = new QuotesOnly(input);
  const quotes = ladderResult(own, account);
  // Declined by the ladder: the quotes decision through the risk engine's check, as on market
  // making's own bar (ladderPipeline without views, not offering the same signals again).
  if (quotes === undefined)
    return routedBeside(
      strategy,
      verdict,
      ladderPipeline(own, account, { decisions: NONE, fates: new Map() }, true),
    );
  const mm = quotes.fates.get(MM);
  if (mm === undefined) throw new Error('the ladder path answered without market making’s fate');
  return combined(strategy, verdict, mm, quotes.refusals);
}

/** The verdict's refusal (none for nothing to sell) followed by market making's. */
function refusalsOf(verdict: NoOrderVerdict, mmRefusals: readonly string[]): string[] {
  const refusals: string[] = verdict === NOTHING_TO_SELL_VERDICT ? [] : [verdict];
  for (let i = 0; i < mmRefusals.length; i++) refusals.push(mmRefusals[i] as string);
  return refusals;
}

/** The result for the verdict beside market making's quotes routed by the full check (a fresh one: rare). */
function routedBeside(
  strategy: StrategyName,
  verdict: NoOrderVerdict,
  quotes: PipelineResult,
): PipelineResult {
  const fates = new Map<StrategyName, StrategyFate>();
  fates.set(strategy, { fate: verdictFate(verdict) });
  for (const [name, f] of quotes.fates) fates.set(name, { fate: f.fate });
  return { routed: quotes.routed, refusals: refusalsOf(verdict, quotes.refusals), fates };
}

/** The strategy of the first signal that is not market making's (undefined: none). */
function firstView(signals: readonly StrategySignal[]): StrategyName | undefined {
  for (let i = 0; i < signals.length; i++) {
    const strategy = (signals[i] as StrategySignal).strategy;
    if (strategy !== MM) return strategy;
  }
  return undefined;
}

/** A verdict's fate: the ensemble's `held` for nothing to sell, the risk engine's refusal otherwise. */
function verdictFate(verdict: NoOrderVerdict): SignalFate {
  return verdict === NOTHING_TO_SELL_VERDICT ? NOTHING_TO_SELL : refusedFate(verdict);
}

const NOTHING_TO_SELL: SignalFate = Object.freeze({ kind: 'held', reason: NOTHING_TO_SELL_VERDICT });

/** A directional verdict beside market making's fate: their fates map, and the result without refusals. */
interface Shared {
  readonly fates: PipelineResult['fates'];
  readonly quiet: PipelineResult;
}

/**
 * Shared results (callers read results, never change them), by market making's fate (the ladder
 * path's fates are shared frozen values: TRADED, one per refusal key), the verdict and the
 * strategy: each one's fates map, and the result itself while market making refused nothing.
 */
const SHARED = new Map<SignalFate, Map<NoOrderVerdict, Map<StrategyName, Shared>>>();

/** The result for the directional strategy's verdict and market making's fate and refusals. */
function combined(
  strategy: StrategyName,
  verdict: NoOrderVerdict,
  mm: StrategyFate,
  mmRefusals: readonly string[],
): PipelineResult {
  let byVerdict = SHARED.get(mm.fate);
  if (byVerdict === undefined) {
    byVerdict = new Map();
    SHARED.set(mm.fate, byVerdict);
  }
  let byStrategy = byVerdict.get(verdict);
  if (byStrategy === undefined) {
    byStrategy = new Map();
    byVerdict.set(verdict, byStrategy);
  }
  let shared = byStrategy.get(strategy);
  if (shared === undefined) {
    const fates = new Map<StrategyName, StrategyFate>();
    fates.set(strategy, Object.freeze({ fate: verdictFate(verdict) }));
    fates.set(MM, Object.freeze({ fate: mm.fate }));
    const refusals = verdict === NOTHING_TO_SELL_VERDICT ? NONE : Object.freeze([verdict]);
    shared = { fates, quiet: Object.freeze({ routed: NONE, refusals, fates }) };
    byStrategy.set(strategy, shared);
  }
  if (mmRefusals.length === 0) return shared.quiet;
  return { routed: NONE, refusals: refusalsOf(verdict, mmRefusals), fates: shared.fates };
}
