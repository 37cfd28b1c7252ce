import { CandleDataError } from '../shared/src/backtest/data/candle-data-error';
import {
  DEFAULT_ACCESS_KEY,
  DEFAULT_SECRET_KEY,
  type FakeExchange,
  startFakeExchange,
} from '../shared/src/fake-exchange/fake-exchange';
import { parseSimArgs, SIM_HELP, SimUsageError } from '../shared/src/fake-exchange/sim-cli-args';

/**
 * `npm run sim`: starts the fake Upbit exchange until SIGINT/SIGTERM. This file is the composition root
 * (reads argv and SIM_* keys, prints, exits); everything else lives in shared/src/fake-exchange.
 */
async function main(): Promise<number> {
  let command: ReturnType<typeof parseSimArgs>;
  try {
    command = parseSimArgs(process.argv.slice(2), process.env);
  } catch (e) {
    if (!(e instanceof SimUsageError)) throw e;
    process.stderr.write(`npm run sim: ${e.message}\nSee: npm run sim -- --help\n`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(SIM_HELP);
    return 0;
  }
  let fake: FakeExchange;
  try {
    fake = await startFakeExchange({
      ...command.options,
      ...(command.options.tapePath === undefined || command.json
        ? {}
        : {
            onTapeEnd: () => process.stdout.write('tape replayed to its end; the market stays as it was\n'),
          }),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message =
      e instanceof CandleDataError || code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL'
        ? (e as Error).message
        : e instanceof Error
          ? (e.stack ?? e.message)
          : String(e);
    process.stderr.write(`npm run sim: could not start: ${message}\n`);
    return 1;
  }
  const secretIsDefault = fake.secretKey === DEFAULT_SECRET_KEY;
  if (command.json) {
    process.stdout.write(
      `${JSON.stringify({
        restUrl: fake.restUrl,
        wsUrl: fake.wsUrl,
        privateWsUrl: fake.privateWsUrl,
        controlUrl: fake.controlUrl ?? null,
        port: fake.port,
        accessKey: fake.accessKey,
        ...(secretIsDefault ? { secretKey: fake.secretKey } : {}),
        markets: fake.markets,
      })}\n`,
    );
  } else {
    process.stdout.write(banner(fake, command.options, secretIsDefault));
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (!command.json) process.stdout.write(`\n${signal}: stopping the fake exchange…\n`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await fake.close();
  return 0;
}

function banner(
  fake: FakeExchange,
  options: Parameters<typeof startFakeExchange>[0] & object,
  secretIsDefault: boolean,
): string {
  const source =
    options.tapePath !== undefined
      ? `tape replay of ${options.tapePath}`
      : options.dataPath === undefined
        ? 'seeded random walk'
        : `replay of ${options.dataPath}`;
  const rows: [string, string][] = [
    ['REST', fake.restUrl],
    ['WebSocket', fake.wsUrl],
    ['Private WS', fake.privateWsUrl],
    ['Control API', fake.controlUrl ?? 'off'],
    [
      'Access key',
      `${fake.accessKey}${fake.accessKey === DEFAULT_ACCESS_KEY ? ' (default)' : ' (SIM_ACCESS_KEY)'}`,
    ],
    ['Secret key', secretIsDefault ? `${fake.secretKey} (default)` : '(from SIM_SECRET_KEY, not shown)'],
    ['Markets', fake.markets.join(' ')],
    ['Market', `${source}, seed ${options.seed ?? 1}, speed ${options.speed ?? 1}x`],
    [
      'Balances',
      Object.entries(options.balances ?? { KRW: '10000000' })
        .map(([c, a]) => `${c} ${a}`)
        .join(', ') + (options.statePath === undefined ? '' : ` (or as saved in ${options.statePath})`),
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [
    'Fake Upbit exchange is running.',
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    '',
    `Point the system at it: UPBIT_REST_URL=${fake.restUrl} UPBIT_WS_URL=${fake.wsUrl}`,
    'Stop with Ctrl-C.',
    '',
  ].join('\n');
}

main().then(
  (code) => {
    process.exitCode = code;
    // A failed start must end the process at once, whatever handle is still open.
    if (code !== 0) process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`npm run sim: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
