import { describeComponentStatusStoreContract } from '../../../testing/component-status-store-contract';
import { MemoryComponentStatusStore } from './memory-component-status-store';

describeComponentStatusStoreContract('memory', () => new MemoryComponentStatusStore());
