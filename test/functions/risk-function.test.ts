import { lambdaHandler } from '../../functions/lib/lambda-handler';
import { scheduledEvent } from '../../functions/lib/local-invoke';
import { riskFunction } from '../../functions/risk/handler';
import {
  EMULATOR_STARTUP_TIMEOUT_MS,
  waitForEmulators,
} from '../../shared/testing/emulators/emulator-endpoints';
import { captureStdout, functionWorld } from './support/function-world';

beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);

type World = Awaited<ReturnType<typeof functionWorld>>;
let w: World;
beforeEach(async () => {
  w = await functionWorld();
});
afterEach(() => w.close());

const invoke = (event: unknown) => lambdaHandler(riskFunction, w.env)(event, w.context('risk'));

describe('risk function on DynamoDB Local + fauxqs', () => {
  it('latches on a -3 % equity drop, sends the control message and queues the alert', async () => {
    const now = Date.now();
    await w.heartbeat(now);
    await w.mark(now - 1000, '10000000');
    const first = (await invoke(scheduledEvent(now))) as { ok: boolean; breaches: string[] };
    expect(first).toMatchObject({ ok: true, breaches: [] });
    await w.heartbeat(Date.now());
    await w.mark(Date.now(), '9700000');
    const second = (await invoke(scheduledEvent(Date.now()))) as Record<string, unknown>;
    expect(second).toMatchObject({
      ok: true,
      breaches: ['instant_drop'],
      latch: { outcome: 'set', trigger: 'instant_drop', state: 'reducing', actor: 'system:loss-check' },
    });
    expect((await w.store.getControl()).latch).toMatchObject({ trigger: 'instant_drop', state: 'reducing' });
    const commands = await w.commands();
    expect(commands).toEqual([
      expect.objectContaining({ kind: 'emergency_stop', state: 'reducing', actor: 'system:risk-function' }),
    ]);
    const alerts = await w.alerts();
    expect(alerts).toEqual([
      expect.objectContaining({ key: 'emergency:instant_drop', severity: 'critical' }),
    ]);
    expect(alerts[0]?.text.ko).toContain('긴급 정지');
    // A retried or repeated run sends neither the command nor the alert again.
    await invoke(scheduledEvent(Date.now()));
    expect(await w.commands()).toEqual([]);
    expect((await w.alerts()).map((a) => a.key)).not.toContain('emergency:instant_drop');
  });

  it('alerts a stale executor heartbeat once, publishes its age as a metric and logs with a correlation id', async () => {
    const now = Date.now();
    await w.heartbeat(now - 5 * 60_000);
    const out = captureStdout();
    let response: unknown;
    try {
      const verbose = { ...w.env, POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' };
      response = await lambdaHandler(riskFunction, verbose)(
        scheduledEvent(now, 'evt-heartbeat-1'),
        w.context('risk'),
      );
    } finally {
      out.restore();
    }
    expect(response).toMatchObject({ ok: true, alerts: ['executor:heartbeat_lost'] });
    const [alert] = await w.alerts();
    expect(alert).toMatchObject({ key: 'executor:heartbeat_lost', severity: 'critical' });
    const lines = out.lines();
    const emf = lines.find((l) => l._aws !== undefined);
    expect(emf).toMatchObject({ Stage: 'test', ExecutorHeartbeatAgeSeconds: expect.any(Number) });
    expect(emf?.ExecutorHeartbeatAgeSeconds as number).toBeGreaterThanOrEqual(300);
    const log = lines.find((l) => l.message === 'risk check done');
    expect(log).toMatchObject({
      correlation_id: 'evt-heartbeat-1',
      component: 'risk',
      service: 'qts',
      level: 'INFO',
    });
    await invoke(scheduledEvent(Date.now()));
    expect(await w.alerts()).toEqual([]);
  });

  it('runs on a fills stream batch and refuses a malformed event without touching anything', async () => {
    await w.heartbeat(Date.now());
    const stream = { Records: [{ eventID: 'e1', eventName: 'INSERT', eventSource: 'aws:dynamodb' }] };
    expect(await invoke(stream)).toMatchObject({ ok: true });
    expect((await w.status.getStatus('risk'))?.details.cause).toBe('fills');
    const bad = await invoke({ Records: [{ eventSource: 'aws:sqs' }] });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'rejected', code: 'invalid_event' } });
  });

  it('fails the invocation (for the errors alarm and a retry) when the control queue is unreachable', async () => {
    const now = Date.now();
    await w.heartbeat(now);
    await w.mark(now - 1000, '10000000');
    await invoke(scheduledEvent(now));
    await w.mark(Date.now(), '9000000');
    const broken = { ...w.env, QTS_CONTROL_QUEUE_URL: `${w.env.QTS_CONTROL_QUEUE_URL}-missing.fifo` };
    await expect(
      lambdaHandler(riskFunction, broken)(scheduledEvent(Date.now()), w.context('risk')),
    ).rejects.toMatchObject({
      code: 'risk_check_incomplete',
    });
    expect((await w.store.getControl()).latch).toBeDefined();
    expect(await invoke(scheduledEvent(Date.now()))).toMatchObject({
      ok: true,
      commands: [expect.stringMatching(/^risk-emergency_stop-/)],
    });
  });
});
