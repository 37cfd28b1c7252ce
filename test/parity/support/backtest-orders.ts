import { BookFeed, barTapeOf } from '../../../shared/src/backtest/broker/book-feed';
import {
  type BrokerFill,
  type BrokerRejection,
  SimulatedBroker,
} from '../../../shared/src/backtest/broker/simulated-broker';
import { booksOf, findBookFiles } from '../../../shared/src/backtest/data/book-files';
import { findTradeFiles, tradesOf } from '../../../shared/src/backtest/data/trade-files';
import { TradeFeed } from '../../../shared/src/backtest/engine/trade-feed';
import type { Candle } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES } from '../../../shared/src/domain/market/market-rules';
import { krw, type Price, type Volume } from '../../../shared/src/domain/money/quantities';
import type { OrderIdentifier } from '../../../shared/src/domain/orders/identifiers';
import type { OrderSide } from '../../../shared/src/domain/orders/order-types';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Position } from '../../../shared/src/domain/trading/position';
import type { StrategyName } from '../../../shared/src/domain/trading/strategy-name';

/** An order the paper run placed, as the backtester receives it: on the open of the bar it was placed in. */
export interface ScriptedOrder {
  readonly barOpen: EpochMs;
  readonly identifier: OrderIdentifier;
  readonly side: OrderSide;
  readonly price: Price;
  readonly volume: Volume;
  readonly postOnly: boolean;
}

/** What the backtester's broker made of the orders on the tape. */
export interface BacktestOutcome {
  readonly fills: readonly BrokerFill[];
  readonly rejections: readonly BrokerRejection[];
  readonly position: Position;
  readonly cash: string;
}

/** 1-minute candles of the tape's trades (what `--data` would hold for the same minutes). */
function candlesOf(
  market: Market,
  trades: readonly { timestamp: number; price: number; volume: number }[],
  barMs: number,
): Candle[] {
  const bars = new Map<number, Candle>();
  for (const t of trades) {
    const openTime = Math.floor(t.timestamp / barMs) * barMs;
    const c = bars.get(openTime);
    bars.set(
      openTime,
      c === undefined
        ? {
            market,
            timeframe: '1m',
            openTime: openTime as EpochMs,
            open: t.price,
            high: t.price,
            low: t.price,
            close: t.price,
            volume: t.volume,
            quoteVolume: t.price * t.volume,
          }
        : {
            ...c,
            high: Math.max(c.high, t.price),
            low: Math.min(c.low, t.price),
            close: t.price,
            volume: c.volume + t.volume,
            quoteVolume: c.quoteVolume + t.price * t.volume,
          },
    );
  }
  return [...bars.values()].sort((a, b) => a.openTime - b.openTime);
}

/**
 * Runs the backtester's broker over a recorded tape exactly as `npm run backtest -- --trades DIR`
 * does bar by bar (the same readers, `TradeFeed`, `BookFeed` with one bar of book age, `barTapeOf`,
 * `SimulatedBroker.processBar`), with the strategies replaced by the orders given: each is placed
 * at the close before its bar, so it reaches the venue at the bar's open and lives for that bar.
 */
export async function backtestOrders(
  root: string,
  market: Market,
  strategy: StrategyName,
  orders: readonly ScriptedOrder[],
  barMs: number,
): Promise<BacktestOutcome> {
  const [tradeFile] = findTradeFiles(root, [market]);
  const [bookFile] = findBookFiles(root, [market]);
  if (tradeFile === undefined || bookFile === undefined)
    throw new Error(`no tape for ${market} under ${root}`);
  const trades = new TradeFeed(new Map([[market, tradesOf(tradeFile)]]));
  const books = new BookFeed(new Map([[market, booksOf(bookFile)]]), barMs);
  const broker = new SimulatedBroker(krw('10000000'), KRW_MARKET_RULES, 0, () => 0.5);
  const fills: BrokerFill[] = [];
  const rejections: BrokerRejection[] = [];
  let last = 0 as EpochMs;
  for (const bar of candlesOf(market, [...tradesOf(tradeFile)], barMs)) {
    for (const o of orders.filter((x) => x.barOpen === bar.openTime)) {
      const placed = broker.place(
        {
          identifier: o.identifier,
          market,
          strategy,
          spec: { kind: 'limit', side: o.side, price: o.price, volume: o.volume, postOnly: o.postOnly },
          reason: 'paper',
        },
        bar.openTime,
        o.price,
      );
      if (!placed.ok) throw new Error(`the backtester refused ${o.identifier}: ${placed.rejection.code}`);
    }
    const out = broker.processBar(
      bar,
      barTapeOf(bar, barMs, await trades.takeBefore(bar.openTime + barMs), await books.at(bar.openTime)),
    );
    fills.push(...out.fills);
    rejections.push(...out.rejections);
    last = bar.openTime;
  }
  return {
    fills,
    rejections,
    position: broker.positionOf(market, strategy, last),
    cash: broker.cash.toFixed(),
  };
}
