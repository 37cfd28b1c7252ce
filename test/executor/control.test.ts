import { ControlService } from '../../executor/src/control/control-service';
import { MemoryNotifier } from '../../shared/src/adapters/memory/memory-notifier';
import type { ControlCommandInput } from '../../shared/src/application/messaging/control-command';
import { controlCommandSchema } from '../../shared/src/application/messaging/control-command';
import type {
  ControlMessage,
  DecisionMessage,
} from '../../shared/src/application/messaging/message-envelope';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import { directional, executionWorld, firstDelivery } from './support/execution-world';
import { BTC, TEST_LIMITS } from './support/memory-world';

function control(command: ControlCommandInput): ControlMessage {
  return {
    type: 'control',
    sentAt: command.issuedAt as EpochMs,
    producer: 'test',
    command: controlCommandSchema.parse(command),
  };
}

function decisionMessage(decision: Decision): DecisionMessage {
  return { type: 'decision', sentAt: decision.createdAt, producer: 'test', decision };
}

function world() {
  const w = executionWorld();
  const notifier = new MemoryNotifier('en');
  const service = new ControlService({
    store: w.store,
    emergency: { venue: w.venue, notifier, clock: w.clock },
    gate: w.gate,
    engine: w.engine,
    tracker: w.tracker,
    market: w.state,
    clock: w.clock,
    logger: w.logger,
    metrics: w.metrics,
    limits: TEST_LIMITS,
    rules: KRW_MARKET_RULES,
  });
  return { ...w, notifier, service };
}

const base = (kind: string, id: string) => ({ kind, id, actor: 'operator', issuedAt: 1 }) as const;

describe('control', () => {
  it('stop_trading ends buying plans at once and refuses new buys; start_trading lets them in again', async () => {
    const w = world();
    await w.handler.handle(
      decisionMessage(w.decision(directional('bid', '200000', 'passive'))),
      firstDelivery(),
    );
    expect(await w.venue.listOpenOrders()).toHaveLength(1);
    await w.service.handle(control({ ...base('stop_trading', 'c-1') } as ControlCommandInput));
    expect((await w.store.getControl()).tradingEnabled).toBe(false);
    expect(await w.venue.listOpenOrders()).toEqual([]);
    expect(w.gate.blockReason('momentum_scalping', 'bid')).toContain('stopped by the operator');
    expect(w.gate.blockReason('momentum_scalping', 'ask')).toBeUndefined();
    await w.service.handle(control({ ...base('start_trading', 'c-2') } as ControlCommandInput));
    expect(w.gate.blockReason('momentum_scalping', 'bid')).toBeUndefined();
  });

  it('toggle_strategy switches one strategy off and cancels its working orders only', async () => {
    const w = world();
    await w.handler.handle(
      decisionMessage(w.decision(directional('bid', '200000', 'passive'))),
      firstDelivery(),
    );
    await w.service.handle(
      control({
        ...base('toggle_strategy', 'c-3'),
        strategy: 'momentum_scalping',
        enabled: false,
      } as ControlCommandInput),
    );
    expect((await w.store.getControl()).strategyEnabled.momentum_scalping).toBe(false);
    expect(await w.venue.listOpenOrders()).toEqual([]);
    expect(w.gate.blockReason('mean_reversion', 'bid')).toBeUndefined();
    expect(w.gate.blockReason('momentum_scalping', 'bid')).toContain('switched off');
  });

  it('a latch released within one poll of the stop is released at the next poll (the local latch does not outlive it)', async () => {
    const w = world();
    await w.service.handle(
      control({ ...base('emergency_stop', 'c-9'), reason: 'drill', state: 'halted' } as ControlCommandInput),
    );
    const latch = (await w.store.getControl()).latch;
    if (latch === undefined) throw new Error('the stop stored no latch');
    expect(w.gate.latchState).toBe('halted');
    // Released before any poll has seen the stored latch.
    await w.store.releaseEmergency({ actor: 'operator', reason: 'drill over', at: w.clock.now() }, latch);
    await w.service.refresh();
    expect(w.gate.latchState).toBeUndefined();
    expect(w.gate.blockReason('momentum_scalping', 'bid')).toBeUndefined();
  });

  it('a latch written by someone else is obeyed at the next poll: open orders cancelled, nothing new sent', async () => {
    const w = world();
    await w.handler.handle(
      decisionMessage(w.decision(directional('bid', '200000', 'passive'))),
      firstDelivery(),
    );
    await w.store.latchEmergency({
      state: 'halted',
      trigger: 'manual',
      reason: 'ops cli',
      actor: 'ops',
      at: w.clock.now(),
    });
    await w.service.refresh();
    expect(await w.venue.listOpenOrders()).toEqual([]);
    expect(w.gate.blockReason('momentum_scalping', 'ask')).toContain('halted');
    const after = w.decision(directional('bid', '200000', 'aggressive'));
    await w.handler.handle(decisionMessage(after), firstDelivery('m-2'));
    expect((await w.store.listOrdersByDecision(after.id)).map((o) => o.state)).toEqual(['rejected']);
    expect(await w.venue.listOpenOrders()).toEqual([]);
  });

  it('close_all sells every holding inside the slippage guard and keeps the latch reducing', async () => {
    const w = world();
    await w.handler.handle(
      decisionMessage(w.decision(directional('bid', '300000', 'aggressive'))),
      firstDelivery(),
    );
    expect((await w.store.getPosition(BTC, 'momentum_scalping'))?.volume.toFixed()).toBe('0.00299401');
    await w.service.handle(
      control({ ...base('close_all', 'c-4'), reason: 'end of test' } as ControlCommandInput),
    );
    await w.tracker.pollOnce();
    expect((await w.store.getControl()).latch?.state).toBe('reducing');
    expect((await w.store.getPosition(BTC, 'momentum_scalping'))?.volume.toFixed()).toBe('0');
    expect(w.notifier.sent.some((a) => a.severity === 'critical' || a.severity === 'warning')).toBe(true);
  });
});
