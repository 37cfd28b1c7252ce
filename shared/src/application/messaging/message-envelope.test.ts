import { aDecision, plain, T0 } from '../../../testing/state-builders';
import { CONTROL_GROUP_ID } from './control-command';
import {
  decodeControlMessage,
  decodeDecisionMessage,
  ENVELOPE_VERSION,
  encodeControlMessage,
  encodeDecisionMessage,
} from './message-envelope';

describe('decision envelopes', () => {
  it('round-trips a decision exactly, grouped by market and deduplicated by decision id', () => {
    const decision = aDecision('ens-BTC-20261125T0100-0');
    const out = encodeDecisionMessage(decision, T0, 'analysis-function');
    expect(out.groupId).toBe('KRW-BTC');
    expect(out.dedupId).toBe(decision.id);
    expect(JSON.parse(out.body)).toMatchObject({
      v: ENVELOPE_VERSION,
      type: 'decision',
      producer: 'analysis-function',
    });
    // Money crosses the queue as text, never as a JSON number.
    expect(out.body).toContain('"notional":"100000.5"');
    const decoded = decodeDecisionMessage(out.body);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(plain(decoded.message.decision)).toEqual(plain(decision));
    expect(decoded.message.sentAt).toBe(T0);
  });

  it.each([
    ['not json', 'not JSON'],
    ['[1]', 'unsupported envelope version'],
    ['{"v":2,"type":"decision"}', 'unsupported envelope version 2 (this build reads 1)'],
    ['{"v":1,"type":"control"}', 'expected a decision message'],
  ])('explains why %s is poison', (body, reason) => {
    const decoded = decodeDecisionMessage(body);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toContain(reason);
  });

  it('names the bad field of an invalid decision, e.g. money sent as a number', () => {
    const body = JSON.parse(encodeDecisionMessage(aDecision('d-1'), T0, 'x').body);
    body.decision.intent.notional = 100000.5;
    const decoded = decodeDecisionMessage(JSON.stringify(body));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toContain('decision.intent.notional');
  });

  // Found by the reliability campaign (queue fuzzing): decimal text of valid grammar but beyond
  // parseDecimal's bounds threw out of the schema's transform, out of safeParse and out of the
  // consumer's poll, so the message was never dead-lettered and came back forever.
  it.each(['9'.repeat(500), '1e999999', `0.${'0'.repeat(300)}1`])(
    'refuses out-of-range decimal text %#, naming the field, instead of throwing',
    (text) => {
      const body = JSON.parse(encodeDecisionMessage(aDecision('d-1'), T0, 'x').body);
      body.decision.intent.notional = text;
      const decoded = decodeDecisionMessage(JSON.stringify(body));
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.reason).toContain('decision.intent.notional');
    },
  );
});

describe('control envelopes', () => {
  it('round-trips every command kind on the single control group', () => {
    const base = { id: 'cmd-1', actor: 'operator', issuedAt: T0 };
    const commands = [
      { kind: 'emergency_stop', ...base, reason: 'exchange incident' },
      { kind: 'release_emergency', ...base, reason: 'checked' },
      { kind: 'close_all', ...base, reason: 'end of test' },
      { kind: 'start_trading', ...base },
      { kind: 'stop_trading', ...base },
      { kind: 'toggle_strategy', ...base, strategy: 'stat_arb', enabled: false },
    ] as const;
    for (const command of commands) {
      const out = encodeControlMessage(command, T0, 'cli');
      expect(out).toMatchObject({ groupId: CONTROL_GROUP_ID, dedupId: 'cmd-1' });
      const decoded = decodeControlMessage(out.body);
      if (!decoded.ok) throw new Error(decoded.reason);
      expect(decoded.message.command.kind).toBe(command.kind);
    }
  });

  it('defaults an emergency stop to halted and refuses one without a reason', () => {
    const out = encodeControlMessage(
      { kind: 'emergency_stop', id: 'c', actor: 'op', issuedAt: T0, reason: 'why' },
      T0,
      'cli',
    );
    const decoded = decodeControlMessage(out.body);
    expect(decoded.ok && decoded.message.command).toMatchObject({ state: 'halted' });
    const body = JSON.parse(out.body);
    delete body.command.reason;
    const bad = decodeControlMessage(JSON.stringify(body));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toContain('command.reason');
  });

  it('refuses an unknown strategy and an unknown command kind', () => {
    const toggle = JSON.parse(
      encodeControlMessage(
        { kind: 'toggle_strategy', id: 'c', actor: 'op', issuedAt: T0, strategy: 'stat_arb', enabled: true },
        T0,
        'cli',
      ).body,
    );
    toggle.command.strategy = 'yolo';
    expect(decodeControlMessage(JSON.stringify(toggle)).ok).toBe(false);
    toggle.command.kind = 'sell_everything_now';
    expect(decodeControlMessage(JSON.stringify(toggle)).ok).toBe(false);
  });
});
