import { Secret } from '../../shared/src/domain/security/secret';
import { emfRecord, publishMetrics } from './emf-metrics';
import { correlationIdOf } from './event-sources';
import { defaultConfigPath, functionConfig } from './function-config';
import { requireEnv } from './function-env';
import { createPowertoolsLogger, LambdaLogger } from './lambda-logger';
import { scheduledEvent } from './local-invoke';

describe('LambdaLogger', () => {
  it('redacts secrets in fields and text like the JSON logger, on Powertools JSON lines', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const powertools = createPowertoolsLogger('risk', { POWERTOOLS_LOG_LEVEL: 'INFO' });
      const logger = new LambdaLogger(powertools).child({ decisionId: 'd-1' });
      logger.info('calling with Bearer abc.def.ghi', {
        token: 'plain-token',
        nested: { apiKey: 'k-123', ok: 1 },
        secret: new Secret('s3cr3t'),
        error: Object.assign(new Error('failed: Bearer xyz'), { code: 'E1' }),
      });
    } finally {
      spy.mockRestore();
    }
    const record = JSON.parse(lines.join('')) as Record<string, unknown>;
    expect(record).toMatchObject({
      level: 'INFO',
      service: 'qts',
      component: 'risk',
      decisionId: 'd-1',
      message: 'calling with Bearer ***',
      token: '***',
      nested: { apiKey: '***', ok: 1 },
      secret: '***',
      error: { name: 'Error', message: 'failed: Bearer ***', code: 'E1' },
    });
    expect(lines.join('')).not.toMatch(/plain-token|k-123|s3cr3t|abc\.def|xyz/);
  });
});

describe('correlationIdOf', () => {
  it('takes the event id, the first record, the API request id or the caller’s id', () => {
    expect(correlationIdOf(scheduledEvent(0, 'evt-1'), 'req')).toBe('evt-1');
    expect(correlationIdOf({ Records: [{ eventID: 'stream-1' }] }, 'req')).toBe('stream-1');
    expect(correlationIdOf({ Records: [{ messageId: 'm-1' }] }, 'req')).toBe('m-1');
    expect(correlationIdOf({ requestContext: { requestId: 'api-1' } }, 'req')).toBe('api-1');
    expect(correlationIdOf({ correlationId: 'c-1' }, 'req')).toBe('c-1');
    expect(correlationIdOf(null, 'req')).toBe('req');
  });
});

describe('EMF metrics', () => {
  it('writes one CloudWatch embedded-metric record per run, dimensioned by stage', () => {
    expect(
      JSON.parse(emfRecord('prod', [{ name: 'ExecutorHeartbeatAgeSeconds', value: 12, unit: 'Seconds' }], 5)),
    ).toEqual({
      _aws: {
        Timestamp: 5,
        CloudWatchMetrics: [
          {
            Namespace: 'QTS',
            Dimensions: [['Stage']],
            Metrics: [{ Name: 'ExecutorHeartbeatAgeSeconds', Unit: 'Seconds' }],
          },
        ],
      },
      Stage: 'prod',
      ExecutorHeartbeatAgeSeconds: 12,
    });
    const lines: string[] = [];
    publishMetrics(
      { POWERTOOLS_METRICS_DISABLED: 'true' },
      [{ name: 'X', value: 1, unit: 'Count' }],
      0,
      (l) => lines.push(l),
    );
    expect(lines).toEqual([]);
  });
});

describe('function config and environment', () => {
  it('finds config/default.yaml under the Lambda task root, or in the source tree', () => {
    const only = (path: string) => (p: string) => p === path;
    expect(defaultConfigPath({ LAMBDA_TASK_ROOT: '/var/task' }, only('/var/task/config/default.yaml'))).toBe(
      '/var/task/config/default.yaml',
    );
    // serverless-offline sets a task root that does not exist: the service directory's file is used.
    expect(defaultConfigPath({ LAMBDA_TASK_ROOT: '/var/task' })).toMatch(/config\/default\.yaml$/);
    expect(defaultConfigPath({ LAMBDA_TASK_ROOT: '/var/task' })).not.toBe('/var/task/config/default.yaml');
  });

  it('maps the config to limits and monitor settings, with QTS_* overrides from the function env', () => {
    const c = functionConfig({ QTS_MONITOR__REALERT_MINUTES: '5', QTS_STATE_TABLE: 't' });
    expect(c.monitor).toEqual({ heartbeatStaleMs: 60_000, equityStaleMs: 180_000, realertMs: 300_000 });
    expect(c.limits.loss.instantDrop.toNumber()).toBe(0.03);
    expect(c.strategyCapital.toFixed()).toBe('2000000');
    expect(() => functionConfig({ QTS_MONITOR__REALERT_MINUTES: '0' })).toThrow(/realertMinutes/);
  });

  it('never reads Upbit keys, even when a function environment has them', () => {
    const c = functionConfig({ UPBIT_ACCESS_KEY: 'ak', UPBIT_SECRET_KEY: 'sk', QTS_STATE_TABLE: 'x' });
    expect(c.config.upbit.accessKey).toBeUndefined();
    expect(c.config.upbit.secretKey).toBeUndefined();
  });

  it('fails loudly on missing wiring, naming the variable', () => {
    expect(() => requireEnv({}, 'QTS_STATE_TABLE', 'the state table')).toThrow(
      expect.objectContaining({
        kind: 'fatal',
        code: 'config_missing',
        message: expect.stringContaining('QTS_STATE_TABLE'),
      }),
    );
  });
});
