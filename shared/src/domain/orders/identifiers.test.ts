import fc from 'fast-check';
import { parseMarket } from '../market/market-id';
import type { EpochMs } from '../time/epoch';
import {
  decisionMinuteOf,
  IdentifierError,
  MAX_IDENTIFIER_LENGTH,
  makeDecisionId,
  orderIdentifier,
  parseDecisionId,
  parseOrderIdentifier,
} from './identifiers';

const minute = Date.parse('2026-11-25T14:01:00Z') as EpochMs;

describe('decision ids and order identifiers', () => {
  it('derives the same decision id for the same scope, market and minute', () => {
    const a = makeDecisionId('ens', parseMarket('KRW-BTC'), minute);
    expect(a).toBe('ens-BTC-20261125T1401-0');
    expect(makeDecisionId('ens', parseMarket('KRW-BTC'), minute)).toBe(a);
    expect(makeDecisionId('ens', parseMarket('KRW-ETH'), minute)).not.toBe(a);
    expect(makeDecisionId('ens', parseMarket('KRW-BTC'), minute, 1)).not.toBe(a);
  });

  it('derives identifiers deterministically and recovers the decision from them', () => {
    const id = parseDecisionId('ens-BTC-20261125T1401-0');
    expect(orderIdentifier(id, 3)).toBe('qts.ens-BTC-20261125T1401-0.3.0');
    expect(parseOrderIdentifier(orderIdentifier(id, 3, 1))).toEqual({ decisionId: id, leg: 3, attempt: 1 });
    expect(parseOrderIdentifier('someone-else')).toBeUndefined();
  });

  it('keeps every identifier within Upbit limit and distinct per (decision, leg, attempt) (property)', () => {
    const idChars = fc.constantFrom(...'ABCXYZabcxyz0189_:-'.split(''));
    fc.assert(
      fc.property(
        fc.array(idChars, { minLength: 1, maxLength: 48 }).map((c) => c.join('')),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        (raw, leg, attempt) => {
          const id = orderIdentifier(parseDecisionId(raw), leg, attempt);
          expect(id.length).toBeLessThanOrEqual(MAX_IDENTIFIER_LENGTH);
          expect(parseOrderIdentifier(id)).toEqual({ decisionId: raw, leg, attempt });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses decision ids that could break the identifier format', () => {
    expect(() => parseDecisionId('a.b')).toThrow(IdentifierError);
    expect(() => parseDecisionId('x'.repeat(49))).toThrow('1–48 characters');
    expect(() => orderIdentifier(parseDecisionId('ok'), 100)).toThrow('leg must be 0–99');
  });
});

describe('decision id time text', () => {
  it('formats every minute (and odd instants) exactly as the ISO text slices do', () => {
    const iso = (at: number) => {
      const t = new Date(at).toISOString();
      return `${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}T${t.slice(11, 13)}${t.slice(14, 16)}`;
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (at) => {
        expect(makeDecisionId('x', parseMarket('KRW-BTC'), at as EpochMs)).toBe(`x-BTC-${iso(at)}-0`);
      }),
      { numRuns: 5000 },
    );
    for (const at of [0, 59_999, 60_000, 86_399_999, 86_400_000, 1_767_225_599_999])
      expect(makeDecisionId('x', parseMarket('KRW-BTC'), at as EpochMs)).toBe(`x-BTC-${iso(at)}-0`);
  });
});

describe('decision ids made from a validated prefix', () => {
  it('gives the text the pattern accepts, and refuses what it refuses, repeated prefixes or not', () => {
    const chars = fc.constantFrom(...'ABCxyz019_:-.+ é'.split(''));
    // Valid scopes of every length around the 48-character limit too (prefix valid, text too long).
    const valid = fc.constantFrom(...'ABCxyz019_:-'.split(''));
    const scope = fc.oneof(
      fc.constantFrom('ens', 'mmq', 'sl'),
      fc.array(chars, { minLength: 0, maxLength: 30 }).map((c) => c.join('')),
      fc.array(valid, { minLength: 20, maxLength: 44 }).map((c) => c.join('')),
    );
    const market = fc.constantFrom('KRW-BTC', 'KRW-ETH', 'KRW-LONGNAMECOINXYZ123456');
    const at = fc.oneof(
      fc.integer({ min: 0, max: 253_402_300_799_999 }),
      fc.constantFrom(-60_000, 253_402_300_800_000, 1.5, Number.NaN),
    );
    const seq = fc.oneof(fc.nat({ max: 10_000 }), fc.constantFrom(-1, 0.5, 1e21, Number.MAX_SAFE_INTEGER));
    const exact = (sc: string, mk: string, t: number, sq: number): string => {
      let text: string;
      // The ISO text's slices (not makeDecisionId: its prefix would replace the one under test).
      try {
        const iso = new Date(t).toISOString();
        const time = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}`;
        text = `${sc}-${mk.slice(4)}-${time}-${sq}`;
      } catch {
        return 'throws';
      }
      return /^[A-Za-z0-9_:-]{1,48}$/.test(text) ? text : 'throws';
    };
    const made = (sc: string, mk: string, t: number, sq: number): string => {
      try {
        return makeDecisionId(sc, mk as ReturnType<typeof parseMarket>, t as EpochMs, sq);
      } catch {
        return 'throws';
      }
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(scope, market, at, seq), { minLength: 1, maxLength: 8 }), (calls) => {
        // The same prefix several times in a row (the fast path), then others.
        for (const [sc, mk, t, sq] of calls)
          for (const n of [sq, 0, sq, Number.MAX_SAFE_INTEGER, 7])
            expect(made(sc, mk, t, n)).toBe(exact(sc, mk, t, n));
      }),
      { numRuns: 2000 },
    );
  });

  it('decisionMinuteOf reads back the minute makeDecisionId stamped, and nothing from other ids', () => {
    const LAST = Date.UTC(9999, 11, 31, 23, 59);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: LAST + 59_999 }),
        fc.constantFrom('ens', 'mr', 'flat', 'recon', 'exit', 'a-b_c'),
        fc.nat({ max: 99 }),
        (at, scope, seq) => {
          const id = makeDecisionId(scope, parseMarket('KRW-BTC'), at as EpochMs, seq);
          expect(decisionMinuteOf(id)).toBe(at - (at % 60_000));
        },
      ),
      { numRuns: 2000 },
    );
    for (const text of [
      'd-sell',
      'adopt-6d5e3b2a1c4f4e8a9b7d0a1b2c3d4e5f',
      'ens-BTC-20261131T1200-0',
      'x-20261125T2460-0',
      'x-19691231T2359-0',
    ])
      expect(decisionMinuteOf(parseDecisionId(text))).toBeUndefined();
    expect(decisionMinuteOf(parseDecisionId('ops-BTC-20280229T0000-3'))).toBe(Date.UTC(2028, 1, 29));
  });
});
