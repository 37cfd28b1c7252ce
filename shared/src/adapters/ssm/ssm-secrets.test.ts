import { SSMClient } from '@aws-sdk/client-ssm';
import { type FakeSsmServer, startFakeSsm } from '../../../testing/fake-ssm-server';
import { describeSecretsContract } from '../../../testing/secrets-contract';
import { ManualClock } from '../memory/manual-clock';
import { SsmSecrets } from './ssm-secrets';

const servers: FakeSsmServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function client(endpoint: string): SSMClient {
  return new SSMClient({
    endpoint,
    region: 'ap-northeast-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

describeSecretsContract('SsmSecrets over HTTP', async (values) => {
  const server = await startFakeSsm(
    Object.fromEntries(Object.entries(values).map(([k, v]) => [`/qts/test/${k}`, v])),
  );
  servers.push(server);
  return new SsmSecrets({ client: client(server.endpoint), prefix: '/qts/test', clock: new ManualClock() });
});

describe('SsmSecrets', () => {
  it('caches values for the TTL and asks again afterwards', async () => {
    const server = await startFakeSsm({ '/qts/p/UPBIT_ACCESS_KEY': 'v1' });
    servers.push(server);
    const clock = new ManualClock();
    const secrets = new SsmSecrets({
      client: client(server.endpoint),
      prefix: '/qts/p/',
      clock,
      cacheTtlMs: 1000,
    });
    expect((await secrets.get('UPBIT_ACCESS_KEY'))?.reveal()).toBe('v1');
    server.parameters.set('/qts/p/UPBIT_ACCESS_KEY', 'v2');
    expect((await secrets.get('UPBIT_ACCESS_KEY'))?.reveal()).toBe('v1');
    expect(server.calls).toBe(1);
    await clock.advance(1001);
    expect((await secrets.get('UPBIT_ACCESS_KEY'))?.reveal()).toBe('v2');
  });

  it('turns an unreachable SSM into a retryable error that names the parameter', async () => {
    const secrets = new SsmSecrets({
      client: client('http://127.0.0.1:9'),
      prefix: '/qts/x',
      clock: new ManualClock(),
    });
    await expect(secrets.get('TELEGRAM_BOT_TOKEN')).rejects.toMatchObject({
      kind: 'retryable',
      code: 'ssm_unavailable',
      message: expect.stringContaining('/qts/x/TELEGRAM_BOT_TOKEN'),
    });
  });
});
