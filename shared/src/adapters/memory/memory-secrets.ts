import { Secret } from '../../domain/security/secret';
import type { SecretName, SecretsProvider } from '../../ports/secrets';

/** Secrets from a plain map; the fake for tests. */
export class MemorySecrets implements SecretsProvider {
  private readonly values: Map<string, string>;

  constructor(values: Partial<Record<SecretName, string>> = {}) {
    this.values = new Map(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined));
  }

  async get(name: SecretName): Promise<Secret | undefined> {
    const value = this.values.get(name);
    return value === undefined || value === '' ? undefined : new Secret(value);
  }
}
