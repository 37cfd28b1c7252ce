import { type FuzzTally, fuzzApi } from '../fuzz/api-fuzz';
import { fuzzConfig } from '../fuzz/config-fuzz';
import { fuzzQueueConsumer } from '../fuzz/queue-fuzz';
import { fuzzWebSocketDecoder } from '../fuzz/ws-fuzz';
import type { CampaignContext, Category } from '../lib/context';
import { atLeast, type CategoryResult, categoryResult, type Figure, info, zero } from '../lib/report';

function figures(target: string, t: FuzzTally, runs: number, writesChecked: boolean): Figure[] {
  return [
    atLeast(`${target}: inputs`, t.inputs, runs),
    zero(`${target}: crashes`, t.crashes),
    info(`${target}: refused with a clear 4xx / classified rejection`, t.rejected),
    zero(`${target}: unclear refusals`, t.unclear),
    ...(writesChecked ? [zero(`${target}: refused inputs that wrote to a store`, t.writesOnRejected)] : []),
  ];
}

async function run(ctx: CampaignContext): Promise<CategoryResult> {
  const started = Date.now();
  const runs = ctx.scale.fuzzRuns;
  ctx.progress(`fuzzing: HTTP API (${runs} inputs)`);
  const api = await fuzzApi(runs, ctx.seed, ctx.logs);
  ctx.progress(`fuzzing: decision-queue consumer (${runs} inputs)`);
  const queue = await fuzzQueueConsumer(runs, ctx.seed, ctx.logs);
  ctx.progress(`fuzzing: WebSocket decoder (${runs} inputs)`);
  const ws = await fuzzWebSocketDecoder(runs, ctx.seed);
  ctx.progress(`fuzzing: config loading (${runs} inputs)`);
  const config = fuzzConfig(runs, ctx.seed);
  const tag = (name: string, t: FuzzTally) => t.examples.map((e) => `${name}: ${e}`);
  return categoryResult(
    'fuzz',
    '4. Fuzzing (fast-check)',
    [
      ...figures('HTTP API', api, runs, true),
      ...figures('decision-queue consumer', queue, runs, true),
      ...figures('WebSocket decoder', ws, runs, false),
      ...figures('config loading', config, runs, false),
    ],
    started,
    [
      `seed ${ctx.seed}; the WebSocket frames also cross a real socket into the real stream (up to 2,000); config loading writes nothing`,
      ...tag('api', api),
      ...tag('queue', queue),
      ...tag('ws', ws),
      ...tag('config', config),
    ],
  );
}

/** Category 4: hostile inputs to every boundary that reads outside data. */
export const fuzzing: Category = { id: 'fuzz', title: '4. Fuzzing (fast-check)', run };
