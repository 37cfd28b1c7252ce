import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { autoReleaseLatch } from '../../shared/src/application/emergency/auto-release-latch';
import { closeAllPositions, emergencyStop } from '../../shared/src/application/emergency/close-all-positions';
import { releaseEmergency } from '../../shared/src/application/emergency/release-emergency';
import {
  FatalErrorMonitor,
  reportFatalExchangeError,
  reportInvariantFailure,
} from '../../shared/src/application/emergency/report-failure';
import { triggerEmergency } from '../../shared/src/application/emergency/trigger-emergency';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import { TradingError } from '../../shared/src/domain/errors/trading-error';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { ZERO } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../shared/src/domain/risk/risk-limits';
import { BTC, bookAround, ETH, fillOf } from '../../shared/src/domain/risk/testing/risk-builders';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { EmergencyLatch } from '../../shared/src/domain/trading/emergency';
import { credential, type Harness, harness, kst } from './risk-test-kit';

const T = kst('2026-11-25T10:00:00');
const BASE = { limits: DEFAULT_RISK_LIMITS, rules: KRW_MARKET_RULES } as const;

/** Books a 0.01 BTC buy at 100,000,000 through the journal, as the executor would. */
async function hold(h: Harness): Promise<void> {
  const fill = fillOf({ side: 'bid', price: '100000000', volume: '0.01', at: T });
  await recordFill(h.store, fill, krw('10000000'));
}

