import { fingerprint, fnv1a32 } from './fnv1a';

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('prints 8 hex digits, zero-padded', () => {
    expect(fingerprint('a')).toBe('e40c292c');
    for (const t of ['', 'x', 'market_making', '{"a":1}']) expect(fingerprint(t)).toMatch(/^[0-9a-f]{8}$/);
  });
});
