import { isTradingError } from '../../../domain/errors/trading-error';
import { ManualClock } from '../../memory/manual-clock';
import { parseRemainingReq } from './rate-limit-groups';
import { banDurationMs, UpbitRateLimiter } from './rate-limiter';

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('parseRemainingReq', () => {
  it('reads group and sec, ignoring the legacy min and case', () => {
    expect(parseRemainingReq('group=default; min=1800; sec=29')).toEqual({ group: 'default', sec: 29 });
    expect(parseRemainingReq('GROUP=candle;MIN=600;SEC=0')).toEqual({ group: 'candle', sec: 0 });
  });
  it('refuses unreadable headers instead of guessing', () => {
    expect(parseRemainingReq(null)).toBeUndefined();
    expect(parseRemainingReq('group=default; sec=')).toBeUndefined();
    expect(parseRemainingReq('group=default; sec=-1')).toBeUndefined();
    expect(parseRemainingReq('nonsense')).toBeUndefined();
  });
});

describe('banDurationMs', () => {
  it('reads durations in several spellings', () => {
    expect(banDurationMs('blocked for 30 seconds')).toBe(30_000);
    expect(banDurationMs('{"error":{"message":"5분 동안 차단"}}')).toBe(300_000);
    expect(banDurationMs('retry after 2 minutes')).toBe(120_000);
    expect(banDurationMs("I'm a teapot")).toBeUndefined();
  });
});

describe('UpbitRateLimiter', () => {
  it('lets a burst of the group budget through, then waits for the bucket to refill', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    for (let i = 0; i < 10; i++) await limiter.acquire('candle');
    let done = false;
    const eleventh = limiter.acquire('candle').then(() => {
      done = true;
    });
    await settle();
    expect(done).toBe(false);
    await clock.advance(99);
    expect(done).toBe(false);
    await clock.advance(1);
    await eleventh;
    expect(done).toBe(true);
  });

  it('keeps groups independent', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    for (let i = 0; i < 10; i++) await limiter.acquire('candle');
    // The default group still has its own 30 tokens.
    for (let i = 0; i < 30; i++) await limiter.acquire('default');
    expect(limiter.snapshot().groups.default?.tokens).toBe(0);
  });

  it('allows one cancel-all per two seconds', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    await limiter.acquire('order-cancel-all');
    let done = false;
    const next = limiter.acquire('order-cancel-all').then(() => {
      done = true;
    });
    await clock.advance(1_999);
    expect(done).toBe(false);
    await clock.advance(1);
    await next;
    expect(done).toBe(true);
  });

  it('trusts a lower server count and waits a full second when sec=0', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    await limiter.acquire('default');
    limiter.observe('default', 200, 'group=default; min=1800; sec=0');
    let done = false;
    const next = limiter.acquire('default').then(() => {
      done = true;
    });
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    await next;
    expect(done).toBe(true);
  });

  it('does not refill on top of the server count inside the same one-second window', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    await limiter.acquire('order');
    // The server has 2 calls left in a window whose edges we cannot see.
    limiter.observe('order', 201, 'group=order; min=1800; sec=2');
    await clock.advance(500);
    await limiter.acquire('order');
    await limiter.acquire('order');
    let third = false;
    const next = limiter.acquire('order').then(() => {
      third = true;
    });
    // A plain token bucket would have refilled 6 tokens by now and sent a call the server refuses.
    await clock.advance(400);
    expect(third).toBe(false);
    await clock.advance(700);
    await next;
    expect(third).toBe(true);
  });

  it('backs off at least one second after a 429 and doubles on repeats, resetting on success', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    expect(limiter.observe('order', 429, null)).toBe(1_000);
    expect(limiter.observe('order', 429, null)).toBe(2_000);
    expect(limiter.observe('order', 429, null)).toBe(4_000);
    let done = false;
    const next = limiter.acquire('order').then(() => {
      done = true;
    });
    await clock.advance(3_999);
    expect(done).toBe(false);
    // The bucket restarts empty when the pause ends, so the first call waits one refill (1/12 s) more.
    await clock.advance(86);
    await next;
    expect(done).toBe(true);
    limiter.observe('order', 201, 'group=order; min=1800; sec=11');
    expect(limiter.observe('order', 429, null)).toBe(1_000);
  });

  it('never lets a caller send during a 429 pause, however many are waiting', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    limiter.observe('ticker', 429, null);
    let sent = 0;
    const waiting = Array.from({ length: 20 }, () => limiter.acquire('ticker').then(() => sent++));
    await clock.advance(999);
    expect(sent).toBe(0);
    await clock.advance(1);
    await settle();
    // After the pause the bucket refills from zero at 10/s: no burst right after a 429.
    expect(sent).toBeLessThanOrEqual(1);
    await clock.advance(3_000);
    await Promise.all(waiting);
    expect(sent).toBe(20);
  });

  it('stops every group on a 418 with a fatal error until the ban passes', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock, defaultBanMs: 60_000 });
    expect(limiter.observe('candle', 418, null, "I'm a teapot")).toBe(60_000);
    expect(limiter.isBanned()).toBe(true);
    const error = await limiter.acquire('default').catch((e: unknown) => e);
    expect(isTradingError(error, 'fatal')).toBe(true);
    expect(error).toMatchObject({ code: 'rate_limit_banned', status: 418, retryAfterMs: 60_000 });
    await clock.advance(59_999);
    await expect(limiter.acquire('order')).rejects.toThrow(/banned/);
    await clock.advance(1);
    await expect(limiter.acquire('order')).resolves.toBeUndefined();
  });

  it('uses the ban length the 418 body states', () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    expect(limiter.observe('order', 418, null, 'blocked for 90 seconds')).toBe(90_000);
    expect(limiter.snapshot().bannedUntil).toBe(90_000);
  });

  it('aborts a waiting caller through its signal', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    limiter.observe('order', 429, null);
    const controller = new AbortController();
    const waiting = limiter.acquire('order', controller.signal);
    controller.abort(new Error('shutdown'));
    await expect(waiting).rejects.toThrow('shutdown');
  });
});
