import type { Candle, OrderbookSnapshot } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { QuoteHints } from '../../../shared/src/domain/strategies/quote-hints';
import type {
  Strategy,
  StrategyContext,
  StrategySignal,
} from '../../../shared/src/domain/strategies/strategy';
import { type EpochMs, MS } from '../../../shared/src/domain/time/epoch';
import type { StrategyName } from '../../../shared/src/domain/trading/strategy-name';

/** Start prices of the markets a path may use (KRW). */
export const START_PRICES: Readonly<Record<string, number>> = {
  'KRW-BTC': 100_000_000,
  'KRW-ETH': 5_000_000,
  'KRW-XRP': 3_000,
};

/** A standard normal draw (Box–Muller) from a uniform source. */
function normal(rnd: () => number): number {
  const u = Math.max(1e-12, rnd());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

/**
 * One random 1-minute market path per market: a random walk with its own volatility and drift, and
 * now and then a crash or a spike of 3–15 % spread over a few bars (what trips the emergency stop
 * when the book is exposed). Markets share the time axis; `start` is a UTC instant (a path may cross
 * KST midnight, so the loss ledgers roll over inside a path).
 */
export function marketPath(
  rnd: () => number,
  markets: readonly Market[],
  bars: number,
  start: number,
): Map<Market, Candle[]> {
  const out = new Map<Market, Candle[]>();
  const vol = 0.0005 + rnd() * 0.006;
  const drift = (rnd() - 0.5) * 0.0006;
  const shockRate = rnd() * 0.02;
  for (const market of markets) {
    const candles: Candle[] = [];
    let close = (START_PRICES[market] ?? 10_000) * (0.8 + rnd() * 0.4);
    let shock: { perBar: number; left: number } | undefined;
    for (let i = 0; i < bars; i++) {
      if (shock === undefined && rnd() < shockRate) {
        const size = (0.03 + rnd() * 0.12) * (rnd() < 0.75 ? -1 : 1);
        const length = 1 + Math.floor(rnd() * 4);
        shock = { perBar: Math.log(1 + size) / length, left: length };
      }
      let r = drift + vol * normal(rnd);
      if (shock !== undefined) {
        r += shock.perBar;
        shock.left -= 1;
        if (shock.left === 0) shock = undefined;
      }
      const open = close;
      close = Math.max(1, open * Math.exp(r));
      const wick = vol * Math.abs(normal(rnd));
      const volume = (5 + rnd() * 200) * (100_000_000 / (START_PRICES[market] ?? 10_000)) * 0.01;
      candles.push({
        market,
        timeframe: '1m',
        openTime: (start + i * MS.minute) as EpochMs,
        open,
        high: Math.max(open, close) * (1 + wick),
        low: Math.min(open, close) * (1 - wick),
        close,
        volume,
        quoteVolume: volume * close,
      });
    }
    out.set(market, candles);
  }
  return out;
}

/**
 * A strategy that votes at random (seeded): buy or sell signals of random strength on a share of the
 * bars, and sometimes quotes. It stands in for the five real strategies where the point is to push
 * the ensemble and the risk engine as hard and as often as possible, not to trade well.
 */
export class RandomVoter implements Strategy {
  readonly warmupBars = 0;

  constructor(
    readonly name: StrategyName,
    readonly markets: readonly Market[],
    private readonly rnd: () => number,
    private readonly activity: number,
  ) {}

  onBar(bar: Candle, ctx: StrategyContext): readonly StrategySignal[] {
    if (this.rnd() >= this.activity) return [];
    const buy = this.rnd() < (ctx.positionVolume > 0 ? 0.45 : 0.7);
    const strength = 0.2 + this.rnd() * 0.8;
    const base = { strategy: this.name, market: bar.market, at: ctx.now, reason: 'random vote' };
    if (this.name === 'market_making' && this.rnd() < 0.5) {
      const size = 5_000 + this.rnd() * 300_000;
      return [
        {
          ...base,
          direction: 'flat',
          strength,
          quotes: QuoteHints.of([
            { side: 'bid', price: bar.close * (1 - 0.001 - this.rnd() * 0.004), sizeKrw: size, layer: 0 },
            { side: 'ask', price: bar.close * (1 + 0.001 + this.rnd() * 0.004), sizeKrw: size, layer: 1 },
          ]),
        },
      ];
    }
    return [
      {
        ...base,
        direction: buy ? 'buy' : 'sell',
        strength,
        ...(this.rnd() < 0.5 ? { sizeHintKrw: 5_000 + this.rnd() * 2_000_000 } : {}),
        ...(this.rnd() < 0.3 ? { priceHint: bar.close * (1 + (this.rnd() - 0.5) * 0.02) } : {}),
      },
    ];
  }

  onBook(_book: OrderbookSnapshot): readonly StrategySignal[] {
    return [];
  }
}