describe('triggerEmergency', () => {
  it('latches first, cancels every open order, alerts in Korean and English, and audits', async () => {
    const h = harness(T);
    h.venue.addOpen(BTC, 'bid');
    h.venue.addOpen(ETH, 'ask');
    const r = await triggerEmergency(h.deps, {
      ...BASE,
      trigger: 'instant_drop',
      reason: 'equity −3.2 % from day start',
      actor: 'system:loss-check',
    });
    expect(r.outcome).toBe('set');
    expect(r.latch).toMatchObject({ state: 'reducing', trigger: 'instant_drop', at: T });
    expect(h.venue.open.size).toBe(0);
    expect(r.cancelled).toHaveLength(2);
    expect(r.flatten).toEqual({ ran: false, why: 'not_requested' });
    expect(h.notifier.sent).toHaveLength(1);
    expect(h.notifier.sent[0]?.severity).toBe('critical');
    expect(h.notifier.sent[0]?.text.ko).toContain('긴급 정지');
    expect(h.notifier.sent[0]?.text.ko).toContain('순간 급락');
    expect(h.notifier.sent[0]?.text.en).toContain('instant drop');
    expect(h.notifier.sent[0]?.text.en).toContain('Cancelled 2 open order(s)');
    const audit = await h.store.listAudit({ limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(['emergency_trigger', 'emergency_latch']);
    expect((await h.store.getControl()).latch?.trigger).toBe('instant_drop');
  });

  it('keeps the first trigger, escalates reducing → halted, and never alerts twice for the same latch', async () => {
    const h = harness(T);
    await triggerEmergency(h.deps, { ...BASE, trigger: 'manual', reason: 'operator', actor: 'alice' });
    const again = await triggerEmergency(h.deps, {
      ...BASE,
      trigger: 'daily_loss',
      reason: 'x',
      actor: 'sys',
    });
    expect(again.outcome).toBe('unchanged');
    expect(again.latch.trigger).toBe('manual');
    const esc = await triggerEmergency(h.deps, {
      ...BASE,
      trigger: 'invariant',
      reason: 'oversold',
      actor: 'sys',
    });
    expect(esc.outcome).toBe('escalated');
    expect(esc.latch).toMatchObject({ state: 'halted', trigger: 'manual', reason: 'operator' });
    expect(h.notifier.sent.map((a) => a.text.en.split(' — ')[0])).toEqual([
      '[EMERGENCY STOP] manual emergency stop',
      '[EMERGENCY STOP ESCALATED] manual emergency stop',
    ]);
  });

  it('still latches and alerts when cancelling fails, and reports each failure', async () => {
    const h = harness(T);
    const a = h.venue.addOpen(BTC, 'bid');
    h.venue.addOpen(BTC, 'ask');
    h.venue.failCancel = (uuid) =>
      uuid === a ? new TradingError('retryable', 'timeout', { code: 'timeout' }) : undefined;
    const r = await triggerEmergency(h.deps, { ...BASE, trigger: 'manual', reason: 'test', actor: 'alice' });
    expect(r.cancelFailures).toEqual([{ uuid: a, error: 'timeout' }]);
    expect(r.cancelled).toHaveLength(1);
    expect(r.alerted).toBe(true);
    expect(h.notifier.sent[0]?.text.en).toContain('(1 failed)');
  });

  it('flattens held positions with marketable IOC sells inside the slippage guard when asked', async () => {
    const h = harness(T);
    await hold(h);
    const books = new Map([[BTC, bookAround(BTC, 100_000_000, 100_010_000, 1)]]);
    const r = await triggerEmergency(h.deps, {
      ...BASE,
      trigger: 'manual',
      reason: 'close all',
      actor: 'alice',
      flatten: true,
      books,
    });
    expect(r.flatten.ran).toBe(true);
    expect(h.venue.placed).toHaveLength(1);
    const sell = h.venue.placed[0];
    expect(sell).toMatchObject({ market: BTC, side: 'ask', ordType: 'limit', timeInForce: 'ioc' });
    // best bid 100,000,000 × (1 − 1 %) = 99,000,000, already on the 1,000 tick grid.
    expect(sell?.price?.toFixed()).toBe('99000000');
    expect(sell?.volume?.toFixed()).toBe('0.01');
    const stored = sell === undefined ? undefined : await h.store.getOrder(sell.identifier);
    expect(stored).toMatchObject({ state: 'submitted', uuid: expect.stringMatching(/^placed-/) });
    // Running it again in the same minute re-derives the same identifier: nothing is sent twice.
    await triggerEmergency(h.deps, {
      ...BASE,
      trigger: 'manual',
      reason: 'again',
      actor: 'alice',
      flatten: true,
      books,
    });
    expect(h.venue.placed).toHaveLength(1);
  });

  it('never flattens under a halted latch (a halted system trades nothing)', async () => {
    const h = harness(T);
    const r = await triggerEmergency(h.deps, {
      ...BASE,
      trigger: 'invariant',
      reason: 'fill for unknown order',
      actor: 'system:executor',
      flatten: true,
    });
    expect(r.latch.state).toBe('halted');
    expect(r.flatten).toEqual({ ran: false, why: 'halted' });
  });

  it('marks a refused flattening sell rejected and reports it', async () => {
    const h = harness(T);
    await hold(h);
    h.venue.failPlace = () =>
      new TradingError('rejected', 'insufficient', { code: 'insufficient_funds_ask' });
    const books = new Map([[BTC, bookAround(BTC, 100_000_000, 100_010_000, 1)]]);
    const r = await triggerEmergency(h.deps, {
      ...BASE,
      trigger: 'manual',
      reason: 'x',
      actor: 'a',
      flatten: true,
      books,
    });
    expect(r.flatten.ran && r.flatten.failures.length).toBe(1);
    const active = await h.store.listActiveOrders();
    expect(active).toEqual([]);
  });
});

describe('releaseEmergency', () => {
  it('clears only with valid credentials and a reason, recording who, when and why', async () => {
    const h = harness(T);
    await triggerEmergency(h.deps, { ...BASE, trigger: 'manual', reason: 'test', actor: 'alice' });
    h.clock.set(T + 60_000);
    expect(await releaseEmergency(h.deps, { credential: credential('wrong'), reason: 'ok' })).toEqual({
      ok: false,
      refusal: 'unauthenticated',
    });
    expect(await releaseEmergency(h.deps, { credential: credential(''), reason: 'ok' })).toEqual({
      ok: false,
      refusal: 'unauthenticated',
    });
    expect(await releaseEmergency(h.deps, { credential: credential(), reason: '  ' })).toEqual({
      ok: false,
      refusal: 'missing_reason',
    });
    expect((await h.store.getControl()).latch).toBeDefined();
    const ok = await releaseEmergency(h.deps, {
      credential: credential(),
      reason: 'feed fixed, checked balances',
    });
    expect(ok.ok).toBe(true);
    expect((await h.store.getControl()).latch).toBeUndefined();
    const [last] = await h.store.listAudit({ limit: 1 });
    expect(last).toMatchObject({
      at: T + 60_000,
      actor: 'alice',
      action: 'emergency_release',
      details: { reason: 'feed fixed, checked balances', releasedTrigger: 'manual' },
    });
    expect(h.notifier.sent.at(-1)?.text.ko).toContain('해제자: alice');
    expect(await releaseEmergency(h.deps, { credential: credential(), reason: 'again' })).toEqual({
      ok: false,
      refusal: 'not_latched',
    });
  });

  it('survives a restart of every process: a new harness on the same store still sees the latch', async () => {
    const first = harness(T);
    await triggerEmergency(first.deps, {
      ...BASE,
      trigger: 'exchange_fatal',
      reason: '401 ×3',
      actor: 'sys',
    });
    const restarted = harness((T + 3_600_000) as EpochMs, first.store);
    expect((await restarted.store.getControl()).latch).toMatchObject({
      state: 'halted',
      trigger: 'exchange_fatal',
    });
  });
});

describe('releases are conditional on the latch that was read', () => {
  const reducing: EmergencyLatch = {
    state: 'reducing',
    trigger: 'daily_loss',
    reason: 'daily loss −5 %',
    actor: 'system:loss-check',
    at: kst('2026-11-25T15:00:00'),
  };
  const healthy = {
    breaches: [],
    lossByPeriod: { day: ZERO, week: ZERO, month: ZERO },
    instantDrop: ZERO,
  } as const;

  it('refuses an operator release when a trigger escalates the latch between read and release', async () => {
    const store = new MemoryStateStore();
    const h = harness(T, store);
    await store.latchEmergency({ ...reducing, at: T });
    const release = store.releaseEmergency.bind(store);
    // The executor's invariant check fires right after the use case read the latch.
    store.releaseEmergency = async (r, expected) => {
      await store.latchEmergency({ ...reducing, state: 'halted', trigger: 'invariant', reason: 'x', at: T });
      return release(r, expected);
    };
    h.clock.set(T + 60_000);
    expect(await releaseEmergency(h.deps, { credential: credential(), reason: 'looked fine' })).toEqual({
      ok: false,
      refusal: 'latch_changed',
    });
    expect((await store.getControl()).latch).toMatchObject({ state: 'halted', trigger: 'daily_loss' });
    const [last] = await store.listAudit({ limit: 1 });
    expect(last).toMatchObject({
      action: 'emergency_release_refused',
      details: { refusal: 'latch_changed' },
    });
    expect(h.notifier.sent.some((n) => n.text.en.includes('RELEASED'))).toBe(false);
  });

  it('auto-releases the latch it judged, and never a latch escalated since', async () => {
    const h = harness(kst('2026-11-26T00:00:00'));
    await h.store.latchEmergency(reducing);
    await h.store.latchEmergency({ ...reducing, state: 'halted', trigger: 'manual', reason: 'operator' });
    const stale = await autoReleaseLatch(h.deps, reducing, healthy, DEFAULT_RISK_LIMITS.release);
    expect(stale).toMatchObject({ verdict: { release: true }, released: false });
    expect((await h.store.getControl()).latch?.state).toBe('halted');
    const current = (await h.store.getControl()).latch as EmergencyLatch;
    const fresh = await autoReleaseLatch(h.deps, current, healthy, DEFAULT_RISK_LIMITS.release);
    expect(fresh.released).toBe(true);
    expect((await h.store.getControl()).latch).toBeUndefined();
  });
});

describe('operator commands and failure reports', () => {
  it('emergency-stop and close-all-positions require authentication', async () => {
    const h = harness(T);
    expect(await emergencyStop(h.deps, { ...BASE, reason: 'x', credential: credential('bad') })).toEqual({
      ok: false,
      refusal: 'unauthenticated',
    });
    expect((await h.store.getControl()).latch).toBeUndefined();
    const r = await closeAllPositions(h.deps, { ...BASE, reason: 'weekend', credential: credential() });
    expect(r.ok && r.result.latch).toMatchObject({ trigger: 'manual', actor: 'alice', state: 'reducing' });
    expect(r.ok && r.result.flatten.ran).toBe(true);
  });

  it('trips exchange_fatal only after the threshold inside the window', async () => {
    const h = harness(T);
    const limits: RiskLimits = DEFAULT_RISK_LIMITS;
    const monitor = new FatalErrorMonitor(limits.emergency);
    const err = new TradingError('fatal', 'invalid access key', { code: 'invalid_access_key' });
    const input = { ...BASE, component: 'executor' };
    expect(await reportFatalExchangeError(h.deps, monitor, err, input)).toBeUndefined();
    await h.clock.advance(6 * 60_000); // first error leaves the 5-minute window
    expect(await reportFatalExchangeError(h.deps, monitor, err, input)).toBeUndefined();
    await h.clock.advance(60_000);
    expect(await reportFatalExchangeError(h.deps, monitor, err, input)).toBeUndefined();
    await h.clock.advance(60_000);
    const tripped = await reportFatalExchangeError(h.deps, monitor, err, input);
    expect(tripped?.latch).toMatchObject({
      trigger: 'exchange_fatal',
      state: 'halted',
      actor: 'system:executor',
    });
    expect(tripped?.latch.reason).toContain('invalid access key');
  });

  it('an invariant failure halts at once', async () => {
    const h = harness(T);
    const r = await reportInvariantFailure(h.deps, new Error('oversold'), { ...BASE, component: 'executor' });
    expect(r.latch).toMatchObject({ trigger: 'invariant', state: 'halted' });
  });
});
