import { describeSignalLogContract } from '../../../testing/signal-log-contract';
import { describeStrategyStateStoreContract } from '../../../testing/strategy-state-store-contract';
import { MemorySignalLog } from './memory-signal-log';
import { MemoryStrategyStateStore } from './memory-strategy-state-store';

describeStrategyStateStoreContract('memory', () => new MemoryStrategyStateStore());
describeSignalLogContract('memory', () => new MemorySignalLog());
