/**
 * Preloaded into the local stack's executor (`node --import <this> --import tsx executor/src/main.ts`):
 * the stack gives the executor a pipe as stdin and never writes to it. When that pipe closes, the
 * stack is gone (even SIGKILLed, with no chance to stop its children), so the executor shuts down as
 * on SIGTERM (drain, flush, exit) instead of trading on as an orphan.
 */
const stop = () => process.kill(process.pid, 'SIGTERM');
process.stdin.once('end', stop);
process.stdin.once('close', stop);
process.stdin.resume();
// Reading stdin must not keep the executor alive by itself (it exits through its own shutdown).
process.stdin.unref?.();
