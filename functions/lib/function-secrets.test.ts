import { type FakeSsmServer, startFakeSsm } from '../../shared/testing/fake-ssm-server';
import { closeSecretClients, functionSecrets } from './function-secrets';

describe('functionSecrets', () => {
  let ssm: FakeSsmServer;
  beforeAll(async () => {
    ssm = await startFakeSsm({
      '/qts/test/QTS_API_TOKEN': 'api-token-1',
      '/qts/test/UPBIT_SECRET_KEY': 'never',
    });
  });
  afterAll(async () => {
    closeSecretClients();
    await ssm.close();
  });
  const env = () => ({
    QTS_SSM_PREFIX: '/qts/test',
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });

  it('reads the function secrets under QTS_SSM_PREFIX over the real SDK', async () => {
    const secrets = functionSecrets(env());
    expect((await secrets.get('QTS_API_TOKEN'))?.reveal()).toBe('api-token-1');
    expect(await secrets.get('TELEGRAM_BOT_TOKEN')).toBeUndefined();
  });

  it('refuses Upbit keys without asking SSM, and needs the prefix', async () => {
    const before = ssm.calls;
    await expect(functionSecrets(env()).get('UPBIT_SECRET_KEY')).rejects.toMatchObject({
      code: 'secret_forbidden',
    });
    expect(ssm.calls).toBe(before);
    expect(() => functionSecrets({})).toThrow(/QTS_SSM_PREFIX is not set/);
  });
});
