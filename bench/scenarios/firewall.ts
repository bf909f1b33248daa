import * as Y from 'yjs'
import { docFromState, keystrokeHistory, templateState } from '../content.js'
import { Runs, type BenchContext, type Metrics, type ScenarioResult } from '../scenario.js'
import { startOurs } from '../servers.js'
import { Samples } from '../stats.js'
import { latencyRow } from '../typing.js'
import { compareFanout, RATE } from './fanout.js'
import { SchemaFirewall } from '../../shared/model/firewall.js'
import { summariseUpdate } from '../../server/rooms/validation.js'
import { decodeUpdateSummary } from '../../server/rooms/updateSummary.js'

const KEYSTROKES = 5000
const FANOUT = [50, 5] as const

/**
 * The schema firewall's cost: per keystroke in-process (its check beside the two other things the
 * server does with every keystroke: proving it well-formed and applying it), and as fan-out latency
 * of our server with the firewall on and off (SCHEMA_FIREWALL=false, a setting for this bench only).
 * A keystroke is proven by the inline decoder (updateSummary.ts); the worker's proof, applying it
 * to a scratch document, is measured beside it: what an update the decoder cannot prove costs.
 */
export async function firewall(ctx: BenchContext): Promise<ScenarioResult> {
  const perKeystroke = measurePerKeystroke(ctx.repeats)
  ctx.log(
    `firewall: per keystroke p50 check ${perKeystroke.ours.check!.median.toFixed(1)} µs, inline proof ${perKeystroke.ours.prove!.median.toFixed(1)} µs, ` +
      `apply ${perKeystroke.ours.apply!.median.toFixed(1)} µs, worker's proof ${perKeystroke.ours.validate!.median.toFixed(1)} µs`,
  )
  const [n, w] = FANOUT
  const fanout = await measureFanout(ctx)
  return {
    id: 'firewall',
    title: 'Schema firewall',
    setup: {
      keystrokes: `${KEYSTROKES} edits in the sample draft (bursts at random places, ~10% backspaces), each checked then applied`,
      fanout: { clients: n, writers: w, keystrokesPerSecond: RATE, on: 'default', off: 'SCHEMA_FIREWALL=false' },
    },
    rows: [
      {
        scenario: 'Schema firewall',
        case: `${KEYSTROKES / 1000}k keystrokes, in-process`,
        measure: 'µs per keystroke p50: firewall / inline proof / apply / worker’s proof',
        ours: perKeystroke.ours,
        baseline: perKeystroke.baseline,
        show: ['check', 'prove', 'apply', 'validate'],
        digits: 1,
        ratioOf: 'apply',
        target: '—',
        met: null,
        note: 'the baseline has neither a firewall nor validation: it only applies. The ratio compares the apply step alone. A keystroke is proven by the inline decoder; the worker’s proof (applying the update to a scratch document, the hop to the worker not counted) is what an update the decoder cannot prove costs.',
      },
      // Both columns are ours: no target.
      {
        ...latencyRow('Schema firewall', `fan-out N=${n}, W=${w}: on (Ours) ÷ off (Baseline column)`, fanout.on, fanout.off),
        target: '—',
        met: null,
        note: 'both columns are our server; "Baseline" here is ours with SCHEMA_FIREWALL=false.',
      },
    ],
  }
}

/** Per keystroke: the firewall's check, the inline proof, Yjs applying it, and the worker's proof (summariseUpdate), in µs. */
function measurePerKeystroke(repeats: number): { ours: Metrics; baseline: Metrics } {
  const state = templateState('Bench')
  const runs = new Runs()
  for (let r = 0; r < repeats; r++) {
    const { updates } = keystrokeHistory(state, KEYSTROKES, 100 + r)
    const doc = docFromState(state)
    const schemaFirewall = new SchemaFirewall(doc)
    const check = new Samples()
    const prove = new Samples()
    const validate = new Samples()
    const apply = new Samples()
    const time = (samples: Samples, task: () => unknown) => {
      const start = process.hrtime.bigint()
      const result = task()
      samples.add(Number(process.hrtime.bigint() - start) / 1000)
      return result
    }
    for (const update of updates) {
      if (!time(prove, () => decodeUpdateSummary(update))) throw new Error('firewall bench: the inline decoder did not prove a keystroke')
      if (!time(validate, () => summariseUpdate(update))) throw new Error('firewall bench: a keystroke failed validation')
      const refusal = time(check, () => schemaFirewall.check(update))
      if (refusal) throw new Error(`firewall bench: a keystroke was refused: ${refusal}`)
      time(apply, () => Y.applyUpdate(doc, update))
    }
    runs.add('ours', { check: check.summary().p50, prove: prove.summary().p50, apply: apply.summary().p50, validate: validate.summary().p50 })
    runs.add('baseline', { apply: apply.summary().p50 })
  }
  return { ours: runs.metrics('ours'), baseline: runs.metrics('baseline') }
}

/** Fan-out p99 of our server with the firewall on (as 'ours') and off (as 'baseline'). */
async function measureFanout(ctx: BenchContext): Promise<{ on: Metrics; off: Metrics }> {
  const { ours, baseline } = await compareFanout(ctx, FANOUT, RATE, {
    ours: { label: 'firewall on', start: () => startOurs({ nodeArgs: ctx.oursNodeArgs }) },
    baseline: { label: 'firewall off', start: () => startOurs({ env: { SCHEMA_FIREWALL: 'false' } }) },
  })
  return { on: ours, off: baseline }
}
