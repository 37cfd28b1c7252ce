import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { createUpbitAdapters, resolveUpbitUrls } from '../../shared/src/adapters/upbit/upbit-adapters';
import { Secret } from '../../shared/src/domain/security/secret';
import { startFakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { BTC, BTC_BOOK } from './support/fake-harness';

describe('resolveUpbitUrls', () => {
  it('uses URLs with paths as given (production defaults)', () => {
    expect(resolveUpbitUrls('https://api.upbit.com/v1', 'wss://api.upbit.com/websocket/v1')).toEqual({
      rest: 'https://api.upbit.com/v1',
      publicWs: 'wss://api.upbit.com/websocket/v1',
      privateWs: 'wss://api.upbit.com/websocket/v1/private',
    });
  });

  it("adds Upbit's paths to a bare origin (pointing the system at the sim)", () => {
    expect(resolveUpbitUrls('http://127.0.0.1:7070', 'ws://127.0.0.1:7070/')).toEqual({
      rest: 'http://127.0.0.1:7070/v1',
      publicWs: 'ws://127.0.0.1:7070/websocket/v1',
      privateWs: 'ws://127.0.0.1:7070/websocket/v1/private',
    });
  });

  it('refuses text that is not a URL, naming the variable', () => {
    expect(() => resolveUpbitUrls('api.upbit.com', 'wss://x')).toThrow(/UPBIT_REST_URL/);
  });
});

describe('createUpbitAdapters against the sim, configured with bare origins', () => {
  it('trades over REST and streams both channels through one shared rate limiter', async () => {
    const clock = new SystemClock();
    const fake = await startFakeExchange({ clock, autoMarket: false, markets: [BTC] });
    const origin = fake.restUrl.replace(/\/v1$/, '');
    const upbit = createUpbitAdapters({
      restUrl: origin,
      wsUrl: origin.replace('http', 'ws'),
      clock,
      credentials: { accessKey: fake.accessKey, secretKey: new Secret(fake.secretKey) },
    });
    try {
      fake.controls.setBook(BTC, BTC_BOOK);
      expect(upbit.urls.privateWs).toBe(fake.privateWsUrl);
      const balances = await upbit.venue?.getBalances();
      expect(balances?.find((b) => b.currency === 'KRW')?.balance.toFixed()).toBe('10000000');
      const books = await upbit.marketData.getOrderbooks([BTC]);
      expect(books[0]?.bids[0]?.price).toBe(99000000);
      const seen: string[] = [];
      upbit.stream.onEvent((e) => {
        if (e.type === 'connection' && e.state === 'open') seen.push(e.channel);
      });
      upbit.stream.subscribe({ orderbook: { markets: [BTC] }, myAsset: true });
      await upbit.stream.start();
      expect(seen.sort()).toEqual(['private', 'public']);
    } finally {
      await upbit.stream.stop();
      await fake.close();
    }
  });

  it('offers market data only when no keys are configured', () => {
    const upbit = createUpbitAdapters({
      restUrl: 'https://api.upbit.com/v1',
      wsUrl: 'wss://api.upbit.com/websocket/v1',
      clock: new SystemClock(),
    });
    expect(upbit.venue).toBeUndefined();
    expect(upbit.exchange).toBeUndefined();
    expect(upbit.marketData).toBeDefined();
  });
});
