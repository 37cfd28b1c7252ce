import {
  COMPONENT_NAMES,
  type ComponentName,
  type ComponentStatus,
  type ComponentStatusStore,
} from '../../ports/component-status-store';

/**
 * In-memory {@link ComponentStatusStore}: newest `at` wins like the DynamoDB adapter's conditional
 * put; statuses are copied through JSON so a caller mutating its object cannot change the record.
 */
export class MemoryComponentStatusStore implements ComponentStatusStore {
  private readonly statuses = new Map<ComponentName, string>();

  async putStatus(status: ComponentStatus): Promise<'stored' | 'stale'> {
    const stored = await this.getStatus(status.component);
    if (stored !== undefined && stored.at > status.at) return 'stale';
    this.statuses.set(status.component, JSON.stringify(status));
    return 'stored';
  }

  async getStatus(component: ComponentName): Promise<ComponentStatus | undefined> {
    const json = this.statuses.get(component);
    return json === undefined ? undefined : (JSON.parse(json) as ComponentStatus);
  }

  async listStatuses(): Promise<ComponentStatus[]> {
    const out: ComponentStatus[] = [];
    for (const name of COMPONENT_NAMES) {
      const status = await this.getStatus(name);
      if (status !== undefined) out.push(status);
    }
    return out;
  }
}
