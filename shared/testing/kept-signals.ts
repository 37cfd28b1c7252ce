import { QuoteHints } from '../src/domain/strategies/quote-hints';
import type { StrategySignal } from '../src/domain/strategies/strategy';

/**
 * Signals as a test may keep them past their bar. Market making refills its signal object, its
 * one-signal list and its quote columns (`QuoteHints`) on its next signal for the same market, so
 * a signal kept across bars would show the latest quote, not its own: each kept signal is a copy
 * with its own copy of the hints, in a new list.
 */
export function keptSignals(signals: readonly StrategySignal[]): StrategySignal[] {
  return signals.map((s) =>
    s.quotes === undefined ? { ...s } : { ...s, quotes: QuoteHints.of(s.quotes.toArray()) },
  );
}
