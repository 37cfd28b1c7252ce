import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { tokenAuthenticator } from '../../shared/src/application/emergency/operator-auth';
import { checkOutgoingOrders, evaluateDecision } from '../../shared/src/application/risk/evaluate-decision';
import { effectiveTradingState } from '../../shared/src/application/risk/load-risk-context';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { Decimal, ZERO } from '../../shared/src/domain/money/decimal';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import { orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import { accountEquity } from '../../shared/src/domain/risk/account-equity';
import type { ProposedOrder } from '../../shared/src/domain/risk/pre-trade-check';
import { DEFAULT_RISK_LIMITS, RiskLimitsError } from '../../shared/src/domain/risk/risk-limits';
import { type RiskSettings, riskLimitsFromSettings } from '../../shared/src/domain/risk/risk-settings';
import { BTC, did, fillOf, viewAt } from '../../shared/src/domain/risk/testing/risk-builders';
import { Secret } from '../../shared/src/domain/security/secret';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import { kst, pendingOrder } from './risk-test-kit';

const T = kst('2026-11-25T10:00:00');
const clock = { now: () => T };
const INPUTS = {
  limits: DEFAULT_RISK_LIMITS,
  rules: KRW_MARKET_RULES,
  market: viewAt(BTC, 100_000_000),
} as const;
const STATS = { trades: 50, winRate: 0.6, payoffRatio: 1.5 };

function buy(decision: string, p = '100000000', v = '0.004'): ProposedOrder {
  return {
    draft: { market: BTC, side: 'bid', ordType: 'limit', price: price(p), volume: volume(v) },
    strategy: 'momentum_scalping',
    decisionId: did(decision),
  };
}

function decision(notional: string): Decision {
  return {
    id: did('dec-1'),
    market: BTC,
    createdAt: T,
    expiresAt: (T + 60_000) as EpochMs,
    source: 'ensemble',
    strategy: 'momentum_scalping',
    intent: { kind: 'directional', side: 'bid', notional: krw(notional), urgency: 'passive' },
    signals: [],
  };
}

describe('checkOutgoingOrders (the executor gate, defence in depth)', () => {
  it('does not count an order stored as pending against itself, but counts every other order', async () => {
    const store = new MemoryStateStore();
    // 600,000 per market: one 400,000 order (400,200 locked with the fee) fits, two do not.
    const inputs = { ...INPUTS, limits: { ...DEFAULT_RISK_LIMITS, maxMarketExposure: krw('600000') } };
    const o = buy('a1');
    await store.createOrder(pendingOrder(o, T));
    const [self] = await checkOutgoingOrders(
      { store, clock },
      { ...inputs, orders: [{ ...o, identifier: orderIdentifier(o.decisionId) }] },
    );
    expect(self).toEqual({ ok: true, riskReducing: false });
    const [unnamed] = await checkOutgoingOrders({ store, clock }, { ...inputs, orders: [o] });
    expect(unnamed).toMatchObject({ ok: false, refusal: { code: 'market_limit' } });
    // Another decision in the same market within 60 s: the cooldown.
    const [other] = await checkOutgoingOrders(
      { store, clock },
      { ...INPUTS, orders: [buy('a2', '100000000', '0.001')] },
    );
    expect(other).toMatchObject({ ok: false, refusal: { code: 'cooldown' } });
  });

  it('refuses an order that breaks a hard limit even though a decision asked for it', async () => {
    const store = new MemoryStateStore();
    const [tooBig] = await checkOutgoingOrders(
      { store, clock },
      { ...INPUTS, orders: [buy('b1', '100000000', '0.006')] },
    );
    expect(tooBig).toMatchObject({ ok: false, refusal: { code: 'trade_limit' } });
    const [fat] = await checkOutgoingOrders(
      { store, clock },
      { ...INPUTS, orders: [buy('b2', '110000000', '0.001')] },
    );
    expect(fat).toMatchObject({ ok: false, refusal: { code: 'fat_finger_last_trade' } });
    const [oversell] = await checkOutgoingOrders(
      { store, clock },
      {
        ...INPUTS,
        orders: [{ ...buy('b3'), draft: { ...buy('b3').draft, side: 'ask' } }],
      },
    );
    expect(oversell).toMatchObject({ ok: false, refusal: { code: 'oversell' } });
  });

  it('checks a batch cumulatively: legs that together break the per-market limit are refused', async () => {
    const store = new MemoryStateStore();
    const limits = { ...DEFAULT_RISK_LIMITS, maxMarketExposure: krw('700000') };
    const r = await checkOutgoingOrders(
      { store, clock },
      { ...INPUTS, limits, orders: [buy('c1'), buy('c1', '100000000', '0.0035')] },
    );
    expect(r.map((x) => (x.ok ? 'ok' : x.refusal.code))).toEqual(['ok', 'market_limit']);
  });

  it('applies the operator switch and strategy switches as "no new risk", and the latch', async () => {
    const store = new MemoryStateStore();
    await store.setStrategyEnabled('momentum_scalping', false, 'alice', T);
    const [off] = await checkOutgoingOrders({ store, clock }, { ...INPUTS, orders: [buy('d1')] });
    expect(off).toMatchObject({ ok: false, refusal: { code: 'reducing_only' } });
    await store.setStrategyEnabled('momentum_scalping', true, 'alice', T);
    await store.setTradingEnabled(false, 'alice', T);
    const control = await store.getControl();
    expect(effectiveTradingState(control, 'momentum_scalping')).toBe('reducing');
    await store.latchEmergency({ state: 'halted', trigger: 'manual', reason: 'x', actor: 'alice', at: T });
    expect(effectiveTradingState(await store.getControl(), 'operator')).toBe('halted');
  });
});

describe('evaluateDecision', () => {
  it('sizes by Kelly within the hard limits on the stored state', async () => {
    const store = new MemoryStateStore();
    const r = await evaluateDecision(
      { store, clock },
      { ...INPUTS, decision: decision('800000'), equity: krw('10000000'), stats: STATS },
    );
    expect(r.ok && r.decision.intent.kind === 'directional' && r.decision.intent.notional.toFixed()).toBe(
      '500000',
    );
  });

  it('blocks buys as soon as the equity breaches a loss limit, before any latch is written', async () => {
    const store = new MemoryStateStore();
    await store.putLedgerEntry({
      item: {
        period: 'day',
        periodKey: '2026-11-25',
        startEquity: krw('10000000'),
        peakEquity: krw('10000000'),
        realizedPnl: krw('0'),
        fees: krw('0'),
        fills: 0,
        updatedAt: T,
        version: 0,
      },
      expectedVersion: 0,
    });
    const r = await evaluateDecision(
      { store, clock },
      { ...INPUTS, decision: decision('100000'), equity: krw('9690000'), stats: STATS },
    );
    expect(r).toMatchObject({ ok: false, refusal: { code: 'loss_limit' } });
    expect((await store.getControl()).latch).toBeUndefined();
  });

  it('refuses every buy once the latch is set, and lets a held sell through while reducing', async () => {
    const store = new MemoryStateStore();
    await recordFill(
      store,
      fillOf({ side: 'bid', price: '100000000', volume: '0.002', at: (T - 120_000) as EpochMs }),
      krw('10000000'),
    );
    await store.latchEmergency({ state: 'reducing', trigger: 'manual', reason: 'x', actor: 'alice', at: T });
    const refused = await evaluateDecision(
      { store, clock },
      { ...INPUTS, decision: decision('100000'), equity: krw('10000000'), stats: STATS },
    );
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'reducing_only' } });
    const sell: Decision = {
      ...decision('100000'),
      intent: { kind: 'directional', side: 'ask', notional: krw('100000'), urgency: 'passive' },
    };
    const ok = await evaluateDecision(
      { store, clock },
      { ...INPUTS, decision: sell, equity: krw('10000000'), stats: STATS },
    );
    expect(ok.ok).toBe(true);
  });
});

