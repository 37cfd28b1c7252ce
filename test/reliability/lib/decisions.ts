import type { OrderbookSnapshot } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { decimalFromNumber } from '../../../shared/src/domain/money/decimal';
import { krw, price, volumeForBudget } from '../../../shared/src/domain/money/quantities';
import { makeDecisionId } from '../../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision, DecisionIntent } from '../../../shared/src/domain/trading/decision';
import type { StrategyName } from '../../../shared/src/domain/trading/strategy-name';

/** The directional strategies the campaign's decisions are attributed to (each its own sleeve). */
const DIRECTIONAL: readonly StrategyName[] = [
  'momentum_scalping',
  'mean_reversion',
  'microstructure',
  'stat_arb',
];

/**
 * Seeded decisions like the minute analysis sends: directional buys and sells (maker-first or
 * aggressive), market-making quotes at the sim's own bid levels. Every decision made is kept in
 * `sent` for the audits (notional caps, quote volumes).
 */
export class DecisionFactory {
  readonly sent: Decision[] = [];
  #seq = 0;

  constructor(
    private readonly scope: string,
    private readonly rnd: () => number,
    private readonly ttlMs = 60_000,
  ) {}

  #pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rnd() * list.length)] as T;
  }

  #make(market: Market, intent: DecisionIntent, strategy: StrategyName, createdAt = Date.now()): Decision {
    const d: Decision = {
      id: makeDecisionId(this.scope, market, createdAt as EpochMs, ++this.#seq),
      market,
      createdAt: createdAt as EpochMs,
      expiresAt: (createdAt + this.ttlMs) as EpochMs,
      source: strategy === 'market_making' ? 'market_making' : 'ensemble',
      strategy,
      intent,
      signals: [],
    };
    this.sent.push(d);
    return d;
  }

  /** A directional decision of a random (or the given) strategy: buys 60 %, sells 40 %; a third aggressive. */
  directional(market: Market, createdAt?: number, strategy?: StrategyName): Decision {
    const side = this.rnd() < 0.6 ? 'bid' : 'ask';
    const notional = krw(String(20_000 + Math.floor(this.rnd() * 8) * 10_000));
    const urgency = this.rnd() < 0.35 ? 'aggressive' : 'passive';
    return this.#make(
      market,
      { kind: 'directional', side, notional, urgency, takeProfitPct: 1 },
      strategy ?? this.#pick(DIRECTIONAL),
      createdAt,
    );
  }

  /** Market-making quotes: one to three bid levels at the book's own prices, ~10,000 KRW each. */
  quotes(market: Market, book: OrderbookSnapshot, createdAt?: number): Decision {
    const n = 1 + Math.floor(this.rnd() * 3);
    const levels = book.bids.slice(0, n).map((l) => {
      const p = price(decimalFromNumber(l.price).toFixed());
      return { side: 'bid' as const, price: p, volume: volumeForBudget(krw('10000'), p) };
    });
    return this.#make(market, { kind: 'quotes', levels }, 'market_making', createdAt);
  }

  /** A decision of either kind (quotes a fifth of the time, when a book is known). */
  any(market: Market, book: OrderbookSnapshot | undefined, createdAt?: number): Decision {
    return book !== undefined && this.rnd() < 0.2
      ? this.quotes(market, book, createdAt)
      : this.directional(market, createdAt);
  }
}
