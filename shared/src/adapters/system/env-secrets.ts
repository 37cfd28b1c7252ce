import { Secret } from '../../domain/security/secret';
import type { SecretName, SecretsProvider } from '../../ports/secrets';

/**
 * Secrets from environment variables (local runs and the executor VM's systemd EnvironmentFile).
 * The environment is passed in so the adapter never reads `process.env` behind the caller's back.
 */
export class EnvSecrets implements SecretsProvider {
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  async get(name: SecretName): Promise<Secret | undefined> {
    const value = this.env[name];
    return value === undefined || value === '' ? undefined : new Secret(value);
  }
}
