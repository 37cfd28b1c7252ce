import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { type FakeExchange, startFakeExchange } from '../../shared/src/fake-exchange/fake-exchange';
import { parseSimArgs } from '../../shared/src/fake-exchange/sim-cli-args';
import { FrameRecorder, simHttp } from '../fake-exchange/support/sim-http';
import { BAR_MS, barOpen, PRINTS, TAPE_MARKET, TAPE_T0, writeParityTape } from './support/parity-tape';

// biome-ignore lint/suspicious/noExplicitAny: frames are arbitrary JSON
const ofType = (frames: any[], type: string, st?: string) =>
  frames.filter((f) => f.type === type && (st === undefined || f.stream_type === st));

const dir = mkdtempSync(join(tmpdir(), 'qts-sim-tape-'));
const root = join(dir, 'tape');
writeParityTape(root);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run sim -- --tape DIR: the sim replays a recorded tape', () => {
  let fake: FakeExchange;
  let clock: ManualClock;
  const sockets: FrameRecorder[] = [];
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2030, 0, 1));
    fake = await startFakeExchange({
      tapePath: root,
      clock,
      balances: { KRW: '1000000' },
      rateLimits: false,
    });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await fake.close();
  });
  /** Moves sim time (the tape's) to `at` and replays everything up to it. */
  const replayTo = (at: number) => {
    clock.advance(at - fake.controls.now());
    fake.controls.stepMarket();
  };

  it('starts at the first recorded event, lists the tape markets and serves the recorded book', async () => {
    expect(fake.markets).toEqual([TAPE_MARKET]);
    expect(fake.controls.now()).toBe(TAPE_T0);
    const res = await fetch(`${fake.restUrl}/orderbook?markets=KRW-BTC`);
    const [book] = (await res.json()) as {
      orderbook_units: { bid_price: number; ask_price: number; bid_size: number }[];
    }[];
    expect(book?.orderbook_units[0]).toMatchObject({
      bid_price: 100_000_000,
      ask_price: 100_001_000,
      bid_size: 0.5,
    });
  });

  it('publishes the recorded trades in time order over the WebSocket and builds candles from them', async () => {
    const ws = new FrameRecorder(fake.wsUrl);
    sockets.push(ws);
    await ws.open();
    ws.send([
      { ticket: 'tape' },
      { type: 'trade', codes: ['KRW-BTC'] },
      { type: 'ticker', codes: ['KRW-BTC'] },
      { type: 'orderbook', codes: ['KRW-BTC'] },
    ]);
    // Before the first print only the recorded book exists: its snapshot says the subscription is live.
    await ws.waitFor((f) => ofType(f, 'orderbook', 'SNAPSHOT').length === 1);
    replayTo(barOpen(3));
    const expected = PRINTS.slice(0, 3).flat().length;
    await ws.waitFor((f) => ofType(f, 'trade', 'REALTIME').length >= expected);
    const trades = ofType(ws.frames, 'trade', 'REALTIME');
    const want = PRINTS.slice(0, 3).flatMap((prints, bar) =>
      prints.map(([offset, price, volume, side]) => ({
        trade_timestamp: barOpen(bar) + offset,
        trade_price: Number(price),
        trade_volume: Number(volume),
        ask_bid: side.toUpperCase(),
      })),
    );
    expect(
      trades.map((t) => ({
        trade_timestamp: t.trade_timestamp,
        trade_price: t.trade_price,
        trade_volume: t.trade_volume,
        ask_bid: t.ask_bid,
      })),
    ).toEqual(want);
    expect(ofType(ws.frames, 'ticker', 'REALTIME').at(-1)).toMatchObject({ trade_price: 100_002_000 });

    const candles = (await (
      await fetch(`${fake.restUrl}/candles/minutes/1?market=KRW-BTC&count=5`)
    ).json()) as {
      timestamp: number;
      opening_price: number;
      high_price: number;
      low_price: number;
      trade_price: number;
      candle_acc_trade_volume: number;
      candle_date_time_utc: string;
    }[];
    const bar1 = candles.find(
      (c) => c.candle_date_time_utc === new Date(barOpen(1)).toISOString().slice(0, 19),
    );
    expect(bar1).toMatchObject({
      opening_price: 100_000_000,
      high_price: 100_001_000,
      low_price: 99_999_000,
      trade_price: 99_999_000,
    });
    expect(bar1?.candle_acc_trade_volume).toBeCloseTo(0.513, 10);
  });

  it("fills a resting order by the backtester's tape model: behind the recorded queue, then beyond its price", async () => {
    replayTo(barOpen(1));
    const http = simHttp(fake);
    const placed = await http.post('/orders', {
      market: 'KRW-BTC',
      side: 'bid',
      ord_type: 'limit',
      price: '100000000',
      volume: '0.003',
      time_in_force: 'post_only',
      identifier: 'tape-bid-1',
    });
    expect(placed.status).toBe(201);
    const executed = async () =>
      (await http.get('/order', [['identifier', 'tape-bid-1']])).body as {
        executed_volume: string;
        state: string;
      };
    // 0.3 at the price: all of it to the 0.5 queue ahead.
    replayTo(barOpen(1) + 1_000);
    expect((await executed()).executed_volume).toBe('0');
    // 0.201 at the price: 0.2 finishes the queue, 0.001 reaches us.
    replayTo(barOpen(1) + 2_000);
    expect((await executed()).executed_volume).toBe('0.001');
    replayTo(barOpen(2));
    expect(await executed()).toMatchObject({ executed_volume: '0.003', state: 'done' });
  });
});

