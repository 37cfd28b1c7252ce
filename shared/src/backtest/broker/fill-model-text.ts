import type { Krw } from '../../domain/money/quantities';
import { MARKOUT_HORIZONS } from '../result/markouts';

/** What the run had besides candles, which changes how resting orders fill. */
export interface FillModelInputs {
  readonly minTotal: Krw;
  readonly slippageBps: number;
  readonly assumeOperatorRelease: boolean;
  /** A public-trade tape was given (`--trades`). */
  readonly withTrades?: boolean;
  /** Recorded order books were given (`--books` or next to the tape). */
  readonly withBooks?: boolean;
}

/**
 * The fill model in plain English, printed on every report and in `--json` so nobody has to read
 * the broker's code to know what a number assumes. Keep in sync with SimulatedBroker, bar-path and
 * resting-fills; docs/backtesting.md explains the same rules at length.
 */
export function fillModelStatements(inputs: FillModelInputs): string[] {
  const { minTotal, slippageBps, assumeOperatorRelease, withTrades = false, withBooks = false } = inputs;
  const tape = withTrades
    ? [
        "Public trades (--trades) reach the strategies' onTrade in time order before the close of the bar they fall in.",
        `Resting orders on bars with recorded trades fill exactly from them, at the back of their price level: a print beyond our price fills us (the level was exhausted), a print at our price first consumes the queue ahead of us — ${withBooks ? 'the size the recorded book showed at that price on arrival (nothing ahead inside the spread or in an empty level, everything beyond the displayed depth)' : 'all of it, since no order book was recorded'}. Bars with volume but no recorded trade fall back to the candle estimate.`,
      ]
    : [];
  return [
    'Decisions are taken at each bar close on closed bars only; orders reach the exchange at the next bar of their market and live for that one bar.',
    'Spread: candles carry no book, so the best bid is the traded price rounded down to the tick grid and the best ask one tick above it.',
    `Market orders and crossing limit orders fill in full at the next bar's open, buying at the ask and selling at the bid, plus a seeded slippage of 0–${2 * slippageBps} bps (mean ${slippageBps} bps), rounded away from us onto the tick grid.`,
    'Post-only orders that would cross the book on arrival are rejected, as Upbit rejects them.',
    'Resting limit orders fill as makers at their own price and only from volume that traded strictly beyond it (below a bid, above an ask): had our order been there, that volume would have hit it first, while volume at our own price went to the queue ahead of us. Fills may be partial (floored to 8 decimals); our orders on one side share the volume, best price first.',
    'Without a tape the volume beyond a price is estimated from the candle: its volume is spread evenly between open and close and tapers linearly to zero at the high and the low (a random walk spends little time at its extremes, so a wick holds little volume).',
    'Path inside a bar: open → nearer extreme → farther extreme → close (ties: the extreme opposite the close first, the low when the bar closes flat). Fills happen where the path first passes beyond each price, so a bid and an ask fill in one bar only when the path passes beyond both.',
    ...tape,
    `Every fill pays the fee (bids on top, asks from proceeds); orders under ${minTotal.toFixed()} KRW, off the tick grid or with more than 8 volume decimals are refused.`,
    `Maker fills are marked out ${MARKOUT_HORIZONS.join(', ')} bars after their bar opened (the close then vs the fill price, in bps, positive when the price moved our way): persistently negative mark-outs mean the quotes are picked off.`,
    'Equity = cash + held volume × last close. Open positions are not closed at the end of the run.',
    assumeOperatorRelease
      ? 'Loss limits latch reducing-only as live; a latch that live waits for an operator to release is assumed released at the next KST day when no limit is breached (counted as release:assumed_operator).'
      : 'Loss limits latch reducing-only as live; latches that need an operator are never released during the run.',
  ];
}
