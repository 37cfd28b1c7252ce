/** Label values of one series; keys are label names. */
export type Labels = Readonly<Record<string, string>>;

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly series: Map<string, { labels: Labels; value: number }>;
  /** Read at render time (process and stream figures that live elsewhere). */
  collect?: () => readonly { labels: Labels; value: number }[];
}

function key(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
}

function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k] ?? '')}"`).join(',')}}`;
}

/** A counter family: only ever goes up. */
export interface Counter {
  inc(labels?: Labels, by?: number): void;
  value(labels?: Labels): number;
}

/** A gauge family: set to the current value. */
export interface Gauge {
  set(value: number, labels?: Labels): void;
  value(labels?: Labels): number;
}

/**
 * A minimal Prometheus registry (text format 0.0.4): counters and gauges with labels, plus gauges
 * collected at scrape time. Enough for `GET /metrics`; no client library needed for a dozen series.
 */
export class MetricsRegistry {
  readonly #families = new Map<string, Family>();

  counter(name: string, help: string): Counter {
    const family = this.#family(name, help, 'counter');
    return {
      inc: (labels = {}, by = 1) => {
        const k = key(labels);
        const s = family.series.get(k);
        if (s === undefined) family.series.set(k, { labels, value: by });
        else s.value += by;
      },
      value: (labels = {}) => family.series.get(key(labels))?.value ?? 0,
    };
  }

  gauge(name: string, help: string): Gauge {
    const family = this.#family(name, help, 'gauge');
    return {
      set: (value, labels = {}) => {
        family.series.set(key(labels), { labels, value });
      },
      value: (labels = {}) => family.series.get(key(labels))?.value ?? 0,
    };
  }

  /** A family whose series are read when scraped (`type` as Prometheus should treat it). */
  collected(
    name: string,
    help: string,
    type: 'counter' | 'gauge',
    collect: () => readonly { labels: Labels; value: number }[],
  ): void {
    const family = this.#family(name, help, type);
    family.collect = collect;
  }

  /** The exposition text. */
  render(): string {
    const lines: string[] = [];
    for (const f of this.#families.values()) {
      lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
      const series = f.collect === undefined ? [...f.series.values()] : f.collect();
      for (const s of series)
        lines.push(`${f.name}${formatLabels(s.labels)} ${Number.isFinite(s.value) ? s.value : 'NaN'}`);
    }
    return `${lines.join('\n')}\n`;
  }

  #family(name: string, help: string, type: Family['type']): Family {
    const existing = this.#families.get(name);
    if (existing !== undefined) {
      if (existing.type !== type) throw new Error(`metric ${name} registered as ${existing.type}`);
      return existing;
    }
    const family: Family = { name, help, type, series: new Map() };
    this.#families.set(name, family);
    return family;
  }
}

/** The executor's metric families, created once and passed to every component. */
export function executorMetrics(registry: MetricsRegistry) {
  return {
    registry,
    ordersPlaced: registry.counter('qts_executor_orders_placed_total', 'Orders the venue accepted.'),
    ordersRejected: registry.counter(
      'qts_executor_orders_rejected_total',
      'Orders refused by the venue (by Upbit error name) or by the risk check before sending (risk_<code>).',
    ),
    ordersCancelled: registry.counter('qts_executor_orders_cancelled_total', 'Cancel requests sent.'),
    fills: registry.counter('qts_executor_fills_total', 'Fills booked (each venue trade once).'),
    decisions: registry.counter('qts_executor_decisions_total', 'Decisions received, by outcome.'),
    queueLagSeconds: registry.gauge(
      'qts_executor_queue_lag_seconds',
      'Age of the last decision when it was received (now - sentAt).',
    ),
    reconciliations: registry.counter(
      'qts_executor_reconciliations_total',
      'Reconciliation runs, by result.',
    ),
    discrepancies: registry.counter(
      'qts_executor_reconcile_discrepancies_total',
      'Differences found between local state and the exchange, by kind.',
    ),
    lateWatched: registry.counter(
      'qts_executor_late_watch_started_total',
      'Requests given up after an unknown outcome that the executor started looking up by identifier.',
    ),
    lateWatching: registry.gauge(
      'qts_executor_late_watch_active',
      'Given-up requests being looked up now (a late arrival would be found within seconds).',
    ),
    lateLookups: registry.counter(
      'qts_executor_late_watch_lookups_total',
      'Lookups by identifier of given-up requests, by result (found, not_found, error).',
    ),
    lateFound: registry.counter(
      'qts_executor_late_watch_found_total',
      'Given-up requests the lookups found on the exchange (late arrivals), taken back and cancelled.',
    ),
    lateDetectionSeconds: registry.counter(
      'qts_executor_late_watch_detection_seconds_total',
      'Sum of the times from giving a request up to finding it late (divide by found_total for the mean).',
    ),
    lateWatchEnded: registry.counter(
      'qts_executor_late_watch_ended_total',
      'Watches ended without a lookup finding the request, by reason (window_ended, taken_back).',
    ),
    controlCommands: registry.counter('qts_executor_control_commands_total', 'Control commands obeyed.'),
    marketDataWrites: registry.counter(
      'qts_executor_market_data_writes_total',
      'Candles and feature rows written to the store.',
    ),
  };
}

/** The executor's metric families. */
export type ExecutorMetrics = ReturnType<typeof executorMetrics>;
