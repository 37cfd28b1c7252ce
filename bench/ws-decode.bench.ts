import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameDecoder, STATUS_UP } from '../shared/src/adapters/upbit/ws/frame-decoder';
import type { Benchmark, BenchResult } from './lib/bench-types';
import { compare, perSecond } from './lib/measure';
import { absoluteResult, ratioResult } from './lib/results';

const FIXTURES = join(__dirname, '../test/fixtures/upbit');
const JSON_PARSE = 'JSON.parse of the UTF-8 text';
/** Frames decoded per timed call (a quarter per frame kind): enough that the timer does not count. */
const FRAMES_PER_CALL = 20_000;
const QUICK_FRAMES_PER_CALL = 4_000;

/** One recorded public frame, as the `ws` library hands it over: a Buffer. */
interface Frame {
  readonly kind: string;
  readonly type: string;
  readonly data: Buffer;
}

/**
 * The public frame samples in the test fixtures: Upbit's DEFAULT-format ticker, trade, orderbook
 * and 1-minute candle (UpbitNet samples) and SIMPLE-format trade and orderbook.
 */
function recordedFrames(): Frame[] {
  const read = (file: string) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
  const net = read('jkorf-upbit-net-samples.json').websocket;
  const simple = read('synthetic-lifecycle-examples.json').ws_simple_format;
  const frame = (kind: string, type: string, body: unknown): Frame => ({
    kind,
    type,
    data: Buffer.from(JSON.stringify(body)),
  });
  return [
    frame('ticker', 'ticker', net.ticker.receive),
    frame('trade', 'trade', net.trade.receive),
    frame('orderbook', 'orderbook', net.orderbook.receive),
    frame('candle_1m', 'candle', net.candle_1m.receive),
    frame('simple_trade', 'trade', simple.trade),
    frame('simple_orderbook', 'orderbook', simple.orderbook),
  ];
}

/** `count` frames cycling through the samples, so both sides see the same mix in the same order. */
function stream(frames: readonly Frame[], count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => (frames[i % frames.length] as Frame).data);
}

function decodeAll(decoder: FrameDecoder, data: readonly Buffer[]): number {
  let n = 0;
  for (const d of data) if (decoder.decode(d) !== STATUS_UP) n++;
  return n;
}

function parseAll(data: readonly Buffer[]): number {
  let n = 0;
  for (const d of data) if (JSON.parse(d.toString('utf8')) !== null) n++;
  return n;
}

const decodeBenchmark: Benchmark = {
  name: 'Upbit WebSocket frame decoding',
  description: `FrameDecoder.decode on recorded public frames (Buffer in, typed event out) vs ${JSON_PARSE} of the same frames; msg/s and ratio = parse time / decode time, overall and per frame kind.`,
  async run(context) {
    const frames = recordedFrames();
    const decoder = new FrameDecoder('public');
    for (const f of frames) {
      const event = decoder.decode(f.data);
      if (event === STATUS_UP || event.type !== f.type)
        throw new Error(`fixture frame ${f.kind} decoded as ${event === STATUS_UP ? 'status' : event.type}`);
    }
    const options = context.quick
      ? { warmup: 2, budgetMs: 500, minRuns: 5 }
      : { budgetMs: 4000, minRuns: 15 };
    const perCall = context.quick ? QUICK_FRAMES_PER_CALL : FRAMES_PER_CALL;
    const results: BenchResult[] = [];
    context.progress('mixed frames');
    const mixed = stream(frames, perCall);
    const all = compare(
      () => decodeAll(decoder, mixed),
      () => parseAll(mixed),
      options,
    );
    results.push(
      absoluteResult('ws.decode.mixed.msg_per_s', perSecond(mixed.length, all.ours.medianMs), 'msg/s'),
    );
    results.push(ratioResult('ws.decode.mixed.vs_json_parse', all.ratio, JSON_PARSE));
    for (const f of frames) {
      context.progress(f.kind);
      const same = stream([f], perCall / 4);
      const one = compare(
        () => decodeAll(decoder, same),
        () => parseAll(same),
        { ...options, budgetMs: options.budgetMs / 4 },
      );
      results.push(
        absoluteResult(`ws.decode.${f.kind}.msg_per_s`, perSecond(same.length, one.ours.medianMs), 'msg/s'),
      );
      results.push(ratioResult(`ws.decode.${f.kind}.vs_json_parse`, one.ratio, JSON_PARSE));
    }
    return results;
  },
};

/** Read by `npm run bench`. */
export const benchmarks: readonly Benchmark[] = [decodeBenchmark];
