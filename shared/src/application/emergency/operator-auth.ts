import type { Secret } from '../../domain/security/secret';

/** Where an operator command came from. */
export const OperatorChannel = { api: 'api', telegram: 'telegram', cli: 'cli' } as const;
/** One of {@link OperatorChannel}. */
export type OperatorChannel = (typeof OperatorChannel)[keyof typeof OperatorChannel];

/** What an operator presented with a command: the channel and its secret (API token, CLI key…). */
export interface OperatorCredential {
  readonly channel: OperatorChannel;
  readonly token: Secret;
}

/**
 * Resolves a credential to the operator's name, or undefined when it is not valid. Adapters decide
 * what a credential is per channel (API bearer token, Telegram chat id + bot secret, CLI key); the
 * release use case only accepts what this says is authentic.
 */
export type OperatorAuthenticator = (credential: OperatorCredential) => Promise<string | undefined>;

/** One configured operator. */
export interface OperatorAccount {
  readonly actor: string;
  readonly token: Secret;
  /** Channels this token is valid on; all when absent. */
  readonly channels?: readonly OperatorChannel[];
}

function constantTimeEqual(a: string, b: string): boolean {
  // Compare every position of the longer string so timing does not reveal the matching prefix.
  const n = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

/**
 * An authenticator over a fixed list of operator tokens (from the secrets store), compared in
 * constant time. Empty tokens never authenticate, so a missing secret cannot mean "anyone".
 */
export function tokenAuthenticator(accounts: readonly OperatorAccount[]): OperatorAuthenticator {
  return async (credential) => {
    const presented = credential.token.reveal();
    if (presented === '') return undefined;
    let match: string | undefined;
    for (const a of accounts) {
      const expected = a.token.reveal();
      const ok = expected !== '' && constantTimeEqual(presented, expected);
      const channelOk = a.channels === undefined || a.channels.includes(credential.channel);
      if (ok && channelOk && match === undefined) match = a.actor;
    }
    return match;
  };
}
