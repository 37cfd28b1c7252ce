import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../../../shared/src/config/config-error';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../../shared/src/config/load-config';
import type { FuzzTally } from './api-fuzz';
import { describeCrash, HOSTILE_SCALARS, hostileValue, mutatedFrom } from './hostile';

const USER_FILE = '/fuzz/qts.yaml';

/** Every leaf path of the default config, as the `QTS_<SECTION>__<KEY>` variable that sets it. */
function envNames(tree: unknown, prefix: string[] = []): string[] {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree))
    return [`QTS_${prefix.map((p) => p.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()).join('__')}`];
  return Object.entries(tree).flatMap(([k, v]) => envNames(v, [...prefix, k]));
}

const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...'bcdefghij'
    .split('')
    .map(
      (c, i) =>
        `${c}: &${c} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
    ),
].join('\n');

/**
 * Fuzzes configuration loading with hostile user files (`QTS_CONFIG`: mutated copies of the shipped
 * defaults, random YAML, alias bombs, deep nesting, binary) and hostile `QTS_*` variables: every input
 * must give a configuration or a ConfigError whose problems each name a key; any other throw is a
 * crash. Loading writes nothing, so there is nothing to check on that side.
 */
export function fuzzConfig(runs: number, seed: number): FuzzTally {
  const defaultText = readFileSync(DEFAULT_CONFIG_PATH, 'utf8');
  const defaults = parse(defaultText) as unknown;
  const names = envNames(defaults);
  const yamlText = fc.oneof(
    {
      weight: 5,
      arbitrary: mutatedFrom([defaults, { capital: { totalKrw: 1 } }, { markets: ['KRW-BTC'] }]).map((v) =>
        stringify(v),
      ),
    },
    { weight: 1, arbitrary: hostileValue.map((v) => stringify(v)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        BOMB,
        `${'- '.repeat(2_000)}x`,
        `${'{a: '.repeat(500)}1${'}'.repeat(500)}`,
        '!!js/function "x"',
        '<<: *undefined',
        '%YAML 9.9\n---\nx: 1',
      ),
    },
  );
  const env = fc.dictionary(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...names) },
      { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `QTS_${s}`) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('QTS_LIVE_CONFIRM', 'QTS_MODE', 'QTS_MARKETS', 'QTS_EXCHANGE'),
      },
    ),
    fc.oneof(
      fc.constantFrom(...HOSTILE_SCALARS.map((v) => String(v))),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('live', 'yes', '[1,2]', '{a: 1}', '-5', '1e9'),
    ),
    { maxKeys: 4 },
  );
  const inputs = fc.sample(fc.record({ file: fc.option(yamlText, { nil: undefined, freq: 4 }), env }), {
    numRuns: runs,
    seed,
  });
  let crashes = 0;
  let rejected = 0;
  let unclear = 0;
  const examples: string[] = [];
  for (const input of inputs) {
    const vars: Record<string, string> = { ...input.env };
    if (input.file !== undefined) vars.QTS_CONFIG = USER_FILE;
    try {
      loadConfig({
        env: vars,
        readFile: (p) => (p === USER_FILE && input.file !== undefined ? input.file : defaultText),
      });
    } catch (error) {
      if (error instanceof ConfigError) {
        rejected += 1;
        if (error.problems.length === 0 || error.problems.some((p) => p.key.trim() === '')) {
          unclear += 1;
          if (examples.length < 8) examples.push(`problem without a key: ${error.message.slice(0, 120)}`);
        }
      } else {
        crashes += 1;
        if (examples.length < 8)
          examples.push(`${describeCrash(error)} for ${JSON.stringify(input).slice(0, 120)}`);
      }
    }
  }
  return { inputs: inputs.length, crashes, rejected, writesOnRejected: 0, unclear, examples };
}
