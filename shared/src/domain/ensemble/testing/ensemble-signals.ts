import type { Market } from '../../market/market-id';
import type { StrategySignal } from '../../strategies/strategy';
import type { EpochMs } from '../../time/epoch';
import type { StrategyName } from '../../trading/strategy-name';

export const BTC = 'KRW-BTC' as Market;
export const ETH = 'KRW-ETH' as Market;
/** The minute the ensemble tests decide at (a fixed instant: the domain reads no clock). */
export const NOW = Date.UTC(2026, 10, 25, 14, 1) as EpochMs;

/**
 * A strategy's signal for the ensemble tests, with a reason text naming its inputs so a failing
 * expectation shows which signal it came from.
 */
export function sig(
  strategy: StrategyName,
  direction: StrategySignal['direction'],
  strength: number,
  market: Market = BTC,
  extra: Partial<StrategySignal> = {},
): StrategySignal {
  return {
    strategy,
    market,
    at: NOW,
    direction,
    strength,
    reason: `${strategy} ${direction} ${strength}`,
    ...extra,
  };
}
