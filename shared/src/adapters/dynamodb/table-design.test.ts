import { T0 } from '../../../testing/state-builders';
import { Keys, padTime } from './table-keys';

// Pure key-layout rules. Every access pattern of infra/README.md is exercised on DynamoDB Local by
// the contract suites (dynamodb-state-store.test.ts, dynamodb-stores.test.ts).

describe('state table key design', () => {
  it('pads instants so lexical order is time order', () => {
    expect(padTime(5)).toBe('0000000000005');
    expect(padTime(T0) < padTime(T0 + 1)).toBe(true);
    expect(padTime(999) < padTime(1_000)).toBe(true);
  });

  it('puts the orders of a decision in its partition and foreign identifiers in their own', () => {
    expect(Keys.order('qts.ens-BTC-1.2.0')).toEqual({
      pk: 'DECISION#ens-BTC-1',
      sk: 'ORDER#qts.ens-BTC-1.2.0',
    });
    expect(Keys.order('manual-web-123')).toEqual({ pk: 'ORDER#manual-web-123', sk: 'ORDER' });
  });
});
