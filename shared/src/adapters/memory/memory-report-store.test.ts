import { describeReportStoreContract } from '../../../testing/report-store-contract';
import { MemoryReportStore } from './memory-report-store';

describeReportStoreContract('memory', () => new MemoryReportStore());
