import { STRATEGY_NAMES, type StrategyName } from '../../domain/trading/strategy-name';
import type { BacktestResult } from '../result/backtest-result';
import type { GatePeriod, UngatedSignalResult } from '../result/signal-outcomes';

/** Counts by reason, largest first (ties by name), for "held: below_min_score ×120, …". */
export type ReasonCounts = readonly (readonly [string, number])[];

/** One strategy's signals and what became of them, with its gated and ungated results. */
export interface StrategyAccountingRow {
  readonly strategy: StrategyName;
  /** Null when this build's engine does not account for signals (no `signalOutcomes`). */
  readonly signals: number | null;
  readonly traded: number | null;
  readonly netted: number | null;
  readonly heldByEnsemble: number | null;
  readonly heldReasons: ReasonCounts;
  readonly refusedByRisk: ReasonCounts;
  readonly refusedTotal: number | null;
  /** Executions and closed trades of the gated (real) run. */
  readonly fills: number;
  readonly closedTrades: number;
  readonly gatedReturnPct: number;
  /** The strategy's signals traded with no ensemble, risk engine or Kelly gate; null when not measured. */
  readonly ungated: UngatedSignalResult | null;
  readonly gatePeriods: readonly GatePeriod[];
  /** Why the strategy never traded, in words; undefined when it did. */
  readonly noTradeReason?: string;
}

/** The whole accounting: one row per strategy that ran, and the ones `all` left out with why. */
export interface StrategyAccounting {
  /** False when the result carries no `signalOutcomes` (an engine without signal accounting). */
  readonly available: boolean;
  readonly rows: readonly StrategyAccountingRow[];
  readonly skipped: readonly (readonly [string, string])[];
}

function sortedCounts(counts: Readonly<Record<string, number>> | undefined): ReasonCounts {
  return Object.entries(counts ?? {})
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** "a ×3, b ×1" for the first `max` reasons, with "…" when more are left out. */
export function reasonText(counts: ReasonCounts, max = 3): string {
  const shown = counts.slice(0, max).map(([k, n]) => `${k} ×${n.toLocaleString('en-US')}`);
  return counts.length > max ? `${shown.join(', ')}, …` : shown.join(', ');
}

function whyNoTrade(
  row: Omit<StrategyAccountingRow, 'noTradeReason'>,
  available: boolean,
): string | undefined {
  if (row.fills > 0) return undefined;
  if (!available)
    return 'no fills; this build does not account for signals — see the refused orders by reason';
  if (row.signals === 0) return 'emitted no signal (still warming up, or its entry condition never held)';
  const parts: string[] = [];
  if ((row.traded ?? 0) > 0)
    parts.push(
      `${row.traded} sent but never filled (resting orders fill only from volume beyond their price)`,
    );
  if ((row.netted ?? 0) > 0) parts.push(`${row.netted} netted against opposite signals`);
  if ((row.heldByEnsemble ?? 0) > 0)
    parts.push(`${row.heldByEnsemble} held by the ensemble (${reasonText(row.heldReasons)})`);
  if ((row.refusedTotal ?? 0) > 0)
    parts.push(`${row.refusedTotal} refused (${reasonText(row.refusedByRisk)})`);
  return `${row.signals} signals, none filled: ${parts.join('; ')}`;
}

/**
 * What each strategy did with its signals (issue: "every enabled strategy either trades or is
 * reported with the reason it did not"), computed once for the terminal, the JSON consumers and the
 * HTML report. Works on results without `signalOutcomes` too, saying that the counts are missing.
 */
export function strategyAccounting(result: BacktestResult): StrategyAccounting {
  const outcomes = result.signalOutcomes;
  const available = outcomes !== undefined;
  const ran = STRATEGY_NAMES.filter(
    (n) => result.perStrategy[n] !== undefined || outcomes?.perStrategy[n] !== undefined,
  );
  const rows = ran.map((strategy): StrategyAccountingRow => {
    const o = outcomes?.perStrategy[strategy];
    const m = result.perStrategy[strategy];
    const refused = sortedCounts(o?.refusedByRisk);
    const base = {
      strategy,
      signals: o?.signals ?? (available ? 0 : null),
      traded: o?.traded ?? (available ? 0 : null),
      netted: o?.netted ?? (available ? 0 : null),
      heldByEnsemble: o?.heldByEnsemble ?? (available ? 0 : null),
      heldReasons: sortedCounts(o?.heldReasons),
      refusedByRisk: refused,
      refusedTotal: available ? refused.reduce((sum, [, n]) => sum + n, 0) : null,
      fills: m?.fills ?? 0,
      closedTrades: m?.trades ?? 0,
      gatedReturnPct: m?.totalReturnPct ?? 0,
      ungated: outcomes?.ungated[strategy] ?? null,
      gatePeriods: outcomes?.gatePeriods[strategy] ?? [],
    };
    const why = whyNoTrade(base, available);
    return why === undefined ? base : { ...base, noTradeReason: why };
  });
  const skipped = Object.entries(result.assumptions.skippedStrategies ?? {}).map(
    ([name, why]) => [name, why] as const,
  );
  return { available, rows, skipped };
}
