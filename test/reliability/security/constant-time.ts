import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenAuthenticator } from '../../../shared/src/application/emergency/operator-auth';
import { Secret } from '../../../shared/src/domain/security/secret';

const ROOT = join(__dirname, '..', '..', '..');

/** Files that check a presented secret; none may compare it with `===`. */
const TOKEN_CHECKERS = [
  'shared/src/application/api/api-auth.ts',
  'shared/src/application/emergency/operator-auth.ts',
  'shared/src/application/emergency/release-emergency.ts',
];

/** A string stand-in that counts how many of its characters the comparison reads. */
function counting(text: string, reads: { n: number }): string {
  return {
    length: text.length,
    charCodeAt(i: number) {
      reads.n += 1;
      return text.charCodeAt(i);
    },
  } as unknown as string;
}

/** What the structural check of the token comparison found. */
export interface ConstantTimeCheck {
  /** Positions of the first wrong character probed (every position of the token, equal included). */
  readonly probes: number;
  /** Probes whose number of characters read differed from the others (an early exit). */
  readonly timingDependent: number;
  /** `===`/`!==` comparisons of a presented or expected token in the token checkers. */
  readonly directComparisons: number;
  /** The API's token check does not go through the constant-time authenticator. */
  readonly apiBypassesAuthenticator: boolean;
  readonly problems: readonly string[];
}

/**
 * Proves the API token comparison is constant-time by construction, not by timing: the
 * authenticator the API uses (`tokenAuthenticator`, via `ApiTokenCheck`) must read the same number of
 * characters whether the first difference is at the start, in the middle, at the end or nowhere, and
 * whatever the presented length; and no token checker compares a secret with `===`.
 */
export async function constantTimeCheck(token: string): Promise<ConstantTimeCheck> {
  const authenticate = tokenAuthenticator([{ actor: 'api', token: new Secret(token), channels: ['api'] }]);
  const problems: string[] = [];
  const counts = new Map<string, number>();
  const candidates: string[] = [token];
  for (let i = 0; i < token.length; i++)
    candidates.push(`${token.slice(0, i)}${token[i] === 'x' ? 'y' : 'x'}${token.slice(i + 1)}`);
  candidates.push(token.slice(0, 1), `${token}tail`, '');
  for (const c of candidates) {
    const reads = { n: 0 };
    await authenticate({ channel: 'api', token: new Secret(counting(c, reads)) });
    counts.set(c, reads.n);
  }
  const sameLength = candidates.filter((c) => c.length === token.length);
  const expected = counts.get(token) ?? 0;
  let timingDependent = sameLength.filter((c) => counts.get(c) !== expected).length;
  // Longer or shorter tokens: every position of the longer string is read.
  for (const c of candidates.filter((x) => x.length !== token.length && x !== ''))
    if (counts.get(c) !== Math.max(c.length, token.length)) timingDependent += 1;
  if (timingDependent > 0) problems.push(`reads per probe: ${[...counts.values()].join(',')}`);
  let directComparisons = 0;
  for (const file of TOKEN_CHECKERS) {
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^\s*(\/\/|\*)/.test(line)) return;
        if (/\b(expected|presented|token)\b\s*[!=]==\s*(?!''|undefined\b|null\b)[\w.(]/.test(line)) {
          directComparisons += 1;
          problems.push(`${file}:${i + 1}: ${line.trim()}`);
        }
      });
  }
  const auth = readFileSync(join(ROOT, 'shared/src/application/api/api-auth.ts'), 'utf8');
  const apiBypassesAuthenticator = !/tokenAuthenticator\(/.test(auth);
  if (apiBypassesAuthenticator) problems.push('ApiTokenCheck does not use tokenAuthenticator');
  return {
    probes: candidates.length,
    timingDependent,
    directComparisons,
    apiBypassesAuthenticator,
    problems,
  };
}
