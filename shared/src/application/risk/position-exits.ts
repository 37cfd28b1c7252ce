import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import type { Price } from '../../domain/money/quantities';
import { makeDecisionId } from '../../domain/orders/identifiers';
import { type ExitSignal, exitTrigger } from '../../domain/risk/exit-triggers';
import { isDust } from '../../domain/risk/position-accounting';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import { fnv1a32 } from '../../domain/text/fnv1a';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import type { Position } from '../../domain/trading/position';
import { STRATEGY_NAMES } from '../../domain/trading/strategy-name';
import type { Clock } from '../../ports/clock';
import type { FillJournal } from '../../ports/fill-journal';

/** A position whose stop-loss or take-profit fired, with the flatten decision that closes it. */
export interface PositionExit {
  readonly position: Position;
  readonly signal: ExitSignal;
  readonly decision: Decision;
}

/** Inputs of the exit scan. */
export interface PositionExitsInput {
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  /** Best bid per market: what a sell gets now. Markets without one are not judged. */
  readonly bestBids: ReadonlyMap<Market, Price>;
  /** Lifetime of the exit decisions (default one minute, like every other decision). */
  readonly ttlMs?: number;
}

/**
 * Scans the held positions for the per-position stop-loss (−0.3 %) and take-profit (+0.5 %), net of
 * the fees on both legs (exit-triggers.ts), and returns a `flatten` decision per position that fired.
 * Decision ids derive from (market, minute, strategy), so scanning twice in a minute yields the same
 * ids and the executor runs each exit once. Dust cannot be sold on Upbit and is skipped.
 */
export async function findPositionExits(
  deps: { readonly store: Pick<FillJournal, 'listPositions'>; readonly clock: Pick<Clock, 'now'> },
  input: PositionExitsInput,
): Promise<PositionExit[]> {
  const now = deps.clock.now();
  const minute = (Math.floor(now / MS.minute) * MS.minute) as EpochMs;
  const thresholds = { stopLoss: input.limits.stopLoss, takeProfit: input.limits.takeProfit };
  const exits: PositionExit[] = [];
  for (const position of await deps.store.listPositions()) {
    if (isDust(position, input.limits.dustThreshold)) continue;
    const bid = input.bestBids.get(position.market);
    if (bid === undefined) continue;
    const signal = exitTrigger(position, bid, input.rules.takerFee, thresholds);
    if (signal === undefined) continue;
    const seq = exitSequence(position.strategy);
    exits.push({
      position,
      signal,
      decision: {
        id: makeDecisionId('exit', position.market, minute, seq),
        market: position.market,
        createdAt: now,
        expiresAt: (now + (input.ttlMs ?? MS.minute)) as EpochMs,
        source: position.strategy,
        strategy: position.strategy,
        intent: { kind: 'flatten' },
        signals: [],
      },
    });
  }
  return exits;
}

/**
 * The exit decision's sequence number for a holder: its index among this build's strategies, the
 * operator after them, and a name this build does not know (a position stored by an older or newer
 * build) past both, by a hash of the name, so two such holders in one market still get different
 * decision ids (a shared id would make the second holder's exit wait for the first's). Deterministic:
 * every process derives the same id for the same position and minute.
 */
export function exitSequence(strategy: string): number {
  if (strategy === 'operator') return STRATEGY_NAMES.length;
  const known = (STRATEGY_NAMES as readonly string[]).indexOf(strategy);
  return known >= 0 ? known : STRATEGY_NAMES.length + 1 + fnv1a32(strategy);
}
