import { describeEquityHistoryStoreContract } from '../../../testing/equity-history-store-contract';
import { MemoryEquityHistoryStore } from './memory-equity-history-store';

describeEquityHistoryStoreContract('memory', () => new MemoryEquityHistoryStore());
