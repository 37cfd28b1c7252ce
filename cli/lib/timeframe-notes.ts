import type { Timeframe } from '../../shared/src/domain/market/timeframe';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';

/**
 * One line per selected strategy whose configured parameters were written for another bar length
 * than the run's. The backtest runs every strategy on the run's bars and keeps the configured
 * counts, so `lookbackBars: 240` tuned for 1m (4 hours) becomes 240 days on `--timeframe 1d`: a
 * strategy that then never trades looks broken when it is only mis-scaled. Saying so up front is
 * cheaper than a user's afternoon.
 */
export function timeframeNotes(
  configuredTimeframe: (name: StrategyName) => Timeframe,
  selected: readonly StrategyName[],
  timeframe: Timeframe,
): string[] {
  return selected
    .filter((name) => configuredTimeframe(name) !== timeframe)
    .map(
      (name) =>
        `note: ${name} parameters are configured for ${configuredTimeframe(name)} bars; this run uses ` +
        `${timeframe} bars, so every length in bars (lookbacks, windows) now counts ${timeframe} bars`,
    );
}
