import { T0 } from './memory-world';

/*
 * Values for the hostile-message audit (test/executor/hostile-messages.audit.property.test.ts): the
 * fields of a decision envelope a mutation overwrites, and what it writes there.
 */

/** Paths of the envelope a mutation may overwrite (dots; `*` = the first level of the quotes). */
export const PATHS = [
  'v',
  'type',
  'sentAt',
  'decision',
  'decision.id',
  'decision.market',
  'decision.createdAt',
  'decision.expiresAt',
  'decision.source',
  'decision.strategy',
  'decision.intent',
  'decision.intent.kind',
  'decision.intent.side',
  'decision.intent.notional',
  'decision.intent.urgency',
  'decision.intent.limitPrice',
  'decision.intent.takeProfitPct',
  'decision.signals',
] as const;

export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  '',
  'NaN',
  'Infinity',
  '-1',
  '-100000',
  '0',
  '0.000000001',
  '1e30',
  '1E+30',
  '999999999999999999999999999999999999',
  '100000.123456789012345678901234567890',
  '   100000',
  '0x10',
  Number.NaN,
  Number.POSITIVE_INFINITY,
  1e308,
  -1,
  0,
  T0 - 3_600_000,
  T0 + 86_400_000 * 365,
  'KRW-DOGE',
  'KRW-btc',
  'BTC-KRW',
  'KRW-BTC\u0000',
  'operator',
  'flatten',
  'hold',
  'quotes',
  'ask',
  { kind: 'quotes', levels: [{ side: 'bid', price: '-100', volume: '1' }] },
  { kind: 'quotes', levels: [{ side: 'bid', price: '99999500', volume: '0.001' }] },
  { kind: 'quotes', levels: [{ side: 'bid', price: '99999000', volume: '1000000' }] },
  { kind: 'quotes', levels: [{ side: 'bid', price: '99999000', volume: '-0.001' }] },
  { kind: 'directional', side: 'bid', notional: '1e30', urgency: 'aggressive' },
  { kind: 'directional', side: 'ask', notional: '1000000000000', urgency: 'aggressive' },
  { kind: 'directional', side: 'bid', notional: '4999', urgency: 'aggressive' },
  { kind: 'directional', side: 'bid', notional: '100000', urgency: 'aggressive', limitPrice: '1' },
  { kind: 'directional', side: 'bid', notional: '100000', urgency: 'aggressive', limitPrice: '1e30' },
  [],
  {},
  'x'.repeat(100_000),
];

export function withValue(
  body: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}
