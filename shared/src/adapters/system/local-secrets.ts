import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Secret } from '../../domain/security/secret';
import { SecretName, type SecretsProvider } from '../../ports/secrets';
import { EnvSecrets } from './env-secrets';

/**
 * Where the local stack leaves the secrets other local processes must check against (only the API
 * token: never exchange keys), next to its emulator data in the git-ignored `.qts/`.
 */
export const LOCAL_SECRETS_PATH = resolve(__dirname, '../../../../.qts/local-secrets.json');

/** Environment variable that points the ops CLI (and tests) at another local secrets file. */
export const LOCAL_SECRETS_ENV = 'QTS_SECRETS_FILE';

/** A secrets file that others can read is refused: the same rule as ssh for private keys. */
export class InsecureSecretsFileError extends Error {
  override readonly name = 'InsecureSecretsFileError';
}

/**
 * Secrets from a JSON file `{ "QTS_API_TOKEN": "…" }` written by the local stack with mode 0600.
 * A missing file means "none configured" (undefined); a file readable by group or others is an
 * error that says how to fix it, and so is a file that is not such a JSON object.
 */
export class FileSecrets implements SecretsProvider {
  constructor(private readonly path: string) {}

  async get(name: SecretName): Promise<Secret | undefined> {
    let mode: number;
    try {
      mode = statSync(this.path).mode;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if ((mode & 0o077) !== 0)
      throw new InsecureSecretsFileError(
        `${this.path} is readable by other users (mode ${(mode & 0o777).toString(8)}): run \`chmod 600 ${this.path}\``,
      );
    let values: unknown;
    try {
      values = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
    } catch (error) {
      throw new Error(`${this.path} is not valid JSON: ${(error as Error).message}`);
    }
    if (values === null || typeof values !== 'object' || Array.isArray(values))
      throw new Error(`${this.path} must hold a JSON object of secret names to values`);
    const value = (values as Record<string, unknown>)[name];
    return typeof value === 'string' && value !== '' ? new Secret(value) : undefined;
  }
}

/** Writes a secrets file with mode 0600 (created private, then renamed into place). */
export function writeSecretsFile(path: string, values: Partial<Record<SecretName, Secret>>): void {
  mkdirSync(dirname(path), { recursive: true });
  const plain: Record<string, string> = {};
  for (const [name, secret] of Object.entries(values))
    if (secret !== undefined) plain[name] = secret.reveal();
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(plain, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** A fresh API token: 32 random bytes, URL-safe, fit for a bearer header. */
export function generateApiToken(): Secret {
  return new Secret(randomBytes(32).toString('base64url'));
}

/** The local stack's secrets and whether its API token was generated just now (print it once). */
export interface LocalStackSecrets {
  readonly secrets: SecretsProvider;
  readonly apiToken: Secret;
  readonly generated: boolean;
}

/**
 * The secrets port of the local stack: the environment (EnvSecrets), with `QTS_API_TOKEN` generated
 * when it is not set. The token in use is written to the local secrets file (0600) so the operator's
 * `npm run ops -- release` in another terminal checks against the very token the stack's API
 * accepts, without an SSM endpoint. Only the API token is written; Upbit and Telegram secrets stay
 * in the environment of the process that needs them.
 */
export function prepareLocalSecrets(
  env: Readonly<Record<string, string | undefined>>,
  path: string = env[LOCAL_SECRETS_ENV] ?? LOCAL_SECRETS_PATH,
): LocalStackSecrets {
  const given = env[SecretName.apiToken];
  const apiToken = given === undefined || given === '' ? generateApiToken() : new Secret(given);
  writeSecretsFile(path, { [SecretName.apiToken]: apiToken });
  const fromEnv = new EnvSecrets(env);
  return {
    apiToken,
    generated: given === undefined || given === '',
    secrets: {
      get: async (name) => (name === SecretName.apiToken ? apiToken : fromEnv.get(name)),
    },
  };
}
