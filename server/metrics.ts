import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * The server's Prometheus metrics, one registry per process (like `log`): every layer counts what
 * it sees, `GET /metrics` renders them. Every name starts with `rancang_`, Node's default metrics
 * included (event-loop lag, heap, CPU). Hot paths only add to a number or keep one (the per-keystroke
 * counters and histograms are folded in when scraped); the gauges are read when scraped.
 */
export const registry = new Registry()
// Event-loop lag sampled every 100 ms, not prom-client's 10: that timer woke an idle server 100
// times a second (a hundredth of a core); a stall long enough to matter is still seen.
collectDefaultMetrics({ register: registry, prefix: 'rancang_', eventLoopMonitoringPrecision: 100 })

const registers = [registry]

/** A counter's child for each of `values` of its one label, made (and shown, at 0) up front. */
function byLabel<V extends string>(counter: Counter<string>, values: readonly V[]): Record<V, Counter.Internal> {
  return Object.fromEntries(values.map((value) => [value, counter.labels(value)])) as Record<V, Counter.Internal>
}
/** Store and validation times: 0.5 ms to 5 s. */
const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
/** The relay delay: 0.1 ms (an idle server's keystroke takes a few tenths) to 1 s. */
const RELAY_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]

/** Observations a deferred histogram holds before it folds them in without waiting for a scrape. */
const DEFERRED_OBSERVATIONS = 1024

/** What the hot path may do with a histogram. */
export interface Observer {
  observe(value: number): void
}

/** What the hot path may do with a counter. */
export interface Tally {
  inc(by?: number): void
}

/** A counter counted on every keystroke: a plain number, added to prom-client's counter when scraped (see deferredHistogram). */
function deferredCounter(config: { readonly name: string; readonly help: string }): Tally {
  let kept = 0
  new Counter({
    ...config,
    registers,
    collect() {
      if (kept > 0) this.inc(kept)
      kept = 0
    },
  })
  return {
    inc(by = 1) {
      kept += by
    },
  }
}

/**
 * A histogram observed on every keystroke: an observation is kept in an array and folded into
 * prom-client's buckets when scraped (or once `DEFERRED_OBSERVATIONS` are kept). At typing rates
 * the server sleeps between keystrokes, and prom-client's `observe` run cold (label hashing, a walk
 * of the buckets) took tens of microseconds on the way to the relay; pushing a number does not.
 */
function deferredHistogram(config: { readonly name: string; readonly help: string }, buckets: readonly number[] = SECONDS): Observer {
  const kept: number[] = []
  const fold = (histogram: Histogram) => {
    for (const value of kept) histogram.observe(value)
    kept.length = 0
  }
  const histogram = new Histogram({
    ...config,
    buckets: [...buckets],
    registers,
    collect() {
      fold(this)
    },
  })
  return {
    observe(value) {
      if (kept.push(value) >= DEFERRED_OBSERVATIONS) fold(histogram)
    },
  }
}

export const metrics = {
  updatesReceived: deferredCounter({
    name: 'rancang_updates_received_total',
    help: 'Non-empty Yjs updates received from clients over WebSockets.',
  }),
  /** By reason, as children made once: the hot path does not build a label object per update. */
  updatesRefused: byLabel(
    new Counter({
      name: 'rancang_updates_refused_total',
      help: 'Updates refused: reason="invalid" (failed validation or its budget), reason="read-only" (the account may not edit).',
      labelNames: ['reason'] as const,
      registers,
    }),
    ['invalid', 'read-only'],
  ),
  updatesStored: deferredCounter({
    name: 'rancang_updates_stored_total',
    help: 'Updates durably stored (group commit), from clients and from the server (restores).',
  }),
  storeBatches: deferredCounter({ name: 'rancang_store_batches_total', help: 'Group-commit batches written.' }),
  storeLatency: deferredHistogram({
    name: 'rancang_store_latency_seconds',
    help: 'Per batch: time from its oldest update joining the group commit until the batch was stored durably, i.e. acknowledged (waiting behind the previous batch, retries, the write and the fsync).',
  }),
  storeBatchWrite: deferredHistogram({
    name: 'rancang_store_batch_write_seconds',
    help: "Time of one successful batch write of the group commit: into LevelDB's log (relayed after it; the fsync follows beside the next writes), or a PostgreSQL commit.",
  }),
  relayDelay: deferredHistogram(
    {
      name: 'rancang_relay_delay_seconds',
      help: "Per client update relayed: time from its arrival at the document until its relay was handed to the other clients' sockets (proof, schema firewall, the write into LevelDB's log or the PostgreSQL commit, the relay loop): what the server adds to an edit's way to the others.",
    },
    RELAY_SECONDS,
  ),
  validation: deferredHistogram({
    name: 'rancang_update_validation_seconds',
    help: 'Time to prove an update well-formed: inline on the main thread (a keystroke, a paste), or from handing it to the validation worker until its verdict (including the wait behind earlier updates).',
  }),
  logins: byLabel(
    new Counter({
      name: 'rancang_logins_total',
      help: 'Sign-in attempts by outcome: succeeded, failed (wrong username or password), throttled (refused before checking).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    ['succeeded', 'failed', 'throttled'],
  ),
  exports: new Counter({ name: 'rancang_exports_total', help: 'Exports served, by format.', labelNames: ['format'] as const, registers }),
}

/** What the gauges read when scraped; `app.ts` wires them to the live server. */
export interface GaugeSources {
  readonly connections: () => number
  readonly documentsOpen: () => number
  /** Loaded documents whose Y.Doc is built; the rest are served from their stored bytes. */
  readonly documentsBuilt: () => number
  /** Bytes queued to clients and not yet sent, over every WebSocket: the relay backlog. */
  readonly relayQueueBytes: () => number
  readonly syncWrites: boolean
  /** Whether the validation worker thread is up (it starts for an update the main thread cannot prove). */
  readonly validationWorkerRunning: () => boolean
  /** The optional modules (`lazyModule.ts`) and whether each has been loaded. */
  readonly optionalModules: () => ReadonlyArray<{ readonly moduleName: string; readonly loaded: boolean }>
}

export function registerGauges(sources: GaugeSources) {
  const gauge = (name: string, help: string, read: () => number) => {
    // A server started again in the same process (tests) rewires its gauges.
    registry.removeSingleMetric(name)
    return new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read())
      },
    })
  }
  gauge('rancang_connections', 'Open WebSocket connections.', sources.connections)
  gauge('rancang_documents_open', 'Documents loaded in memory (with at least one connection or recently used).', sources.documentsOpen)
  gauge('rancang_documents_built', 'Loaded documents whose Y.Doc is built (edited or read by a feature since loading).', sources.documentsBuilt)
  gauge('rancang_relay_queue_bytes', 'Bytes queued to clients over every WebSocket and not yet sent.', sources.relayQueueBytes)
  gauge('rancang_sync_writes', '1 when every batch is fsynced before it counts as stored (SYNC_WRITES), else 0.', () => (sources.syncWrites ? 1 : 0))
  gauge('rancang_validation_worker_running', '1 while the validation worker thread is up, else 0.', () => (sources.validationWorkerRunning() ? 1 : 0))
  registry.removeSingleMetric('rancang_module_loaded')
  new Gauge({
    name: 'rancang_module_loaded',
    help: 'Optional modules loaded on first use (export, postgres): 1 once loaded, else 0.',
    labelNames: ['module'] as const,
    registers,
    collect() {
      for (const { moduleName, loaded } of sources.optionalModules()) this.set({ module: moduleName }, loaded ? 1 : 0)
    },
  })
}
