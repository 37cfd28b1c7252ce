import fc from 'fast-check';
import { parseMarket } from '../market/market-id';
import type { EpochMs } from '../time/epoch';
import {
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
