import { describeClockContract } from '../../testing/clock-contract';
import { describeNotifierContract } from '../../testing/notifier-contract';
import { describeSecretsContract } from '../../testing/secrets-contract';
import { ManualClock } from './memory/manual-clock';
import { MemoryNotifier } from './memory/memory-notifier';
import { MemorySecrets } from './memory/memory-secrets';
import { EnvSecrets } from './system/env-secrets';
import { SystemClock } from './system/system-clock';

describeClockContract('ManualClock', () => {
  const clock = new ManualClock();
  return { clock, pass: (ms) => clock.advance(ms) };
});

describeClockContract('SystemClock', () => {
  const clock = new SystemClock();
  // The real clock is the thing under test here, so real time has to pass.
  return { clock, pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
});

describeSecretsContract('MemorySecrets', (values) => new MemorySecrets(values));
describeSecretsContract('EnvSecrets', (values) => new EnvSecrets(values));

describeNotifierContract('MemoryNotifier', () => {
  const notifier = new MemoryNotifier();
  return { notifier, delivered: async () => notifier.texts() };
});
