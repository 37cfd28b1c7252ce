import { describeClockContract } from '../../testing/clock-contract';
import { describeMarketDataSourceContract } from '../../testing/market-data-source-contract';
import { describeNotifierContract } from '../../testing/notifier-contract';
import { describeSecretsContract } from '../../testing/secrets-contract';
import { type ContractBook, describeTradingVenueContract } from '../../testing/trading-venue-contract';
import type { Market } from '../domain/market/market-id';
import { ManualClock } from './memory/manual-clock';
import { MemoryMarketDataSource } from './memory/memory-market-data-source';
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

describeMarketDataSourceContract('MemoryMarketDataSource', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 25, 4, 17, 23));
  const source = new MemoryMarketDataSource({ markets: ['KRW-BTC', 'KRW-ETH'] as Market[], clock });
  let sequence = 0;
  const levels = (rows: ContractBook['bids']) =>
    rows.map(([p, s]) => ({ price: Number(p), size: Number(s) }));
  return {
    source,
    now: () => clock.now(),
    pass: (ms) => clock.advance(ms),
    printTrade: (market, p, v, takerSide) => {
      sequence += 1;
      source.recordTrade({
        market,
        timestamp: clock.now(),
        price: Number(p),
        volume: Number(v),
        takerSide,
        sequentialId: String(sequence),
      });
    },
    setBook: (market, book) =>
      source.setOrderbook({
        market,
        timestamp: clock.now(),
        bids: levels(book.bids),
        asks: levels(book.asks),
      }),
  };
});
