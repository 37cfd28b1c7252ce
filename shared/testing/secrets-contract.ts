import { inspect } from 'node:util';
import type { SecretsProvider } from '../src/ports/secrets';

/**
 * Behaviour every SecretsProvider must have. `make` receives the values to expose; real adapters
 * put them wherever they read from (an env map, a fake SSM endpoint).
 */
export function describeSecretsContract(
  name: string,
  make: (values: Record<string, string>) => Promise<SecretsProvider> | SecretsProvider,
): void {
  describe(`SecretsProvider contract: ${name}`, () => {
    it('returns a configured secret that only reveal() exposes', async () => {
      const provider = await make({ UPBIT_SECRET_KEY: 'super-secret-value' });
      const secret = await provider.get('UPBIT_SECRET_KEY');
      expect(secret?.reveal()).toBe('super-secret-value');
      expect(`${secret}`).toBe('***');
      expect(JSON.stringify({ secret })).toBe('{"secret":"***"}');
      expect(inspect(secret)).toBe('***');
    });

    it('returns undefined for a secret that is not configured', async () => {
      const provider = await make({});
      await expect(provider.get('TELEGRAM_BOT_TOKEN')).resolves.toBeUndefined();
    });
  });
}
