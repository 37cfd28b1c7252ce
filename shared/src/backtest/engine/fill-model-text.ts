import type { Krw } from '../../domain/money/quantities';

/**
 * The fill model in plain English, printed on every report and in `--json` so nobody has to read
 * the broker's code to know what a number assumes. Keep in sync with SimulatedBroker's comment.
 */
export function fillModelStatements(
  minTotal: Krw,
  slippageBps: number,
  assumeOperatorRelease: boolean,
  withTrades = false,
): string[] {
  const tape = withTrades
    ? [
        "Public trades (--trades) reach the strategies' onTrade in time order before the close of the bar they fall in; fills are still simulated from bars only, never from individual trades.",
      ]
    : [];
  return [
    'Decisions are taken at each bar close on closed bars only; orders reach the exchange at the next bar of their market and live for that one bar.',
    'Spread: candles carry no book, so the best bid is the traded price rounded down to the tick grid and the best ask one tick above it.',
    `Market orders and crossing limit orders fill in full at the next bar's open, buying at the ask and selling at the bid, plus a seeded slippage of 0–${2 * slippageBps} bps (mean ${slippageBps} bps), rounded away from us onto the tick grid.`,
    'Post-only orders that would cross the book on arrival are rejected, as Upbit rejects them.',
    'Resting limit orders fill at their own price only when the bar trades through them (low below a bid, high above an ask): we assume we are last in the queue, so a touch is not a fill. Maker fills are all or nothing and only when the bar traded at least the order volume, so no fill is smaller than its order.',
    `Every fill pays the fee (bids on top, asks from proceeds); orders under ${minTotal.toFixed()} KRW, off the tick grid or with more than 8 volume decimals are refused.`,
    'Equity = cash + held volume × last close. Open positions are not closed at the end of the run.',
    assumeOperatorRelease
      ? 'Loss limits latch reducing-only as live; a latch that live waits for an operator to release is assumed released at the next KST day when no limit is breached (counted as release:assumed_operator).'
      : 'Loss limits latch reducing-only as live; latches that need an operator are never released during the run.',
    ...tape,
  ];
}
