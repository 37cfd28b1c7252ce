import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SystemClock } from '../../../shared/src/adapters/system/system-clock';
import { UpbitPayloadError } from '../../../shared/src/adapters/upbit/rest/json-fields';
import { createUpbitAdapters } from '../../../shared/src/adapters/upbit/upbit-adapters';
import { FrameDecoder, STATUS_UP } from '../../../shared/src/adapters/upbit/ws/frame-decoder';
import { startFakeExchange } from '../../../shared/src/fake-exchange/fake-exchange';
import { eventually } from '../../executor/support/real-world';
import type { FuzzTally } from './api-fuzz';
import { describeCrash, hostileText, hostileValue, mutatedFrom } from './hostile';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'upbit');

/** Valid DEFAULT and SIMPLE frames of every stream (the recorded fixtures), for mutation. */
function seedFrames(): unknown[] {
  // biome-ignore lint/suspicious/noExplicitAny: fixture files are free-form JSON
  const load = (name: string): any => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
  const lifecycle = load('synthetic-lifecycle-examples.json');
  const jkorf = load('jkorf-upbit-net-samples.json');
  return [
    lifecycle.step1_post_limit_bid.ws_myOrder,
    lifecycle.step1_post_limit_bid.ws_myAsset,
    lifecycle.step2_partial_fill_as_maker.ws_myOrder_trade_event,
    lifecycle.step2_partial_fill_as_maker.ws_public_trade,
    lifecycle.ws_simple_format.orderbook,
    lifecycle.ws_simple_format.trade,
    ...Object.values(jkorf.websocket as Record<string, unknown>),
    { status: 'UP' },
    { error: { name: 'WRONG_FORMAT', message: 'Format 이 맞지 않습니다.' } },
  ].filter((x) => x !== undefined);
}

/** Hostile frames: mutated real frames, random values, broken JSON, nesting bombs, raw bytes. */
function frameArbitrary(): fc.Arbitrary<Buffer> {
  return fc.oneof(
    {
      weight: 9,
      arbitrary: hostileText(
        fc.oneof({ weight: 4, arbitrary: mutatedFrom(seedFrames()) }, { weight: 1, arbitrary: hostileValue }),
        64 * 1024,
      ).map((t) => Buffer.from(t)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
  );
}

/**
 * Fuzzes the WebSocket decoder: every frame must decode to an event (or the keep-alive) or be
 * refused as a payload/JSON error the stream counts and drops; any other throw is a crash. Then a
 * share of the frames goes over a real socket (the fake exchange's raw-frame fault) into the real
 * stream, which must keep delivering valid frames afterwards.
 */
export async function fuzzWebSocketDecoder(runs: number, seed: number): Promise<FuzzTally> {
  const frames = fc.sample(frameArbitrary(), { numRuns: runs, seed });
  const decoders = [new FrameDecoder('public'), new FrameDecoder('private')];
  let crashes = 0;
  let rejected = 0;
  const examples: string[] = [];
  frames.forEach((frame, i) => {
    try {
      const event = (decoders[i % 2] as FrameDecoder).decode(frame);
      if (event !== STATUS_UP && typeof event.type !== 'string') throw new TypeError('event without a type');
    } catch (error) {
      if (error instanceof UpbitPayloadError || error instanceof SyntaxError) rejected += 1;
      else {
        crashes += 1;
        if (examples.length < 8)
          examples.push(`${describeCrash(error)}: ${frame.toString('utf8').slice(0, 100)}`);
      }
    }
  });
  // Over a real socket into the real stream: a subset, since each frame crosses the network stack.
  const overSocket = frames.slice(0, Math.min(frames.length, 2_000));
  const fake = await startFakeExchange({ markets: ['KRW-BTC'], autoMarket: false, history: false });
  const clock = new SystemClock();
  const upbit = createUpbitAdapters({ restUrl: fake.restUrl, wsUrl: fake.wsUrl, clock });
  const seen: string[] = [];
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', onUncaught);
  try {
    upbit.stream.onEvent((e) => {
      if (e.type === 'trade') seen.push(String(e.trade.price));
    });
    upbit.stream.subscribe({ trade: ['KRW-BTC' as never] });
    await upbit.stream.start();
    fake.controls.trade('KRW-BTC', '150000000', '0.001', 'bid');
    await eventually('the first trade', async () => seen.length > 0, 10_000);
    for (const f of overSocket) fake.controls.faults.sendRawFrame(f.toString('utf8'));
    fake.controls.trade('KRW-BTC', '151000000', '0.001', 'bid');
    const alive = await eventually(
      'a valid trade after the hostile frames',
      async () => seen.includes('151000000'),
      30_000,
    ).then(
      () => true,
      () => false,
    );
    if (!alive) {
      crashes += 1;
      examples.push('the stream stopped delivering after the hostile frames');
    }
    if (upbit.stream.counters().listenerErrors > 0 || uncaught.length > 0) {
      crashes += uncaught.length + upbit.stream.counters().listenerErrors;
      examples.push(...uncaught.slice(0, 3).map(describeCrash));
    }
  } finally {
    process.off('uncaughtException', onUncaught);
    await upbit.stream.stop();
    await fake.close();
  }
  return { inputs: frames.length, crashes, rejected, writesOnRejected: 0, unclear: 0, examples };
}
