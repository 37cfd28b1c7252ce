import { ManualClock } from '../../memory/manual-clock';
import { SystemClock } from '../../system/system-clock';
import { sharedRateLimiter } from './shared-rate-limiter';
import { UpbitRestClient } from './upbit-rest-client';

describe('sharedRateLimiter', () => {
  it('gives every client of the process that talks to one origin the same limiter', () => {
    const venue = new UpbitRestClient({ baseUrl: 'https://api.upbit.com/v1', clock: new SystemClock() });
    // The candle downloader builds its own client with its own SystemClock: it must still share.
    const downloader = new UpbitRestClient({
      baseUrl: 'https://api.upbit.com/v1/',
      clock: new SystemClock(),
    });
    expect(downloader.limiter).toBe(venue.limiter);
    expect(sharedRateLimiter('https://api.upbit.com', new SystemClock())).toBe(venue.limiter);
  });

  it('keeps other origins and other clocks (tests) apart', () => {
    const upbit = sharedRateLimiter('https://api.upbit.com/v1', new SystemClock());
    expect(sharedRateLimiter('http://127.0.0.1:7070/v1', new SystemClock())).not.toBe(upbit);
    const manual = new ManualClock(0);
    const a = sharedRateLimiter('https://api.upbit.com/v1', manual);
    expect(a).not.toBe(upbit);
    expect(sharedRateLimiter('https://api.upbit.com/v1', manual)).toBe(a);
  });
});
