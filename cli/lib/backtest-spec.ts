import { STRATEGY_NAMES } from '../../shared/src/domain/trading/strategy-name';
import type { CommandSpec, OptionSpec } from './args';

function opt(name: string, value: string, description: string, defaultText?: string): OptionSpec {
  return { name, type: 'string', value, description, ...(defaultText === undefined ? {} : { defaultText }) };
}

/** `npm run backtest` options, examples and notes, as `--help` prints them. */
export const BACKTEST_SPEC: CommandSpec = {
  usage: 'npm run backtest -- [options]',
  summary:
    "Replays Upbit candles through the same strategies, ensemble and risk engine as live trading, with a simulated broker that applies Upbit's tick, minimum-order and fee rules.",
  options: [
    opt('strategy', 'NAME', `${STRATEGY_NAMES.join('|')}|all (comma-separated for several).`, 'all'),
    opt(
      'market',
      'LIST',
      'Markets, e.g. KRW-BTC,KRW-ETH (default: config markets; with --data, every file found).',
    ),
    opt('timeframe', 'TF', 'Bar length: 1m, 3m, 5m, 15m, 60m, 240m, 1d.', '1m'),
    opt(
      'days',
      'N',
      'Backtest the last N days (ignored with --from/--to; with --data the whole file unless given).',
      '30',
    ),
    opt('from', 'ISO', 'Start time, e.g. 2026-10-01 or 2026-10-01T00:00:00Z (UTC without zone).'),
    opt('to', 'ISO', 'End time, exclusive (default: now).'),
    opt(
      'data',
      'FILE|DIR',
      'Candles: Upbit candle JSON, Binance-style candle JSON, or CSV timestamp,open,high,low,close,volume (any of them .gz); a directory holds KRW-XXX*.json|csv per market.',
    ),
    opt(
      'trades',
      'FILE|DIR',
      'Public trades per market: CSV timestamp,price,volume,side[,sequential_id] or Upbit /v1/trades/ticks JSON (.gz too), or the tape recorder root data/tape with YYYY-MM-DD/KRW-XXX.trades.csv.gz days. Fed to the strategies, and resting orders fill from them.',
    ),
    opt(
      'books',
      'FILE|DIR',
      'Recorded order books, KRW-XXX.orderbook.jsonl(.gz) one {"t","bids","asks"} per line, for queue positions (default: found next to --trades).',
    ),
    opt('capital', 'KRW', 'Starting cash.', '10000000'),
    opt('fee', 'RATE', 'Fee rate per fill, maker and taker.', '0.0005'),
    opt('slippage-bps', 'N', 'Mean taker slippage beyond the one-tick spread.', '2'),
    opt('seed', 'N', 'Seed of the slippage draws; same inputs + seed = identical output.', '1'),
    { name: 'json', type: 'boolean', description: 'Print the result as JSON on stdout and nothing else.' },
    opt('report', 'FILE', 'Also write a self-contained HTML report (opens offline).'),
  ],
  examples: [
    'npm run backtest -- --days 30 --strategy all',
    'npm run backtest -- --strategy stat_arb --market KRW-BTC,KRW-ETH --from 2026-10-01 --to 2026-11-01',
    'npm run -s backtest -- --data test/fixtures/data/upbit_krw-btc_1m_2020-02-20.json --json | jq .metrics',
    'npm run backtest -- --data candles/ --report out.html',
    'npm run backtest -- --data candles/ --trades data/tape --strategy market_making',
  ],
  notes: [
    "Without --data, candles are downloaded from Upbit's public API (UPBIT_REST_URL; a bare origin gets /v1) and cached in QTS_CACHE_DIR or ~/.cache/qts.",
    '--data files are parsed once into a binary column cache (QTS_CACHE_DIR or ~/.cache/qts, under columns/), rebuilt when a file changes; later runs skip the text parsing.',
    'Fill model: orders placed at a bar close execute on the next bar; resting limit orders fill only from volume that traded beyond their price, at the back of the queue (from --trades when given, else estimated from the candle). Every report states the model.',
    'Use `npm run -s` when piping --json: plain `npm run` prints its own banner on stdout first.',
  ],
};
