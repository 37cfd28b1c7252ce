import fc from 'fast-check';
import { isTradingError } from '../../../domain/errors/trading-error';
import { ManualClock } from '../../memory/manual-clock';
import { parseRemainingReq } from './rate-limit-groups';
import { banDurationMs, type RateTicket, UpbitRateLimiter } from './rate-limiter';

async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

/** Advances a manual clock in 1 ms steps so every chain of callbacks runs at its own instant. */
async function run(clock: ManualClock, ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    await clock.advance(1);
    await settle();
  }
}

const header = (group: string, sec: number) => `group=${group}; min=1800; sec=${sec}`;

/** Starts `n` acquires and records when each was granted. */
function queue(limiter: UpbitRateLimiter, group: 'order' | 'default', n: number, clock: ManualClock) {
  const granted: { at: number; ticket: RateTicket }[] = [];
  const all = Array.from({ length: n }, () =>
    limiter.acquire(group).then((ticket) => {
      granted.push({ at: clock.now(), ticket });
    }),
  );
  return { granted, all };
}

describe('parseRemainingReq', () => {
  it('reads group and sec, ignoring the legacy min and case', () => {
    expect(parseRemainingReq('group=default; min=1800; sec=29')).toEqual({ group: 'default', sec: 29 });
    expect(parseRemainingReq('GROUP=candle;MIN=600;SEC=0')).toEqual({ group: 'candle', sec: 0 });
  });
  it('refuses unreadable or absurd headers instead of guessing', () => {
    expect(parseRemainingReq(null)).toBeUndefined();
    expect(parseRemainingReq('group=default; sec=')).toBeUndefined();
    expect(parseRemainingReq('group=default; sec=-1')).toBeUndefined();
    expect(parseRemainingReq('group=default; sec=1e3')).toBeUndefined();
    expect(parseRemainingReq(`group=default; sec=${'9'.repeat(500)}`)).toBeUndefined();
    expect(parseRemainingReq('nonsense')).toBeUndefined();
  });
});

describe('banDurationMs', () => {
  it('reads durations in several spellings, capped at a day', () => {
    expect(banDurationMs('blocked for 30 seconds')).toBe(30_000);
    expect(banDurationMs('{"error":{"message":"5분 동안 차단"}}')).toBe(300_000);
    expect(banDurationMs('retry after 2 minutes')).toBe(120_000);
    expect(banDurationMs('Blocked for 999999999 hours.')).toBe(86_400_000);
    expect(banDurationMs("I'm a teapot")).toBeUndefined();
  });

  // The Korean units are \u escapes in the source (see DURATION): each must still match as written.
  it('reads the Korean units 초, 분 and 시간 anywhere in the text', () => {
    const units = [
      ['초', 1_000],
      ['분', 60_000],
      ['시간', 3_600_000],
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom(...units),
        fc.constantFrom('', ' '),
        fc.constantFrom('', '{"error":{"message":"', '요청 제한: '),
        (n, [unit, ms], space, prefix) => {
          expect(banDurationMs(`${prefix}${n}${space}${unit} 동안 차단`)).toBe(n * ms);
        },
      ),
      { seed: 16_418, numRuns: 200 },
    );
  });
});

