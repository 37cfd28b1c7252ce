import { GetParameterCommand, ParameterNotFound, type SSMClient } from '@aws-sdk/client-ssm';
import { TradingError } from '../../domain/errors/trading-error';
import { Secret } from '../../domain/security/secret';
import type { Clock } from '../../ports/clock';
import type { SecretName, SecretsProvider } from '../../ports/secrets';

/** Options for {@link SsmSecrets}. */
export interface SsmSecretsOptions {
  readonly client: SSMClient;
  /** Parameter path prefix, e.g. `/qts/prod`; the parameter for UPBIT_SECRET_KEY is `/qts/prod/UPBIT_SECRET_KEY`. */
  readonly prefix: string;
  readonly clock: Clock;
  /** How long a value is reused before SSM is asked again (keys rotate rarely; Lambda cold starts are frequent). */
  readonly cacheTtlMs?: number;
}

/**
 * Secrets from SSM Parameter Store (SecureString, decrypted by KMS) for the cloud functions.
 * Values are cached per process for a short time so a burst of invocations does not hit SSM's
 * throughput limit. A missing parameter is `undefined`; any other failure is a retryable error.
 */
export class SsmSecrets implements SecretsProvider {
  private readonly cache = new Map<string, { value: Secret | undefined; until: number }>();

  constructor(private readonly options: SsmSecretsOptions) {}

  async get(name: SecretName): Promise<Secret | undefined> {
    const now = this.options.clock.now();
    const cached = this.cache.get(name);
    if (cached !== undefined && cached.until > now) return cached.value;
    const value = await this.fetch(name);
    this.cache.set(name, { value, until: now + (this.options.cacheTtlMs ?? 300_000) });
    return value;
  }

  private async fetch(name: SecretName): Promise<Secret | undefined> {
    const path = `${this.options.prefix.replace(/\/$/, '')}/${name}`;
    try {
      const out = await this.options.client.send(
        new GetParameterCommand({ Name: path, WithDecryption: true }),
      );
      const value = out.Parameter?.Value;
      return value === undefined || value === '' ? undefined : new Secret(value);
    } catch (error) {
      if (error instanceof ParameterNotFound || (error as { name?: string }).name === 'ParameterNotFound')
        return undefined;
      throw new TradingError('retryable', `cannot read SSM parameter ${path}: ${(error as Error).message}`, {
        code: 'ssm_unavailable',
        cause: error,
      });
    }
  }
}
