import { optionalNote, type Metrics, type Row } from './scenario.js'
import type { BenchServer, ServerName } from './servers.js'
import { joinNotes } from './typing.js'

/** A bucket line of the histogram: its upper bound and cumulative count. */
const BUCKET = /^rancang_relay_delay_seconds_bucket\{le="([^"]+)"\} (\d+)/

/** Cumulative counts of our server's relay-delay histogram, by upper bound in seconds (+Inf last). */
export type Buckets = ReadonlyArray<readonly [number, number]>

/** Our server's relay-delay histogram as `/metrics` shows it now (loopback may read it). */
export async function readRelayDelay(server: { readonly httpUrl: string }): Promise<Buckets> {
  const response = await fetch(`${server.httpUrl}/metrics`)
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`)
  return parseBuckets(await response.text())
}

/** The `rancang_relay_delay_seconds` buckets of a Prometheus text exposition. */
export function parseBuckets(text: string): Buckets {
  const buckets: Array<[number, number]> = []
  for (const line of text.split('\n')) {
    const match = BUCKET.exec(line)
    if (match) buckets.push([match[1] === '+Inf' ? Infinity : Number(match[1]), Number(match[2])])
  }
  return buckets.sort((a, b) => a[0] - b[0])
}

/**
 * The q-quantile (ms) of what was observed between two readings, interpolated linearly inside its
 * bucket as Prometheus's `histogram_quantile` does; NaN when nothing was observed. A quantile in
 * the last (+Inf) bucket is reported as the largest finite bound.
 */
export function quantileBetween(before: Buckets, after: Buckets, q: number): number {
  const earlier = new Map(before)
  const counts = after.map(([bound, count]) => [bound, count - (earlier.get(bound) ?? 0)] as const)
  const total = counts.at(-1)?.[1] ?? 0
  if (total === 0) return NaN
  const rank = q * total
  let lower = 0
  let below = 0
  for (const [bound, count] of counts) {
    if (count >= rank) {
      if (!Number.isFinite(bound)) return lower * 1000
      const inside = count - below
      return (lower + (bound - lower) * (inside === 0 ? 0 : (rank - below) / inside)) * 1000
    }
    lower = bound
    below = count
  }
  return lower * 1000
}

/** What our server's own histogram says of a run: how long a relayed keystroke spent inside it (ms). */
export interface InsideServer {
  readonly insideP50: number
  readonly insideP99: number
}

/** Runs `run` against `server`; for ours, with what its relay-delay histogram saw meanwhile. */
export async function withInside<R>(server: BenchServer<ServerName>, run: () => Promise<R>): Promise<R & { inside: InsideServer | null }> {
  const before = server.kind === 'ours' ? await readRelayDelay(server) : null
  const result = await run()
  const after = before ? await readRelayDelay(server) : null
  const inside = before && after ? { insideP50: quantileBetween(before, after, 0.5), insideP99: quantileBetween(before, after, 0.99) } : null
  return { ...result, inside }
}

/** For the progress log: nothing, or what our server held. */
export const describeInside = (inside: InsideServer | null) =>
  inside ? `; inside the server p50 ${inside.insideP50.toFixed(2)} p99 ${inside.insideP99.toFixed(2)} ms` : ''

/**
 * A latency row of ours with a note on how much of a keystroke's way our server held it (arrival
 * → relay by its own histogram, median of the runs); the rest of the way (sockets, the kernel, the
 * clients' event loops) every server pays.
 */
export function withInsideNote(row: Row, ours: Metrics): Row {
  const [p50, p99] = [ours.insideP50?.median, ours.insideP99?.median]
  if (p50 === undefined || p99 === undefined || !Number.isFinite(p99)) return row
  const note =
    `inside our server (a keystroke's arrival → its relay, by its own \`rancang_relay_delay_seconds\`, interpolated in its buckets): ` +
    `p50 ${p50.toFixed(2)}, p99 ${p99.toFixed(2)} ms; the rest of the way (sockets, kernel, the clients) every server pays.`
  return { ...row, ...optionalNote(joinNotes(row.note, note)) }
}
