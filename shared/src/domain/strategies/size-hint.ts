import type { SignalDirection, StrategyContext } from './strategy';

/**
 * A directional signal's suggested KRW size: a buy proposes `strength` × what the strategy may
 * still deploy, a sell `strength` × the value of what it holds (spot-only: never more than held),
 * flat proposes nothing. A hint only: the ensemble sizes from its vote and the risk engine clamps
 * to the hard limits, so this is what the strategy would do on its own (dashboard, single-strategy
 * runs).
 */
export function sizeHintKrw(
  direction: SignalDirection,
  strength: number,
  ctx: StrategyContext,
  price: number,
): number {
  const s = Math.min(1, Math.max(0, strength));
  if (direction === 'buy') return Math.floor(s * Math.max(0, ctx.availableKrw));
  if (direction === 'sell') return Math.floor(s * Math.max(0, ctx.positionVolume) * Math.max(0, price));
  return 0;
}
