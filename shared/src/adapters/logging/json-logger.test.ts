import { Secret } from '../../domain/security/secret';
import { ManualClock } from '../memory/manual-clock';
import { MemoryLogger } from './json-logger';

describe('JsonLogger', () => {
  it('writes one JSON object per line with time, level, message and bound context', () => {
    const logger = new MemoryLogger(new ManualClock(Date.UTC(2026, 10, 25)), 'info');
    logger.child({ decisionId: 'ens-BTC-20261125T1401-0' }).info('order placed', { market: 'KRW-BTC' });
    logger.debug('hidden below the level');
    expect(logger.records()).toEqual([
      {
        time: '2026-11-25T00:00:00.000Z',
        level: 'info',
        msg: 'order placed',
        decisionId: 'ens-BTC-20261125T1401-0',
        market: 'KRW-BTC',
      },
    ]);
  });

  it('redacts secrets by type, by key name and inside free text', () => {
    const logger = new MemoryLogger(new ManualClock());
    const jwt = 'eyJhbGciOiJIUzUxMiJ9.eyJhY2Nlc3Nfa2V5IjoiQSJ9.c2lnbmF0dXJlc2ln';
    logger.error(`request failed with Authorization: Bearer ${jwt}`, {
      key: new Secret('s3cr3t-value'),
      headers: { Authorization: 'Bearer abc.def.ghi', 'x-trace': 'ok' },
      upbitSecretKey: 'plain-secret',
      apiToken: 'tok',
      nested: [{ accessKey: 'AK' }],
      error: new Error(`upstream said ${jwt}`),
    });
    const line = logger.lines.join('\n');
    for (const leaked of ['s3cr3t-value', 'abc.def.ghi', 'plain-secret', '"tok"', '"AK"', jwt])
      expect(line).not.toContain(leaked);
    expect(logger.records()[0]).toMatchObject({
      msg: 'request failed with Authorization: Bearer ***',
      key: '***',
      headers: { Authorization: '***', 'x-trace': 'ok' },
      error: { name: 'Error', message: 'upstream said ***' },
    });
  });
});
