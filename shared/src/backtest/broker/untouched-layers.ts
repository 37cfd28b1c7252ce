import type { Candle } from '../../domain/market/market-data';
import { QuoteLayerOrder } from './quote-layer-order';
import type { SimOrder } from './sim-order';

/**
 * True when every order is a quote layer (QuoteLayerOrder) and the bar cannot touch any of them:
 * the highest bid is below the open's synthetic ask and the lowest ask above its bid (on doubles,
 * strictly: a layer's won is its price exactly, and processBar's crossing test then says "does not
 * cross" without the exact tie-break), and the bar's path (bar-path.ts: open, low and high in some
 * order, close) never goes strictly below that bid nor strictly above that ask, so firstBeyond is
 * undefined for every layer and fillsFromBar fills none. Such a bar rejects and fills nothing,
 * draws no slippage (only market and crossing orders do), and would rest every layer: two
 * comparisons per layer instead of the resting slots and the estimate. Anything else (another
 * order kind, a tie, a NaN, an empty list, which rests nothing and is not counted) is left to the
 * full path.
 */
export function untouchedLayers(
  orders: readonly SimOrder[],
  bar: Candle,
  near: { bid: number; ask: number },
): boolean {
  let maxBid = Number.NEGATIVE_INFINITY;
  let minAsk = Number.POSITIVE_INFINITY;
  if (orders.length === 0) return false;
  for (let i = 0; i < orders.length; i++) {
    const o = orders[i];
    if (!(o instanceof QuoteLayerOrder)) return false;
    const won = o.won;
    if (!(won > 0)) return false;
    if (o.side === 'bid') {
      if (won > maxBid) maxBid = won;
    } else if (won < minAsk) minAsk = won;
  }
  const { low, high, close } = bar;
  return (
    maxBid < near.ask &&
    minAsk > near.bid &&
    low >= maxBid &&
    high >= maxBid &&
    close >= maxBid &&
    low <= minAsk &&
    high <= minAsk &&
    close <= minAsk
  );
}
