import { describeMarketDataStoreContract } from '../../../testing/market-data-store-contract';
import { MemoryMarketDataStore } from './memory-market-data-store';

describeMarketDataStoreContract('memory', () => new MemoryMarketDataStore());
