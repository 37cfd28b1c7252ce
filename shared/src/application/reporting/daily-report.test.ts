import { ManualClock } from '../../adapters/memory/manual-clock';
import { MemoryEquityHistoryStore } from '../../adapters/memory/memory-equity-history-store';
import { MemoryFifoQueue } from '../../adapters/memory/memory-fifo-queue';
import { MemoryReportStore } from '../../adapters/memory/memory-report-store';
import { MemoryStateStore } from '../../adapters/memory/memory-state-store';
import { QueueAlertNotifier } from '../../adapters/sqs/queue-alert-notifier';
import type { Market } from '../../domain/market/market-id';
import { Decimal } from '../../domain/money/decimal';
import { krw, price, volume } from '../../domain/money/quantities';
import { type DecisionId, orderIdentifier } from '../../domain/orders/identifiers';
import { DEFAULT_RISK_LIMITS } from '../../domain/risk/risk-limits';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Fill } from '../../domain/trading/fill';
import type { Alert } from '../../ports/notifier';
import { recordFill } from '../risk/record-fill';
import { type DailyReportInput, generateDailyReport } from './daily-report';
import { formatKrw } from './report-text';

const DAY = Date.parse('2026-11-25T00:00:00+09:00') as EpochMs;
const FEE = new Decimal('0.0005');

function fill(fillId: string, side: 'bid' | 'ask', p: string, at: number): Fill {
  return {
    fillId,
    identifier: orderIdentifier(`d-${fillId}` as DecisionId),
    market: 'KRW-BTC' as Market,
    strategy: 'mean_reversion',
    side,
    price: price(p),
    volume: volume('0.01'),
    fee: krw(new Decimal(p).times('0.01').times(FEE)),
    isMaker: true,
    at: at as EpochMs,
  };
}

async function world() {
  const clock = new ManualClock(Date.parse('2026-11-26T09:00:00+09:00'));
  const store = new MemoryStateStore();
  const equity = new MemoryEquityHistoryStore();
  const reports = new MemoryReportStore();
  const alertQueue = new MemoryFifoQueue({ clock });
  const notifier = new QueueAlertNotifier(alertQueue);
  const deps = { journal: store, equity, reports, notifier, clock };
  const input: DailyReportInput = {
    dailyGoalPct: 2,
    strategyCapital: krw('2000000'),
    sellFeeRate: FEE,
    limits: DEFAULT_RISK_LIMITS,
  };
  const point = (at: number, e: string) =>
    equity.putPoint({ at: at as EpochMs, equity: krw(e), cash: krw(e), holdings: krw('0'), unpriced: [] });
  await point(DAY - MS.hour, '10000000');
  await point(DAY + 2 * MS.hour, '9900000');
  await point(DAY + 20 * MS.hour, '10080000');
  await recordFill(store, fill('b', 'bid', '100000000', DAY + MS.hour), krw('10000000'));
  await recordFill(store, fill('s', 'ask', '101000000', DAY + 3 * MS.hour), krw('10000000'));
  const queued = async (): Promise<Alert[]> => {
    const out: Alert[] = [];
    for (const m of await alertQueue.receive({ maxMessages: 10, waitTimeMs: 0 })) {
      out.push(JSON.parse(m.body) as Alert);
      await alertQueue.ack(m);
    }
    return out;
  };
  return { clock, store, reports, deps, input, queued, alertQueue };
}

describe('generateDailyReport', () => {
  it('reports yesterday (KST) by default: PnL, trades, goal, risk usage, in Korean and English', async () => {
    const w = await world();
    const r = await generateDailyReport(w.deps, w.input);
    expect(r).toMatchObject({ date: '2026-11-25', outcome: 'created' });
    const body = r.report.body as {
      text: { ko: string; en: string };
      day: { total: Record<string, unknown> };
    };
    expect(body.day.total.realizedPnl).toBe('8995');
    expect(body.day.total.trades).toBe(1);
    expect(body.text.ko).toContain('📊 일일 리포트 2026-11-25 (KST)');
    expect(body.text.ko).toContain('손익: +80,000원 (+0.80%) · 목표 2% 미달 (진행 40%)');
    expect(body.text.ko).toContain('평균회귀: +8,995원, 1건, 승률 100.0%');
    expect(body.text.en).toContain('Trades 1 · win rate 100.0% · avg +8,995 KRW');
    // Worst point 9,900,000 is 1 % below the day's 10,000,000 start: 20 % of the 5 % daily limit.
    expect(body.text.en).toContain('daily loss limit used up to 20%');
    const [alert, ...rest] = await w.queued();
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ severity: 'info', key: 'report:daily:2026-11-25' });
    expect(alert?.text.ko).toBe(body.text.ko);
  });

  it('stores the day once and sends it once when the run is retried', async () => {
    const w = await world();
    const first = await generateDailyReport(w.deps, w.input);
    w.clock.set(w.clock.now() + MS.minute);
    const retry = await generateDailyReport(w.deps, w.input);
    expect(retry.outcome).toBe('exists');
    expect(retry.report).toEqual(first.report);
    expect(retry.alert).toEqual(first.alert);
    expect(await w.queued()).toHaveLength(1);
  });

  it('re-sends the stored report when the first run died after storing it', async () => {
    const w = await world();
    const broken = { ...w.deps, notifier: { notify: async () => Promise.reject(new Error('queue down')) } };
    await expect(generateDailyReport(broken, w.input)).rejects.toThrow('queue down');
    expect(await w.reports.getReport('2026-11-25')).toBeDefined();
    const again = await generateDailyReport(w.deps, w.input);
    expect(again.outcome).toBe('exists');
    expect((await w.queued()).map((a) => a.key)).toEqual(['report:daily:2026-11-25']);
  });

  it('refuses a day that is not over and a malformed date', async () => {
    const w = await world();
    await expect(generateDailyReport(w.deps, { ...w.input, date: '2026-11-26' })).rejects.toMatchObject({
      code: 'day_not_over',
    });
    await expect(generateDailyReport(w.deps, { ...w.input, date: '2026-13-01' })).rejects.toMatchObject({
      kind: 'rejected',
      code: 'invalid_date',
    });
  });

  it('says so when the day has no equity history', async () => {
    const w = await world();
    const r = await generateDailyReport(w.deps, { ...w.input, date: '2026-11-20' });
    const text = (r.report.body as { text: { ko: string; en: string } }).text;
    expect(text.en).toContain('No equity recorded: return unknown.');
    expect(text.ko).toContain('자산 기록이 없어');
  });
});

describe('formatKrw', () => {
  it('groups thousands, rounds to the won and signs on request', () => {
    expect(formatKrw(new Decimal('1234567.5'))).toBe('1,234,568');
    expect(formatKrw(new Decimal('-1234.4'), true)).toBe('-1,234');
    expect(formatKrw(new Decimal('999'), true)).toBe('+999');
    expect(formatKrw(new Decimal('-0.2'), true)).toBe('0');
  });
});
