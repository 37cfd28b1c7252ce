import { FailedAttempts, redriveReceivesNeeded } from './failed-attempts';

describe('FailedAttempts', () => {
  it('counts failures per message id and forgets finished messages', () => {
    const attempts = new FailedAttempts();
    expect(attempts.record('a')).toBe(1);
    expect(attempts.record('a')).toBe(2);
    expect(attempts.record('b')).toBe(1);
    attempts.forget('a');
    expect(attempts.count('a')).toBe(0);
    expect(attempts.size()).toBe(1);
  });

  it('stays bounded, dropping the message that failed longest ago', () => {
    const attempts = new FailedAttempts(2);
    attempts.record('old');
    attempts.record('mid');
    attempts.record('old');
    attempts.record('new');
    expect(attempts.size()).toBe(2);
    expect(attempts.count('mid')).toBe(0);
    expect(attempts.count('old')).toBe(2);
  });

  it('sizes the redrive limit for every message ahead in a batch failing all its attempts', () => {
    expect(redriveReceivesNeeded(5, 10)).toBe(50);
  });
});
