import { opsRelease, opsStatus, opsStop } from '../../cli/ops/ops-commands';
import { statusText, stopText } from '../../cli/ops/ops-output';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { Secret } from '../../shared/src/domain/security/secret';
import type { FifoQueue } from '../../shared/src/ports/decision-queue';

/** `configured: null` = no operator token is configured at all. */
function setup(presented: string, configured: string | null = 'right') {
  const clock = new ManualClock();
  const store = new MemoryStateStore();
  const sent: string[] = [];
  let failSend = false;
  const queue: Pick<FifoQueue, 'send'> = {
    send: async (body) => {
      if (failSend) throw new Error('queue down');
      sent.push(body);
      return { messageId: String(sent.length) };
    },
  };
  const deps = {
    store,
    limits: DEFAULT_RISK_LIMITS,
    rules: KRW_MARKET_RULES,
    queue,
    clock,
    presentedToken: new Secret(presented),
    expectedToken: async () => (configured === null ? undefined : new Secret(configured)),
  };
  return { deps, store, sent, clock, breakQueue: () => (failSend = true) };
}

describe('ops commands (in memory)', () => {
  it('refuses --halt with --flatten and empty reasons before touching the store', async () => {
    const { deps, store } = setup('right');
    await expect(opsStop(deps, { reason: 'x', actor: 'a', state: 'halted', flatten: true })).rejects.toThrow(
      /contradict/,
    );
    await expect(
      opsStop(deps, { reason: '  ', actor: 'a', state: 'reducing', flatten: false }),
    ).rejects.toThrow(/--reason/);
    expect((await store.getControl()).latch).toBeUndefined();
  });

  it('keeps the latch when the command cannot be enqueued and says to run again', async () => {
    const { deps, store, sent, breakQueue } = setup('right');
    breakQueue();
    await expect(
      opsStop(deps, { reason: 'r', actor: 'a', state: 'reducing', flatten: false }),
    ).rejects.toThrow(/run the same command again/);
    expect((await store.getControl()).latch?.state).toBe('reducing');
    expect(sent).toHaveLength(0);
  });

  it('close-all on a halted latch sells nothing and warns', async () => {
    const { deps } = setup('right');
    await opsStop(deps, { reason: 'r', actor: 'a', state: 'halted', flatten: false });
    const result = await opsStop(deps, { reason: 'sell', actor: 'a', state: 'reducing', flatten: true });
    expect(result.command.kind).toBe('emergency_stop');
    expect(result.warning).toMatch(/nothing is sold/);
    expect(stopText(result)).toContain('Warning:');
  });

  it('treats a missing configured token as a configuration error, not as "no token needed"', async () => {
    const { deps, store } = setup('', null);
    await opsStop(deps, { reason: 'r', actor: 'a', state: 'reducing', flatten: false });
    await expect(opsRelease(deps, { reason: 'ok', actor: 'b' })).rejects.toThrow(
      /no operator token is configured/,
    );
    expect((await store.getControl()).latch).toBeDefined();
  });

  it('renders status for a terminal with the latch first', async () => {
    const { deps } = setup('right');
    await opsStop(deps, { reason: 'why not', actor: 'alice', state: 'reducing', flatten: false });
    const text = statusText(await opsStatus(deps, 5));
    expect(text.split('\n')[0]).toBe('Trading state:    REDUCING');
    expect(text).toContain('by alice (manual): why not');
    expect(text).toContain('emergency_latch');
  });
});
