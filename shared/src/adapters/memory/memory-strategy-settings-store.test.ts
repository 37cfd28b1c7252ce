import { describeStrategySettingsStoreContract } from '../../../testing/strategy-settings-store-contract';
import { MemoryStateStore } from './memory-state-store';
import { MemoryStrategySettingsStore } from './memory-strategy-settings-store';

describeStrategySettingsStoreContract('memory', () => {
  const state = new MemoryStateStore();
  return { store: new MemoryStrategySettingsStore(state), audit: state };
});
