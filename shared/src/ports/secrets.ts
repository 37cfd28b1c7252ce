import type { Secret } from '../domain/security/secret';

/** Names of the secrets the system uses; the SSM adapter maps them to parameter paths. */
export const SecretName = {
  upbitAccessKey: 'UPBIT_ACCESS_KEY',
  upbitSecretKey: 'UPBIT_SECRET_KEY',
  telegramBotToken: 'TELEGRAM_BOT_TOKEN',
  telegramChatId: 'TELEGRAM_CHAT_ID',
  apiToken: 'QTS_API_TOKEN',
} as const;
/** One of {@link SecretName}. */
export type SecretName = (typeof SecretName)[keyof typeof SecretName];

/**
 * Source of secrets: the environment locally, SSM Parameter Store in the cloud. Returns undefined
 * for a secret that is not configured so callers decide whether that is fatal (live mode) or fine (paper).
 */
export interface SecretsProvider {
  get(name: SecretName): Promise<Secret | undefined>;
}
