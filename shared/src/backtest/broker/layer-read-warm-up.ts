import type { Market } from '../../domain/market/market-id';
import { ZERO } from '../../domain/money/decimal';
import { krw, type Volume } from '../../domain/money/quantities';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import { StrategyName } from '../../domain/trading/strategy-name';
import { QuoteLayerOrder } from './quote-layer-order';
import { RestingOrders } from './resting-orders';

/** What {@link warmLayerReads} read: the throwaway layer (held, see there) and its remainder. */
export interface LayerReadWarmUp {
  readonly layer: QuoteLayerOrder;
  readonly remaining: Volume;
}

/**
 * Reads a resting quote layer's remainder through its resting slot 64 times on a throwaway layer
 * (rare-branch-warm-up.ts). `fillsFromBar` reads `remaining` of a resting order it fills, and for
 * a layer that is the slot's getter reading the layer's own getter (its spec's volume, made on
 * first read). A run's first layer fill comes a few hundred bars in, after `fillsFromBar` was
 * compiled on the eager ladders' plain orders, so that inner read had no type feedback and threw
 * the function's optimised code away (`--trace-deopt`: "Insufficient type feedback for generic
 * named access" in `get remaining`, then a second ~50 ms compile of its large graph on day 0-1 of
 * every market-making run).
 *
 * The layer's fields hold what a run's layers hold, in the same representations (texts, small
 * integers, an instant as a double, the shared zero lock's class, a double lazy lock), so its
 * hidden class is the one the run's layers take; its decision is a stand-in nothing reads. The
 * caller holds the result until the next run's warm-up, so that the class the feedback names
 * (held weakly) stays alive. Pure: nothing of a run is read or kept.
 */
export function warmLayerReads(): LayerReadWarmUp {
  const layer = QuoteLayerOrder.place(
    undefined,
    'KRW-BTC' as Market,
    StrategyName.marketMaking,
    { id: 'warm-up' } as unknown as Decision,
    0,
    'bid',
    50_000_000,
    200_000,
    1_735_689_600_000 as EpochMs,
    krw(ZERO),
    0,
  );
  const resting = new RestingOrders();
  let remaining: Volume | undefined;
  for (let i = 0; i < 64; i++) {
    resting.clear();
    resting.addLayer(0, layer);
    remaining = resting.orders()[0]?.remaining;
  }
  resting.clear();
  return { layer, remaining: remaining as Volume };
}
