import { readStackFile, stackFilePath } from '../start/stack-file';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The environment the ops commands run with. Set QTS_STATE_TABLE (the cloud, or an emulator you
 * started yourself) and it is used as it is; otherwise a running `npm start` is found through its
 * stack file (`.qts/stack.json`, or QTS_STACK_FILE) and its emulators, table, queues and secrets
 * file are filled in, so `npm run ops -- release` works against the local stack with no exports.
 * Variables already set win. `note` says which stack was used, or why none was.
 */
export function withLocalStack(env: Env): { readonly env: Env; readonly note?: string } {
  if ((env.QTS_STATE_TABLE ?? '').trim() !== '') return { env };
  const path = stackFilePath(env);
  const found = readStackFile(path);
  if (found.kind === 'running')
    return {
      env: { ...found.info.env, ...env },
      note: `using the local stack started by npm start (pid ${found.info.pid}, ${found.info.exchange} ${found.info.mode})`,
    };
  if (found.kind === 'stale')
    return {
      env,
      note: `the local stack described in ${path} (pid ${found.info.pid}) is not running: start it with npm start`,
    };
  return { env };
}
