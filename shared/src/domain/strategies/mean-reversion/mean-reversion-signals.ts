import type { Candle } from '../../market/market-data';
import { StrategyName } from '../../trading/strategy-name';
import { barCloseSignal } from '../bar-signal';
import type { StrategyContext, StrategySignal } from '../strategy';
import type { MeanReversionParams } from '../strategy-params';
import type { Divergence } from './rsi-divergence';

// What mean reversion's evidence is worth and the signals it emits: the policy and the text a trader
// reads, apart from the per-bar step (mean-reversion-strategy.ts) that V8 optimises with its
// indicators. Text is written only for a signal, never per bar.

/**
 * Vote of each piece of evidence (buy positive). A trigger — band touch, divergence, or an RSI
 * extreme confirmed by a MACD cross — is needed before anything is emitted; the rest only adds
 * conviction, so a lone volume-profile level or RSI reading never trades.
 */
export const MEAN_REVERSION_VOTES = {
  bandTouch: 0.35,
  divergence: 0.3,
  rsiExtreme: 0.25,
  macdCross: 0.2,
  profileLevel: 0.15,
} as const;

/**
 * Net vote a signal needs: at least two agreeing pieces of evidence (e.g. band touch + RSI
 * extreme), so one noisy touch in a trend does not trade.
 */
export const MEAN_REVERSION_MIN_VOTE = 0.5;

/**
 * The entry signal of mean reversion's step, with its reasons in the order of the votes. A function
 * of its own: the reasons are written only for a signal (formatting them on every bar would cost
 * more than the indicators), and kept out of the per-bar function V8 optimises with its indicators.
 */
export function entrySignal(
  p: MeanReversionParams,
  bar: Candle,
  close: number,
  ctx: StrategyContext,
  side: number,
  vote: number,
  lower: number,
  upper: number,
  rsi: number,
  divergence: Divergence,
  crossUp: boolean,
  crossDown: boolean,
  support: number,
  resistance: number,
): StrategySignal {
  const touchLow = close <= lower;
  const touchHigh = close >= upper;
  const oversold = rsi <= p.rsiOversold;
  const overbought = rsi >= p.rsiOverbought;
  // The reasons joined by '; ' in the order of the votes (concatenated: no list per signal).
  let why =
    touchLow === touchHigh
      ? ''
      : touchLow
        ? `close ${close} ≤ lower band ${lower.toFixed(2)}`
        : `close ${close} ≥ upper band ${upper.toFixed(2)}`;
  if (divergence !== 'none') why = joinReason(why, `${divergence} RSI divergence`);
  if (oversold || overbought)
    why = joinReason(
      why,
      `RSI ${rsi.toFixed(1)} ${oversold ? `≤ ${p.rsiOversold}` : `≥ ${p.rsiOverbought}`}`,
    );
  if (crossUp || crossDown) why = joinReason(why, `MACD ${crossUp ? 'bullish' : 'bearish'} crossover`);
  if (!Number.isNaN(support)) why = joinReason(why, `near volume support ${support.toFixed(2)}`);
  if (!Number.isNaN(resistance)) why = joinReason(why, `near volume resistance ${resistance.toFixed(2)}`);
  return side > 0
    ? barCloseSignal(StrategyName.meanReversion, bar, ctx, 'buy', Math.min(1, vote), `oversold: ${why}`)
    : barCloseSignal(StrategyName.meanReversion, bar, ctx, 'sell', Math.min(1, -vote), `overbought: ${why}`);
}

/** Mean reversion's exit: the close crossed up through the middle band it bet on. */
export function revertedSignal(
  bar: Candle,
  ctx: StrategyContext,
  close: number,
  middle: number,
): StrategySignal {
  return barCloseSignal(
    StrategyName.meanReversion,
    bar,
    ctx,
    'sell',
    0.5,
    `reverted: close ${close} crossed the middle band ${middle.toFixed(2)}`,
  );
}

/** `reasons` and `reason` joined by '; ' (`reason` alone when `reasons` is empty), as a list's join would. */
function joinReason(reasons: string, reason: string): string {
  return reasons === '' ? reason : `${reasons}; ${reason}`;
}

/** The side a vote trades with its triggers: 1 buy, −1 sell, 0 none. */
export function tradeSide(vote: number, buyTrigger: boolean, sellTrigger: boolean): number {
  return vote >= MEAN_REVERSION_MIN_VOTE && buyTrigger
    ? 1
    : vote <= -MEAN_REVERSION_MIN_VOTE && sellTrigger
      ? -1
      : 0;
}
