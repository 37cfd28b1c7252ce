import { describeStateStoreContract } from '../../../testing/state-store-contract';
import { MemoryStateStore } from './memory-state-store';

describeStateStoreContract('memory', () => new MemoryStateStore());

describe('MemoryStateStore options', () => {
  it('starts with trading disabled when configured so', async () => {
    const store = new MemoryStateStore({ defaultTradingEnabled: false });
    expect((await store.getControl()).tradingEnabled).toBe(false);
  });
});
