import type { Candle } from '../../domain/market/market-data';
import type { MarketRules } from '../../domain/market/market-rules';
import type { Decimal } from '../../domain/money/decimal';
import { numberOf } from '../../domain/money/decimal-units';
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
  return layersApart(orders, bar, near.bid, near.ask);
}

/**
 * {@link untouchedLayers} decided without the open's synthetic book, on the open itself: the
 * highest bid strictly below the open and the lowest ask strictly above it, the path's checks as
 * there. Where the tick tables bracket every price (see {@link openBracketFloor}: the synthetic bid
 * is at most the open and its ask at least the open, for any open at or above `floor`), that is
 * `maxBid < open ≤ ask` and `minAsk > open ≥ bid`, so untouchedLayers would say true as well; the
 * bar then needs no tick lookup and no quotes. A tie with the open, a NaN or an open below `floor`
 * says false, and processBar asks untouchedLayers with the book.
 */
export function untouchedAroundOpen(orders: readonly SimOrder[], bar: Candle, floor: number): boolean {
  const open = bar.open;
  return open >= floor && layersApart(orders, bar, open, open);
}

/** Every order a quote layer, bids below `bid` and asks above `ask`, and the path between them. */
function layersApart(orders: readonly SimOrder[], bar: Candle, bid: number, ask: number): boolean {
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
    maxBid < ask &&
    minAsk > bid &&
    low >= maxBid &&
    high >= maxBid &&
    close >= maxBid &&
    low <= minAsk &&
    high <= minAsk &&
    close <= minAsk
  );
}

/**
 * The least open from which the rules' tick tables surely bracket it, or +∞ when they may not.
 * spreadAroundNumber(open) is roundToTick(open, down) and one tick above that (as doubles). When
 * every band starts on a multiple of its own tick (and of each asset override's tick for it) and
 * the lowest band starts at 0, rounding down stays in the open's band, so the bid is at most the
 * open and the bid plus that band's tick (stepTicks) is above it; the one exception is an open
 * below the lowest band's tick, which rounds to zero and is bumped up to one tick. Above twice the
 * largest such tick (a margin for the tick's double) the bracket holds for every table in force.
 */
export function openBracketFloor(rules: MarketRules): number {
  let lowest = 0;
  for (const table of rules.tickTables) {
    const bands = table.bands;
    const last = bands[bands.length - 1];
    if (last === undefined || !last.from.isZero()) return Number.POSITIVE_INFINITY;
    for (const band of bands) {
      const ticks: Decimal[] = [band.tick];
      for (const overrides of Object.values(table.overrides))
        for (const o of overrides) if (o.from.eq(band.from)) ticks.push(o.tick);
      for (const tick of ticks) {
        if (!(tick.isFinite() && tick.gt(0)) || !band.from.mod(tick).isZero())
          return Number.POSITIVE_INFINITY;
        if (band === last) lowest = Math.max(lowest, numberOf(tick));
      }
    }
  }
  return 2 * lowest;
}
