import type { Candle } from '../market/market-data';
import type { StrategyName } from '../trading/strategy-name';
import { sizeHintKrw } from './size-hint';
import type { StrategyContext, StrategySignal } from './strategy';

/**
 * A directional signal taken at a bar's close, hinting the close as price and the strategy's own
 * size ({@link sizeHintKrw}). One builder for every per-market strategy so their signals carry the
 * same hints the same way; the dashboard and single-strategy runs compare them side by side.
 */
export function barCloseSignal(
  strategy: StrategyName,
  bar: Candle,
  ctx: StrategyContext,
  direction: 'buy' | 'sell',
  strength: number,
  reason: string,
): StrategySignal {
  return {
    strategy,
    market: bar.market,
    at: ctx.now,
    direction,
    strength,
    reason,
    priceHint: bar.close,
    sizeHintKrw: sizeHintKrw(direction, strength, ctx, bar.close),
  };
}
