import { helpText, numberOption, parseCommandLine, UsageError } from './args';
import { displayWidth, formatNumber, renderTable } from './table';
import { timeframeNotes } from './timeframe-notes';

const SPEC = {
  usage: 'demo [options]',
  summary: 'Demo command.',
  options: [
    { name: 'days', type: 'string', value: 'N', defaultText: '30', description: 'Days.' },
    { name: 'json', type: 'boolean', description: 'JSON.' },
  ],
} as const;

describe('command-line parsing', () => {
  it('parses known options, adds --help and refuses unknown ones', () => {
    expect(parseCommandLine(['--days', '5', '--json'], SPEC).options).toMatchObject({
      days: '5',
      json: true,
    });
    expect(parseCommandLine(['-h'], SPEC).help).toBe(true);
    expect(() => parseCommandLine(['--dayz', '5'], SPEC)).toThrow(UsageError);
    expect(() => parseCommandLine(['stray'], SPEC)).toThrow(UsageError);
  });

  it('checks numbers and names the option and range in the error', () => {
    const { options } = parseCommandLine(['--days', 'x'], SPEC);
    expect(() => numberOption(options, 'days', 30, { min: 1 })).toThrow(
      '--days must be a number ≥ 1, got "x"',
    );
    expect(numberOption(parseCommandLine([], SPEC).options, 'days', 30)).toBe(30);
  });

  it('lists every option with its default in the help text', () => {
    const text = helpText(SPEC);
    expect(text).toContain('--days N');
    expect(text).toContain('(default: 30)');
    expect(text).toContain('-h, --help');
  });
});

describe('terminal tables', () => {
  it('aligns columns by display width, counting Hangul as two cells', () => {
    expect(displayWidth('수익률')).toBe(6);
    const out = renderTable(
      ['Name', 'Value'],
      [
        ['수익률', '1.00'],
        ['fees', '12.50'],
      ],
      ['left', 'right'],
    );
    expect(out.split('\n')).toEqual(['Name    Value', '------  -----', '수익률   1.00', 'fees    12.50']);
  });

  it('shows missing ratios as a dash', () => {
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(1234.5, 1)).toBe('1,234.5');
  });
});

describe('timeframe notes', () => {
  it('names only the selected strategies whose configured bar length differs from the run', () => {
    const configured = (n: string) => (n === 'mean_reversion' ? '1d' : '1m');
    expect(timeframeNotes(configured, ['stat_arb', 'mean_reversion'], '1d')).toEqual([
      'note: stat_arb parameters are configured for 1m bars; this run uses 1d bars, so every length in bars (lookbacks, windows) now counts 1d bars',
    ]);
    expect(timeframeNotes(configured, ['stat_arb'], '1m')).toEqual([]);
  });
});
