import { lambdaHandler } from '../../functions/lib/lambda-handler';
import { scheduledEvent } from '../../functions/lib/local-invoke';
import { reportFunction } from '../../functions/report/handler';
import { queryAll } from '../../shared/src/adapters/dynamodb/table-context';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import type { Market } from '../../shared/src/domain/market/market-id';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import { type DecisionId, orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import { kstDateKey, kstDayStart } from '../../shared/src/domain/time/kst-calendar';
import type { Fill } from '../../shared/src/domain/trading/fill';
import {
  EMULATOR_STARTUP_TIMEOUT_MS,
  waitForEmulators,
} from '../../shared/testing/emulators/emulator-endpoints';
import { functionWorld } from './support/function-world';

beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);

type World = Awaited<ReturnType<typeof functionWorld>>;
let w: World;
beforeEach(async () => {
  w = await functionWorld();
});
afterEach(() => w.close());

/** Yesterday (KST), when the 09:00 KST run reports. */
const yesterdayStart = (): EpochMs => kstDayStart((Date.now() - MS.day) as EpochMs);

function fill(id: string, side: 'bid' | 'ask', p: string, at: number): Fill {
  return {
    fillId: id,
    identifier: orderIdentifier(`d-${id}` as DecisionId),
    market: 'KRW-ETH' as Market,
    strategy: 'momentum_scalping',
    side,
    price: price(p),
    volume: volume('0.5'),
    fee: krw(new Decimal(p).times('0.5').times('0.0005')),
    isMaker: false,
    at: at as EpochMs,
  };
}

async function seedYesterday(): Promise<string> {
  const day = yesterdayStart();
  await w.mark(day - MS.hour, '10000000');
  await w.mark(day + 6 * MS.hour, '10050000');
  await w.mark(day + 23 * MS.hour, '10020000');
  await recordFill(w.store, fill('b1', 'bid', '5000000', day + MS.hour), krw('10000000'));
  await recordFill(w.store, fill('s1', 'ask', '5010000', day + 2 * MS.hour), krw('10000000'));
  return kstDateKey(day);
}

const invoke = (event: unknown, env = w.env) =>
  lambdaHandler(reportFunction, env)(event, w.context('report'));

describe('report function on DynamoDB Local + fauxqs', () => {
  it('stores yesterday once and sends it once when the scheduled invocation is retried', async () => {
    const date = await seedYesterday();
    const event = scheduledEvent(Date.now(), 'evt-report-1');
    const first = await invoke(event);
    expect(first).toEqual({ ok: true, date, outcome: 'created', alertKey: `report:daily:${date}` });
    const stored = await w.reports.getReport(date);
    const text = (stored?.body as { text?: { ko?: string } } | undefined)?.text?.ko ?? '';
    expect(text).toContain(`📊 일일 리포트 ${date} (KST)`);
    expect(text).toContain('손익: +20,000원 (+0.20%)');
    const alerts = await w.alerts();
    expect(alerts).toEqual([expect.objectContaining({ key: `report:daily:${date}`, severity: 'info' })]);
    expect(alerts[0]?.text.ko).toBe(text);
    // Lambda retries the same event: the idempotency record answers, nothing runs or is sent again.
    expect(await invoke(event)).toEqual(first);
    expect(await w.alerts()).toEqual([]);
    expect(await w.reports.getReport(date)).toEqual(stored);
    const records = await queryAll(
      { db: w.table.client, tableName: w.table.tableName },
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'IDEMPOTENCY#report' } },
    );
    expect(records).toEqual([expect.objectContaining({ status: 'COMPLETED', ttl: expect.any(Number) })]);
    // Another run for the same day (a second schedule, an operator): the stored report, re-sent
    // identically, which the alert queue deduplicates within its 5-minute window.
    expect(await invoke(scheduledEvent(Date.now(), 'evt-report-2'))).toMatchObject({ outcome: 'exists' });
    expect(await w.alerts()).toEqual([]);
  });

  it('sends the stored report once when the first run failed after storing it', async () => {
    const date = await seedYesterday();
    const event = scheduledEvent(Date.now(), 'evt-report-crash');
    const broken = { ...w.env, QTS_ALERT_QUEUE_URL: `${w.env.QTS_ALERT_QUEUE_URL}-missing.fifo` };
    await expect(invoke(event, broken)).rejects.toMatchObject({ kind: 'fatal' });
    expect(await w.reports.getReport(date)).toBeDefined();
    expect(await invoke(event)).toMatchObject({ ok: true, date, outcome: 'exists' });
    expect((await w.alerts()).map((a) => a.key)).toEqual([`report:daily:${date}`]);
  });

  it('reports a chosen day on demand and refuses a day that is not over', async () => {
    const date = await seedYesterday();
    expect(await invoke({ date, requestId: 'ops-1' })).toMatchObject({ ok: true, date, outcome: 'created' });
    const today = kstDateKey(Date.now() as EpochMs);
    expect(await invoke({ date: today })).toMatchObject({
      ok: false,
      error: { kind: 'rejected', code: 'day_not_over' },
    });
    expect(await invoke({ date: 'yesterday' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_event' },
    });
    expect((await w.status.getStatus('report'))?.summary).toBe(`${date} created`);
  });
});