describe('recordFill', () => {
  it('is idempotent on fillId, even for a sell that closed the position', async () => {
    const store = new MemoryStateStore();
    const b = fillOf({ side: 'bid', price: '100000000', volume: '0.002', at: T });
    const s = fillOf({ side: 'ask', price: '101000000', volume: '0.002', at: (T + 1000) as EpochMs });
    expect((await recordFill(store, b, krw('10000000'))).outcome).toBe('applied');
    expect((await recordFill(store, s, krw('10000000'))).outcome).toBe('applied');
    expect(await recordFill(store, s, krw('10000000'))).toEqual({ outcome: 'duplicate' });
    const pos = await store.getPosition(BTC, 'momentum_scalping');
    // (101,000,000 − 100,000,000) × 0.002 − fees 100 − 101 = 1,799 KRW.
    expect(pos?.realizedPnl.toFixed()).toBe('1799');
    expect(pos?.volume.isZero()).toBe(true);
  });
});

describe('config mapping, equity and authentication', () => {
  const settings: RiskSettings = {
    capital: {
      totalKrw: 10_000_000,
      perStrategyKrw: 2_000_000,
      perTradeKrw: 500_000,
      perMarketKrw: 3_000_000,
    },
    lossLimits: {
      dailyPct: 5,
      weeklyPct: 10,
      monthlyPct: 15,
      instantDropPct: 3,
      instantDropReference: 'day_start',
      dailyAutoRelease: true,
      weeklyMonthlyAutoRelease: false,
      instantDropAutoRelease: false,
    },
    positions: { stopLossPct: 0.3, takeProfitPct: 0.5, maxConcurrent: 5, minSecondsBetweenTrades: 60 },
    guards: { maxPriceDeviationPct: 1, maxBookDepthFraction: 0.25, slippageBps: 20 },
    sizing: { kellyFraction: 0.25 },
    emergency: { flattenOnTrigger: false },
  };

  it('maps the seed config onto the issue’s limits', () => {
    const l = riskLimitsFromSettings(settings);
    expect(l.maxTotalExposure.toFixed()).toBe('10000000');
    expect(l.maxStrategyExposure.toFixed()).toBe('2000000');
    expect(l.maxTradeNotional.toFixed()).toBe('500000');
    expect(l.loss.daily.toFixed()).toBe('0.05');
    expect(l.loss.instantDrop.toFixed()).toBe('0.03');
    expect(l.stopLoss.toFixed()).toBe('0.003');
    expect(l.takeProfit.toFixed()).toBe('0.005');
    expect(l.minMsBetweenTrades).toBe(60_000);
    expect(l.fatFinger.maxDeviationFromLastTrade.toFixed()).toBe('0.01');
    expect(l.emergency.flattenSlippage.toFixed()).toBe('0.002');
    expect(l.release).toEqual({
      instantDropAutoRelease: false,
      dailyAutoRelease: true,
      weeklyAutoRelease: false,
      monthlyAutoRelease: false,
    });
    expect(() =>
      riskLimitsFromSettings({ ...settings, capital: { ...settings.capital, perTradeKrw: 3_000_000 } }),
    ).toThrow(RiskLimitsError);
  });

  it('values the account at the best bid after the sell fee and reports unpriced coins', () => {
    const e = accountEquity(
      [
        { currency: 'KRW', balance: new Decimal('1000000'), locked: new Decimal('500000') },
        { currency: 'BTC', balance: new Decimal('0.01'), locked: new Decimal('0.01') },
        { currency: 'XYZ', balance: new Decimal('5'), locked: ZERO },
      ],
      new Map([['BTC', price('100000000')]]),
      KRW_MARKET_RULES.takerFee,
    );
    // 0.02 × 100,000,000 × 0.9995 = 1,999,000.
    expect(e.equity.toFixed()).toBe('3499000');
    expect(e.unpriced).toEqual(['XYZ']);
  });

  it('authenticates operators by token in constant time; empty tokens never match', async () => {
    const auth = tokenAuthenticator([
      { actor: 'alice', token: new Secret('s3cret') },
      { actor: 'bot', token: new Secret('tg-token'), channels: ['telegram'] },
      { actor: 'nobody', token: new Secret('') },
    ]);
    expect(await auth({ channel: 'api', token: new Secret('s3cret') })).toBe('alice');
    expect(await auth({ channel: 'api', token: new Secret('s3cre') })).toBeUndefined();
    expect(await auth({ channel: 'api', token: new Secret('tg-token') })).toBeUndefined();
    expect(await auth({ channel: 'telegram', token: new Secret('tg-token') })).toBe('bot');
    expect(await auth({ channel: 'cli', token: new Secret('') })).toBeUndefined();
  });
});
