import fc from 'fast-check';

/** Values that break naive parsers: huge and odd numbers, control and surrogate characters, injection text, prototype keys. */
export const HOSTILE_SCALARS: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  'NaN',
  'Infinity',
  '-1',
  '1e1000000000',
  '0x1F',
  '9'.repeat(500),
  '0.000000000000000000000000000001',
  '__proto__',
  'constructor',
  'prototype',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, literally
  '${jndi:ldap://x}',
  '\u0000\u0001\u001f',
  '\ud800',
  '\u202e',
  '💥'.repeat(64),
  'KRW-BTC',
  'krw-btc',
  `KRW-${'A'.repeat(200)}`,
  'x'.repeat(5_000),
];

/** A deeply nested JSON text (parsers that recurse must refuse it, not overflow the stack). */
export function deepJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** One hostile JSON-able value: a known-bad scalar, a random one, or a random structure. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_SCALARS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constant({ __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } }),
  },
);

/**
 * A copy of `seed` with one field (chosen by `pick` among every nested field) replaced by
 * `replacement`, deleted, or given an extra sibling: the mutations that reach deep into a parser
 * because everything else about the input is valid.
 */
export function mutate(
  seed: unknown,
  pick: number,
  replacement: unknown,
  how: 'replace' | 'delete' | 'add',
): unknown {
  const copy = structuredClone(seed);
  const holders: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    for (const key of Object.keys(v)) {
      holders.push([v as Record<string, unknown>, Array.isArray(v) ? Number(key) : key]);
      walk((v as Record<string, unknown>)[key]);
    }
  };
  walk(copy);
  const target = holders[pick % Math.max(1, holders.length)];
  if (target === undefined) return replacement;
  const [holder, key] = target;
  if (how === 'delete') {
    if (Array.isArray(holder)) holder.splice(key as number, 1);
    else delete holder[key as string];
  } else if (how === 'add' && !Array.isArray(holder)) holder[`x${pick}`] = replacement;
  else (holder as Record<string | number, unknown>)[key] = replacement;
  return copy;
}

/** Arbitrary mutation of one of `seeds` (or the seed itself, a tenth of the time). */
export function mutatedFrom(seeds: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...seeds) },
    {
      weight: 9,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...seeds),
          fc.nat(),
          hostileValue,
          fc.constantFrom('replace', 'delete', 'add') as fc.Arbitrary<'replace' | 'delete' | 'add'>,
        )
        .map(([seed, pick, value, how]) => mutate(seed, pick, value, how)),
    },
  );
}

/** Text inputs: JSON of a value, broken JSON, random bytes, nesting bombs and oversized text. */
export function hostileText(values: fc.Arbitrary<unknown>, maxBytes: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: values.map((v) => JSON.stringify(v) ?? 'undefined') },
    { weight: 1, arbitrary: values.map((v) => (JSON.stringify(v) ?? '').slice(0, -1)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 100, max: Math.max(100, Math.floor(maxBytes / 2)) }).map(deepJson),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: maxBytes }).map((n) => `"${'a'.repeat(n)}"`) },
  );
}

/** Counts the calls of an object's write methods (anything not named get…/list…/receive…). */
export function countWrites<T extends object>(target: T, counter: { writes: number }): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const read = /^(get|list|receive|count|has|describe|read|find|load)/.test(prop);
      return (...args: unknown[]) => {
        if (!read) counter.writes += 1;
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    },
  });
}

/** The first line of an error, for notes. */
export function describeCrash(error: unknown): string {
  return error instanceof Error
    ? `${error.name}: ${error.message.slice(0, 160)}`
    : String(error).slice(0, 160);
}
