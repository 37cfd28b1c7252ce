import { UpbitMarketDataStream } from '../../shared/src/adapters/upbit/ws/upbit-market-data-stream';
import { describeMarketDataStreamContract } from '../../shared/testing/market-data-stream-contract';
import { startHarness } from './support/fake-harness';
import { FAST_TIMINGS } from './support/stream-helpers';

// The contract over a real WebSocket: the production stream against the fake exchange, REST resync
// through the production client, the connection cut by the server and a garbage frame sent by it.
describeMarketDataStreamContract('UpbitMarketDataStream on the fake exchange', async () => {
  const h = await startHarness();
  const stream = new UpbitMarketDataStream({
    publicUrl: h.fake.wsUrl,
    privateUrl: h.fake.privateWsUrl,
    clock: h.clock,
    marketData: h.marketData,
    limiter: h.client.limiter,
    tradeHistory: (market, count, cursor) => h.quotation.getTrades(market, count, cursor),
    denseTradeIds: true,
    timings: FAST_TIMINGS,
    random: () => 0.5,
  });
  return {
    stream,
    printTrade: (market, p, v, takerSide) => h.fake.controls.trade(market, p, v, takerSide),
    setBook: (market, book) => h.fake.controls.setBook(market, book),
    dropConnection: () => h.fake.controls.faults.dropWebSockets(),
    sendMalformedFrame: () => h.fake.controls.faults.sendRawFrame('{"type":"trade","code":"KRW-BTC",'),
    // Frames from the fake arrive within a few ms on loopback; 150 ms is ample on a loaded CI box.
    settle: () => new Promise((resolve) => setTimeout(resolve, 150)),
    dispose: () => h.close(),
  };
});
