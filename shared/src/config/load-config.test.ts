import { inspect } from 'node:util';
import { ConfigError } from './config-error';
import { loadConfig, redactedConfig } from './load-config';

const files: Record<string, string> = {};
const readFile = (path: string): string => {
  const text = files[path];
  if (text !== undefined) return text;
  // The shipped defaults are read from disk: they are part of what is under test.
  return require('node:fs').readFileSync(path, 'utf8');
};

function load(env: Record<string, string> = {}) {
  return loadConfig({ env, readFile });
}

function problemsOf(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts in paper mode with the seed defaults and no secrets', () => {
    const c = load();
    expect(c.mode).toBe('paper');
    expect(c.markets).toEqual(['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-ADA', 'KRW-SOL']);
    expect(c.capital).toEqual({
      totalKrw: 10_000_000,
      perStrategyKrw: 2_000_000,
      perTradeKrw: 500_000,
      perMarketKrw: 3_000_000,
      spotOnly: true,
    });
    expect(c.lossLimits).toMatchObject({ dailyPct: 5, weeklyPct: 10, monthlyPct: 15, instantDropPct: 3 });
    expect(c.positions).toEqual({
      stopLossPct: 0.3,
      takeProfitPct: 0.5,
      maxConcurrent: 5,
      minSecondsBetweenTrades: 60,
    });
    expect(c.strategies.market_making.weight).toBe(0.3);
    expect(c.strategies.stat_arb.weight).toBe(0.2);
    expect(c.strategies.microstructure.weight).toBe(0.2);
    expect(c.strategies.momentum_scalping.weight).toBe(0.15);
    expect(c.strategies.mean_reversion.weight).toBe(0.15);
    expect(c.dailyGoalPct).toBe(2);
    expect(c.live.confirmed).toBe(false);
    expect(c.upbit.accessKey).toBeUndefined();
  });

  it('applies a user file, then environment variables, in that order', () => {
    files['/u.yaml'] = 'markets: [KRW-BTC]\ncapital:\n  totalKrw: 3000000\n';
    const c = load({
      QTS_CONFIG: '/u.yaml',
      QTS_CAPITAL__TOTAL_KRW: '4000000',
      QTS_STRATEGIES__STAT_ARB__PARAMS__ENTRY_Z: '2.5',
    });
    expect(c.markets).toEqual(['KRW-BTC']);
    expect(c.capital.totalKrw).toBe(4_000_000);
    expect(c.capital.perTradeKrw).toBe(500_000);
    expect(c.strategies.stat_arb.params.entryZ).toBe(2.5);
  });

  it('reads comma lists for arrays', () => {
    expect(load({ QTS_MARKETS: 'KRW-BTC, KRW-ETH' }).markets).toEqual(['KRW-BTC', 'KRW-ETH']);
  });

  it('names the key and the source of a wrong type', () => {
    const message = problemsOf({ QTS_CAPITAL__PER_TRADE_KRW: 'lots' });
    expect(message).toContain('capital.perTradeKrw');
    expect(message).toContain('environment variable QTS_CAPITAL__PER_TRADE_KRW');
  });

  it('refuses unknown keys in files and unknown QTS_ variables', () => {
    files['/typo.yaml'] = 'capital:\n  totalKRW: 1\n';
    expect(problemsOf({ QTS_CONFIG: '/typo.yaml' })).toMatch(/capital\.totalKRW: unknown key.*\/typo\.yaml/);
    expect(problemsOf({ QTS_CAPITOL__TOTAL_KRW: '1' })).toContain(
      'QTS_CAPITOL__TOTAL_KRW: unknown environment variable',
    );
  });

  it('refuses weights that do not sum to 1 and lists them', () => {
    const message = problemsOf({ QTS_STRATEGIES__MARKET_MAKING__WEIGHT: '0.25' });
    expect(message).toContain('strategies: strategy weights sum to 0.95');
    expect(message).toContain('market_making 0.25');
  });

  it('refuses an invalid market with a hint', () => {
    expect(problemsOf({ QTS_MARKETS: 'krw-btc' })).toContain(
      'markets.0: expected an upper-case KRW market code',
    );
  });

  it('refuses inconsistent capital limits', () => {
    expect(problemsOf({ QTS_CAPITAL__PER_TRADE_KRW: '3000000' })).toContain(
      'capital.perTradeKrw: must not exceed capital.perStrategyKrw',
    );
  });

  it('refuses live mode without keys and without the explicit confirmation', () => {
    const message = problemsOf({ QTS_MODE: 'live', QTS_EXCHANGE: 'upbit' });
    expect(message).toContain('upbit.accessKey: live mode needs an API key: set UPBIT_ACCESS_KEY');
    expect(message).toContain('upbit.secretKey');
    expect(message).toContain(
      'live.confirmed: live mode must be confirmed explicitly: set QTS_LIVE_CONFIRM=yes',
    );
  });

  it('refuses live mode with keys but no confirmation, and a confirmation other than "yes"', () => {
    const keys = {
      QTS_MODE: 'live',
      QTS_EXCHANGE: 'upbit',
      UPBIT_ACCESS_KEY: 'a'.repeat(40),
      UPBIT_SECRET_KEY: 's'.repeat(40),
    };
    expect(problemsOf(keys)).toContain('QTS_LIVE_CONFIRM=yes');
    expect(problemsOf({ ...keys, QTS_LIVE_CONFIRM: 'true' })).toContain(
      'QTS_LIVE_CONFIRM must be exactly "yes"',
    );
  });

  it('cannot be confirmed for live trading from a file', () => {
    files['/live.yaml'] = 'mode: live\nlive:\n  confirmed: true\n';
    expect(problemsOf({ QTS_CONFIG: '/live.yaml' })).toContain(
      'live trading cannot be confirmed from a file',
    );
  });

  it('starts live only with keys, the upbit exchange and QTS_LIVE_CONFIRM=yes', () => {
    const c = load({
      QTS_MODE: 'live',
      QTS_EXCHANGE: 'upbit',
      UPBIT_ACCESS_KEY: 'access-key-value',
      UPBIT_SECRET_KEY: 'secret-key-value',
      QTS_LIVE_CONFIRM: 'yes',
    });
    expect(c.mode).toBe('live');
    expect(c.upbit.secretKey?.reveal()).toBe('secret-key-value');
  });

  it('refuses secrets in files', () => {
    files['/secret.yaml'] = 'upbit:\n  secretKey: abc\n';
    expect(problemsOf({ QTS_CONFIG: '/secret.yaml' })).toContain(
      'upbit.secretKey: secrets are not read from files',
    );
  });

  it('prints secrets as *** everywhere', () => {
    const c = load({
      UPBIT_ACCESS_KEY: 'AKIAVISIBLE',
      UPBIT_SECRET_KEY: 'TOPSECRET',
      QTS_API_TOKEN: 'tok-123',
    });
    const printed = [
      JSON.stringify(redactedConfig(c)),
      inspect(c, { depth: 10 }),
      `${c.upbit.secretKey}`,
    ].join('\n');
    expect(printed).not.toContain('TOPSECRET');
    expect(printed).not.toContain('AKIAVISIBLE');
    expect(printed).not.toContain('tok-123');
    expect(printed).toContain('***');
  });

  // Found by the reliability campaign (config fuzzing): unknown YAML tags and directives were
  // accepted with a Node warning on stderr, the tagged value silently read as a plain string.
  it('refuses unknown YAML tags and directives in a file, without warnings on stderr', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      files['/tagged.yaml'] = 'capital:\n  totalKrw: !!js/function "x"\n';
      files['/version.yaml'] = '%YAML 9.9\n---\nmarkets: [KRW-BTC]\n';
      expect(problemsOf({ QTS_CONFIG: '/tagged.yaml' })).toContain(
        '(file): unsupported YAML: Unresolved tag',
      );
      expect(problemsOf({ QTS_CONFIG: '/version.yaml' })).toContain(
        '(file): unsupported YAML: Unsupported YAML version',
      );
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses an alias bomb as invalid YAML instead of expanding it', () => {
    files['/bomb.yaml'] = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((c, i) => {
        const p = String.fromCharCode(97 + i);
        return `${c}: &${c} [*${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}]`;
      }),
    ].join('\n');
    expect(problemsOf({ QTS_CONFIG: '/bomb.yaml' })).toContain('(file): not valid YAML');
  });

  it('quotes an empty or blank unknown key so the message shows what to remove', () => {
    files['/blank.yaml'] = "'': 1\ncapital:\n  ' ': 2\n";
    const message = problemsOf({ QTS_CONFIG: '/blank.yaml' });
    expect(message).toContain('  - "": unknown key');
    expect(message).toContain('  - capital." ": unknown key');
  });

  it('reports a missing QTS_CONFIG file by path', () => {
    expect(problemsOf({ QTS_CONFIG: '/nope.yaml' })).toContain('cannot read QTS_CONFIG file /nope.yaml');
  });
});
