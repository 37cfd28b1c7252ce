import { SSMClient } from '@aws-sdk/client-ssm';
import { awsClientSettings } from '../../shared/src/adapters/aws/aws-connection';
import { SsmSecrets } from '../../shared/src/adapters/ssm/ssm-secrets';
import { TradingError } from '../../shared/src/domain/errors/trading-error';
import type { Secret } from '../../shared/src/domain/security/secret';
import type { SecretName, SecretsProvider } from '../../shared/src/ports/secrets';
import { connectionFromEnv, systemClock } from './aws-deps';
import { type Env, FunctionEnv, requireEnv } from './function-env';

const clients = new Map<string, SSMClient>();

/**
 * The secrets of a function (the API token, the Telegram bot token and chat id) from SSM Parameter
 * Store under `QTS_SSM_PREFIX`, cached by the adapter for a few minutes. In its own module so only
 * the functions that need secrets bundle the SSM client. Upbit keys are refused outright: they live on
 * the executor's VM, and no function role could read them anyway.
 */
export function functionSecrets(env: Env): SecretsProvider {
  const prefix = requireEnv(env, FunctionEnv.ssmPrefix, 'the SSM path of the function secrets');
  const connection = connectionFromEnv(env, 'AWS_ENDPOINT_URL_SSM');
  const key = `${connection.endpoint ?? ''}|${connection.region ?? ''}`;
  let client = clients.get(key);
  if (client === undefined) {
    client = new SSMClient(awsClientSettings(connection, { requestTimeoutMs: 3_000 }));
    clients.set(key, client);
  }
  const ssm = new SsmSecrets({ client, prefix, clock: systemClock });
  return {
    get: (name: SecretName): Promise<Secret | undefined> =>
      name.startsWith('UPBIT_')
        ? Promise.reject(
            new TradingError('fatal', `${name}: the cloud functions never read Upbit keys`, {
              code: 'secret_forbidden',
            }),
          )
        : ssm.get(name),
  };
}

/** Closes the cached SSM clients (tests and local runs). */
export function closeSecretClients(): void {
  for (const c of clients.values()) c.destroy();
  clients.clear();
}