describe('UpbitRateLimiter', () => {
  it('starts conservatively: one call in flight until the first Remaining-Req is read', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    const { granted } = queue(limiter, 'order', 5, clock);
    await settle();
    expect(granted).toHaveLength(1);
    await run(clock, 500);
    expect(granted).toHaveLength(1);
    limiter.observe('order', 201, header('order', 11), undefined, granted[0]?.ticket);
    await settle();
    // The server says 11 are left: the other four go at once.
    expect(granted.map((g) => g.at)).toEqual([0, 500, 500, 500, 500]);
  });

  it('treats sec=0 as "this window is spent" and waits until it is certainly over', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    const first = await limiter.acquire('default');
    await run(clock, 40);
    limiter.observe('default', 200, header('default', 0), undefined, first);
    let done = false;
    const next = limiter.acquire('default').then(() => {
      done = true;
    });
    await run(clock, 999);
    expect(done).toBe(false);
    await run(clock, 1);
    await next;
    expect(done).toBe(true);
    expect(clock.now()).toBe(1_040);
  });

  it('resyncs when the window rolls: a later answer with more room lifts the old count at once', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    // Another process spent most of this window: only 1 left after our first call.
    const first = await limiter.acquire('order');
    await run(clock, 10);
    limiter.observe('order', 201, header('order', 1), undefined, first);
    const second = await limiter.acquire('order');
    await run(clock, 10);
    limiter.observe('order', 201, header('order', 0), undefined, second);
    const { granted } = queue(limiter, 'order', 5, clock);
    await run(clock, 500);
    expect(granted).toHaveLength(0);
    await run(clock, 520);
    // The window the answer described is over (answer + 1 s): one call goes and learns the new window.
    expect(granted).toHaveLength(1);
    await run(clock, 5);
    limiter.observe('order', 201, header('order', 11), undefined, granted[0]?.ticket);
    await settle();
    expect(granted).toHaveLength(5);
  });

  it('keeps the tighter count when answers to concurrent calls come back out of order', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    const probe = await limiter.acquire('order');
    limiter.observe('order', 201, header('order', 11), undefined, probe);
    const a = await limiter.acquire('order');
    const b = await limiter.acquire('order');
    await run(clock, 5);
    // b was counted first by the server (sec=4 after it), a second (sec=3), but a's answer arrives first.
    limiter.observe('order', 201, header('order', 3), undefined, a);
    limiter.observe('order', 201, header('order', 4), undefined, b);
    // Conservative: a was counted against b still in flight (3 - 1), and b's later-read but older count
    // cannot loosen that. Never more than the true 3.
    expect(limiter.snapshot().groups.order?.tokens).toBe(2);
  });

  it('backs off ≥ 1 s after a 429, doubling on repeats, then probes with one call; success resets', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    expect(limiter.observe('order', 429, null)).toBe(1_000);
    expect(limiter.observe('order', 429, null)).toBe(2_000);
    expect(limiter.observe('order', 429, null)).toBe(4_000);
    const { granted } = queue(limiter, 'order', 3, clock);
    await run(clock, 3_999);
    expect(granted).toHaveLength(0);
    await run(clock, 1);
    expect(granted).toHaveLength(1);
    await run(clock, 200);
    expect(granted).toHaveLength(1);
    limiter.observe('order', 201, header('order', 11), undefined, granted[0]?.ticket);
    await settle();
    expect(granted).toHaveLength(3);
    expect(limiter.observe('order', 429, null)).toBe(1_000);
  });

  it('never lets a caller send during a 429 pause, however many are waiting', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    limiter.observe('ticker', 429, null);
    let sent = 0;
    const waiting = Array.from({ length: 20 }, () =>
      limiter.acquire('ticker').then((t) => {
        sent++;
        limiter.observe('ticker', 200, header('ticker', 9), undefined, t);
      }),
    );
    await run(clock, 999);
    expect(sent).toBe(0);
    await run(clock, 3_000);
    await Promise.all(waiting);
    expect(sent).toBe(20);
  });

  it('stops every group on a 418 with a fatal error until the ban passes, then probes again', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock, defaultBanMs: 60_000 });
    const pending = limiter.acquire('default').then((t) => limiter.acquire('default').then(() => t));
    await settle();
    expect(limiter.observe('candle', 418, null, "I'm a teapot")).toBe(60_000);
    expect(limiter.isBanned()).toBe(true);
    await settle();
    // The call queued behind the probe is refused too: nothing more is sent during a ban.
    const queued = await pending.catch((e: unknown) => e);
    expect(queued).toMatchObject({ code: 'rate_limit_banned' });
    const error = await limiter.acquire('default').catch((e: unknown) => e);
    expect(isTradingError(error, 'fatal')).toBe(true);
    expect(error).toMatchObject({ code: 'rate_limit_banned', status: 418, retryAfterMs: 60_000 });
    await clock.advance(59_999);
    await expect(limiter.acquire('order')).rejects.toThrow(/banned/);
    await clock.advance(1);
    await expect(limiter.acquire('order')).resolves.toMatchObject({ group: 'order' });
  });

  it('uses the ban length the 418 body states', () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    expect(limiter.observe('order', 418, null, 'blocked for 90 seconds')).toBe(90_000);
    expect(limiter.snapshot().bannedUntil).toBe(90_000);
  });

  it('allows one cancel-all per two seconds (plus the guard)', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    const first = await limiter.acquire('order-cancel-all');
    limiter.observe('order-cancel-all', 200, header('order-cancel-all', 0), undefined, first);
    let done = false;
    const next = limiter.acquire('order-cancel-all').then(() => {
      done = true;
    });
    await run(clock, 2_099);
    expect(done).toBe(false);
    await run(clock, 1);
    await next;
    expect(done).toBe(true);
  });

  it('spaces WebSocket connection attempts 250 ms apart without waiting for any header', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    const times: number[] = [];
    const all = Array.from({ length: 4 }, () =>
      limiter.acquire('websocket-connect').then(() => times.push(clock.now())),
    );
    await run(clock, 800);
    await Promise.all(all);
    expect(times).toEqual([0, 250, 500, 750]);
  });

  it('serves callers first come, first served, and aborts a waiting caller through its signal', async () => {
    const clock = new ManualClock(0);
    const limiter = new UpbitRateLimiter({ clock });
    limiter.observe('order', 429, null);
    const order: string[] = [];
    const controller = new AbortController();
    const a = limiter.acquire('order').then((t) => {
      order.push('a');
      return t;
    });
    const b = limiter.acquire('order', controller.signal).then(
      () => order.push('b'),
      (e: Error) => order.push(`b:${e.message}`),
    );
    const c = limiter.acquire('order').then((t) => {
      order.push('c');
      return t;
    });
    controller.abort(new Error('shutdown'));
    await b;
    await run(clock, 1_000);
    const ticket = await a;
    expect(order).toEqual(['b:shutdown', 'a']);
    // a's call got no answer (timeout): c, waiting behind the probe, may go.
    limiter.abandon(ticket);
    await settle();
    await c;
    expect(order).toEqual(['b:shutdown', 'a', 'c']);
  });
});
