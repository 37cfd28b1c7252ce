import { describeClockContract } from '../../testing/clock-contract';
import { describeMarketDataSourceContract } from '../../testing/market-data-source-contract';
import { describeMarketDataStreamContract } from '../../testing/market-data-stream-contract';
import { describeNotifierContract } from '../../testing/notifier-contract';
import { describeSecretsContract } from '../../testing/secrets-contract';
import { type ContractBook, describeTradingVenueContract } from '../../testing/trading-venue-contract';
import type { OrderbookSnapshot, Trade } from '../domain/market/market-data';
import type { Market } from '../domain/market/market-id';
import type { OrderSide } from '../domain/orders/order-types';
import { ManualClock } from './memory/manual-clock';
import { MemoryMarketDataSource } from './memory/memory-market-data-source';
import { MemoryMarketDataStream } from './memory/memory-market-data-stream';
import { MemoryNotifier } from './memory/memory-notifier';
import { MemorySecrets } from './memory/memory-secrets';
import { MemoryTradingVenue } from './memory/memory-trading-venue';
import { EnvSecrets } from './system/env-secrets';
import { SystemClock } from './system/system-clock';

describeClockContract('ManualClock', () => {
  const clock = new ManualClock();
  return { clock, pass: (ms) => clock.advance(ms) };
});

describeClockContract('SystemClock', () => {
  const clock = new SystemClock();
  // The real clock is the thing under test here, so real time has to pass.
  return { clock, pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
});

describeSecretsContract('MemorySecrets', (values) => new MemorySecrets(values));
describeSecretsContract('EnvSecrets', (values) => new EnvSecrets(values));

describeNotifierContract('MemoryNotifier', () => {
  const notifier = new MemoryNotifier();
  return { notifier, delivered: async () => notifier.texts() };
});

describeTradingVenueContract('MemoryTradingVenue', () => {
  const venue = new MemoryTradingVenue({
    markets: ['KRW-BTC', 'KRW-ETH'] as Market[],
    clock: new ManualClock(Date.UTC(2026, 10, 25, 4, 0, 0)),
  });
  return {
    venue,
    fund: (currency, amount) => venue.fund(currency, amount),
    setBook: (market, book) => venue.setBook(market, book),
    printTrade: (market, p, v, takerSide) => venue.printTrade(market, p, v, takerSide),
  };
});

/** A memory market listing KRW-BTC and KRW-ETH, fed the way the market-data contracts print trades and books. */
function memoryMarket(start: number) {
  const clock = new ManualClock(start);
  const source = new MemoryMarketDataSource({ markets: ['KRW-BTC', 'KRW-ETH'] as Market[], clock });
  let sequence = 0;
  const levels = (rows: ContractBook['bids']) =>
    rows.map(([p, s]) => ({ price: Number(p), size: Number(s) }));
  return {
    clock,
    source,
    trade: (market: Market, p: string, v: string, takerSide: OrderSide): Trade => {
      sequence += 1;
      return {
        market,
        timestamp: clock.now(),
        price: Number(p),
        volume: Number(v),
        takerSide,
        sequentialId: String(sequence),
      };
    },
    book: (market: Market, book: ContractBook): OrderbookSnapshot => ({
      market,
      timestamp: clock.now(),
      bids: levels(book.bids),
      asks: levels(book.asks),
    }),
  };
}

describeMarketDataSourceContract('MemoryMarketDataSource', () => {
  const { clock, source, trade, book } = memoryMarket(Date.UTC(2026, 10, 25, 4, 17, 23));
  return {
    source,
    now: () => clock.now(),
    pass: (ms) => clock.advance(ms),
    printTrade: (market, p, v, takerSide) => source.recordTrade(trade(market, p, v, takerSide)),
    setBook: (market, b) => source.setOrderbook(book(market, b)),
  };
});

describeMarketDataStreamContract('MemoryMarketDataStream', () => {
  const { clock, source, trade, book } = memoryMarket(Date.UTC(2026, 10, 25, 4, 0, 0));
  const stream = new MemoryMarketDataStream(source);
  return {
    stream,
    printTrade: async (market, p, v, takerSide) => {
      await clock.advance(1_000);
      stream.printTrade(trade(market, p, v, takerSide));
    },
    setBook: (market, b) => stream.setBook(book(market, b)),
    dropConnection: () => stream.drop('network', clock.now()),
    sendMalformedFrame: () => stream.rejectFrame(),
    settle: () => stream.settled(),
  };
});
