import { QuoteHints } from '../src/domain/strategies/quote-hints';
import type { StrategySignal } from '../src/domain/strategies/strategy';

/**
 * Signals as a test may keep them past their bar. Market making refills its quote columns
 * (`QuoteHints`) on its next signal for the same market, so a signal kept across bars would show
 * the latest ladder, not its own: each kept signal gets its own copy of the hints.
 */
export function keptSignals(signals: readonly StrategySignal[]): StrategySignal[] {
  return signals.map((s) =>
    s.quotes === undefined ? s : { ...s, quotes: QuoteHints.of(s.quotes.toArray()) },
  );
}
