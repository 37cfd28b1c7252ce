import { Secret } from '../../domain/security/secret';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import { SecretName, type SecretsProvider } from '../../ports/secrets';
import { tokenAuthenticator } from '../emergency/operator-auth';
import type { HttpRequest } from './http-types';

/** The bearer token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(req: HttpRequest): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return match?.[1];
}

/** Tokens shorter than this are accepted but warned about: the API has no lock-out, length is the defence. */
const MIN_TOKEN_LENGTH = 24;

/** How long the configured token is kept in memory before the secrets port is asked again. */
const TOKEN_CACHE_MS = 60_000;

/**
 * Checks bearer tokens against `QTS_API_TOKEN` from the secrets port, in constant time (the
 * emergency use cases' token authenticator). A missing configured token authenticates nobody:
 * "no token configured" must never mean "no token needed".
 */
export class ApiTokenCheck {
  private cached: { readonly token: Secret | undefined; readonly until: number } | undefined;
  private warned = false;

  constructor(
    private readonly secrets: SecretsProvider,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly logger: Logger,
  ) {}

  /** The configured token (cached briefly), or undefined when none is configured. */
  async expected(): Promise<Secret | undefined> {
    const now = this.clock.now();
    if (this.cached !== undefined && this.cached.until > now) return this.cached.token;
    const token = await this.secrets.get(SecretName.apiToken);
    this.cached = { token, until: now + TOKEN_CACHE_MS };
    if (!this.warned && (token === undefined || token.reveal().length < MIN_TOKEN_LENGTH)) {
      this.warned = true;
      this.logger.warn(
        token === undefined
          ? 'QTS_API_TOKEN is not configured: every protected API route answers 401'
          : `QTS_API_TOKEN is shorter than ${MIN_TOKEN_LENGTH} characters: use a long random token (openssl rand -base64 32)`,
      );
    }
    return token;
  }

  /** True when the request carries the configured token. */
  async allows(req: HttpRequest): Promise<boolean> {
    const presented = bearerToken(req);
    if (presented === undefined) return false;
    const expected = await this.expected();
    if (expected === undefined) return false;
    const authenticate = tokenAuthenticator([{ actor: 'api', token: expected, channels: ['api'] }]);
    return (await authenticate({ channel: 'api', token: new Secret(presented) })) !== undefined;
  }
}
