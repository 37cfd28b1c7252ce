import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Secret } from '../../../domain/security/secret';
import { bodyHashString, buildQuery, type JsonBody, type QueryParams } from './query-string';
import { queryHash, signUpbitJwt, UpbitAuthenticator } from './upbit-jwt';

interface Vector {
  name: string;
  method: string;
  alg: 'HS512' | 'HS256';
  access_key: string;
  secret_key: string;
  nonce: string;
  hashed_query_string: string | null;
  request_url_query: string | null;
  request_json_body: string | null;
  query_hash: string | null;
  jwt_payload_json: string;
  jwt: string;
  authorization_header: string;
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, '../../../../../test/fixtures/upbit/auth-test-vectors.json'), 'utf8'),
) as { vectors: Vector[] };

/** Rebuilds the parameter list a caller of the client would pass for a vector's URL query. */
function paramsFromQuery(query: string): QueryParams {
  const grouped: [string, string | string[]][] = [];
  for (const part of query.split('&')) {
    const [k = '', v = ''] = part.split('=');
    const key = decodeURIComponent(k);
    const value = decodeURIComponent(v);
    const last = grouped[grouped.length - 1];
    if (key.endsWith('[]') && last !== undefined && last[0] === key && Array.isArray(last[1]))
      last[1].push(value);
    else grouped.push([key, key.endsWith('[]') ? [value] : value]);
  }
  return grouped;
}

describe('Upbit JWT against the published test vectors', () => {
  it('has all 8 vectors', () => {
    expect(fixture.vectors).toHaveLength(8);
  });

  for (const v of fixture.vectors) {
    it(`reproduces "${v.name}" byte for byte`, () => {
      const credentials = { accessKey: v.access_key, secretKey: new Secret(v.secret_key) };
      let hashed: string | null = null;
      if (v.request_json_body !== null) {
        hashed = bodyHashString(JSON.parse(v.request_json_body) as JsonBody);
      } else if (v.request_url_query) {
        const built = buildQuery(paramsFromQuery(v.request_url_query));
        expect(built.encoded).toBe(v.request_url_query);
        hashed = built.hashed;
      }
      expect(hashed).toBe(v.hashed_query_string);
      if (hashed !== null) expect(queryHash(hashed)).toBe(v.query_hash);
      expect(signUpbitJwt(credentials, hashed, v.nonce, v.alg)).toBe(v.jwt);
      const auth = new UpbitAuthenticator(credentials, { nonce: () => v.nonce, algorithm: v.alg });
      expect(auth.authorization(hashed)).toBe(v.authorization_header);
    });
  }

  it('uses a fresh nonce for every token', () => {
    const auth = new UpbitAuthenticator({ accessKey: 'a', secretKey: new Secret('s') });
    const nonces = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const token = auth.authorization(null).slice(7);
      const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
        nonce: string;
      };
      expect(payload.nonce).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      nonces.add(payload.nonce);
    }
    expect(nonces.size).toBe(50);
  });

  it('never prints the secret', () => {
    const credentials = { accessKey: 'a', secretKey: new Secret('very-secret') };
    expect(JSON.stringify(credentials)).not.toContain('very-secret');
  });
});

describe('buildQuery', () => {
  it('skips undefined values, encodes for the URL and keeps the hash decoded and in order', () => {
    const q = buildQuery([
      ['market', 'KRW-BTC'],
      ['to', '2025-06-24T04:56:53Z'],
      ['skip', undefined],
      ['states', ['done', 'cancel']],
      ['count', 5],
    ]);
    expect(q.encoded).toBe(
      'market=KRW-BTC&to=2025-06-24T04%3A56%3A53Z&states[]=done&states[]=cancel&count=5',
    );
    expect(q.hashed).toBe('market=KRW-BTC&to=2025-06-24T04:56:53Z&states[]=done&states[]=cancel&count=5');
  });
});