describe('a tape the sim cannot replay is refused with the file and the fix', () => {
  it('names a missing directory, an empty one, a market without a tape and a damaged file', async () => {
    await expect(startFakeExchange({ tapePath: join(dir, 'nope') })).rejects.toThrow(
      /no such tape directory; expected <DIR>\/<YYYY-MM-DD>/,
    );
    const empty = join(dir, 'empty');
    mkdirSync(join(empty, '2026-11-05'), { recursive: true });
    await expect(startFakeExchange({ tapePath: empty })).rejects.toThrow(/no trade tape/);
    await expect(startFakeExchange({ tapePath: root, markets: ['KRW-ETH'] })).rejects.toThrow(
      /no trade tape for KRW-ETH/,
    );
    const damaged = join(dir, 'damaged', '2026-11-05');
    mkdirSync(damaged, { recursive: true });
    writeFileSync(
      join(damaged, 'KRW-BTC.trades.csv.gz'),
      gzipSync('timestamp,price,volume,side,sequential_id\n1762300800000,abc,1,bid,1\n'),
    );
    await expect(startFakeExchange({ tapePath: join(dir, 'damaged') })).rejects.toThrow(
      /KRW-BTC\.trades\.csv\.gz, line 2: price must be positive/,
    );
    writeFileSync(join(damaged, 'KRW-BTC.trades.csv.gz'), 'not gzip');
    await expect(startFakeExchange({ tapePath: join(dir, 'damaged') })).rejects.toThrow(
      /incorrect header check|not in gzip format/i,
    );
    const headerOnly = join(dir, 'header-only', '2026-11-05');
    mkdirSync(headerOnly, { recursive: true });
    writeFileSync(
      join(headerOnly, 'KRW-BTC.trades.csv.gz'),
      gzipSync('timestamp,price,volume,side,sequential_id\n'),
    );
    await expect(startFakeExchange({ tapePath: join(dir, 'header-only') })).rejects.toThrow(
      /the KRW-BTC tape holds no trade or book/,
    );
  });

  it('parses --tape with --from/--to (KST days or ISO times) and refuses them without --tape', () => {
    const cmd = parseSimArgs(['--tape', root, '--from', '2026-11-05', '--to', '2026-11-05T00:02:00Z'], {});
    expect(cmd).toMatchObject({
      kind: 'run',
      options: { tapePath: root, tapeWindow: { from: Date.parse('2026-11-04T15:00:00Z'), to: barOpen(2) } },
    });
    expect(() => parseSimArgs(['--from', '2026-11-05'], {})).toThrow(/use them with --tape DIR/);
    expect(() => parseSimArgs(['--tape', root, '--data', root], {})).toThrow(/pick one/);
    expect(() => parseSimArgs(['--tape', root, '--from', 'yesterday'], {})).toThrow(
      /--from must be an ISO time/,
    );
  });

  it('replays only the window asked for, starting from the book shown when it opens', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const fake = await startFakeExchange({
      tapePath: root,
      clock,
      tapeWindow: { from: barOpen(1) + 500, to: barOpen(2) },
    });
    try {
      expect(fake.controls.now()).toBe(barOpen(1) + 500);
      const res = await fetch(`${fake.restUrl}/orderbook?markets=KRW-BTC`);
      const [book] = (await res.json()) as { orderbook_units: { bid_price: number }[] }[];
      expect(book?.orderbook_units[0]?.bid_price).toBe(100_000_000);
      clock.advance(10 * BAR_MS);
      fake.controls.stepMarket();
      const ticks = (await (
        await fetch(`${fake.restUrl}/trades/ticks?market=KRW-BTC&count=50`)
      ).json()) as unknown[];
      expect(ticks).toHaveLength(PRINTS[1]?.length ?? 0);
    } finally {
      await fake.close();
    }
  });

  it('the CLI exits 1 naming the problem, and --help documents --tape', () => {
    const cwd = join(__dirname, '..', '..');
    const run = spawnSync('npx', ['tsx', 'cli/sim.ts', '--tape', join(dir, 'nope'), '--port', '0'], {
      cwd,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/npm run sim: could not start: .*nope: no such tape directory/);
    const help = spawnSync('npx', ['tsx', 'cli/sim.ts', '--help'], { cwd, encoding: 'utf8' });
    expect(help.stdout).toMatch(/--tape DIR +replay a recorded tape/);
  });

  it('the committed fixture tape (test/fixtures/tape) is what writeParityTape writes', () => {
    const fixture = join(__dirname, '..', 'fixtures', 'tape', '2026-11-05');
    for (const name of ['KRW-BTC.trades.csv.gz', 'KRW-BTC.orderbook.jsonl.gz'])
      expect(gunzipSync(readFileSync(join(fixture, name))).toString('utf8')).toBe(
        gunzipSync(readFileSync(join(root, '2026-11-05', name))).toString('utf8'),
      );
  });
});
