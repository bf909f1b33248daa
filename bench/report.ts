import { readFile, writeFile } from 'node:fs/promises'
import * as prettier from 'prettier'
import type { Metrics, Row, ScenarioResult } from './scenario.js'
import { format } from './stats.js'

/** The markers around the generated part of docs/benchmark.md; text outside them is written by hand. */
export const BENCH_START = '<!-- bench:start -->'
export const BENCH_END = '<!-- bench:end -->'

export interface Environment {
  readonly node: string
  readonly cpus: number
  readonly cpuModel: string
  readonly memoryGb: number
  readonly platform: string
  readonly date: string
  readonly commit: string | null
  readonly loadAverageBefore: readonly number[]
  loadAverageAfter?: readonly number[]
  readonly repeats: number
  readonly quick: boolean
  readonly durationSeconds?: number
}

function cell(row: Row, metrics: Metrics): string {
  const values = row.show.map((key) => format(metrics[key]?.median ?? NaN, row.digits)).join(' / ')
  return values + (row.extra?.(metrics) ?? '')
}

export function ratio(row: Row): number {
  return (row.ours[row.ratioOf]?.median ?? NaN) / (row.baseline[row.ratioOf]?.median ?? NaN)
}

/** The ratio, with its interval in brackets where the row has one. */
function ratioCell(row: Row): string {
  const r = ratio(row)
  if (!Number.isFinite(r)) return '—'
  const interval = row.ratioInterval
  return interval ? `${r.toFixed(2)}× (${interval.low.toFixed(2)}–${interval.high.toFixed(2)})` : `${r.toFixed(2)}×`
}

const mark = (met: boolean | null) => (met === null ? '—' : met ? '✓' : '✗')

/** Formats Markdown as `npm run lint` expects it (the project's Prettier configuration). */
export async function formatMarkdown(markdown: string, path: string): Promise<string> {
  const config = (await prettier.resolveConfig(path)) ?? {}
  return prettier.format(markdown, { ...config, plugins: [], parser: 'markdown' })
}

/** The results as one Markdown table (medians), with the notes of the rows that have one below it. */
export function markdownTable(results: readonly ScenarioResult[]): string {
  const lines = [
    '| Scenario | Case | Measure | Ours | Baseline | Ours ÷ baseline | Target | Met |',
    '| --- | --- | --- | ---: | ---: | ---: | --- | :-: |',
  ]
  const notes: string[] = []
  for (const result of results) {
    for (const row of result.rows) {
      lines.push(
        `| ${row.scenario} | ${row.case} | ${row.measure} | ${cell(row, row.ours)} | ${cell(row, row.baseline)} | ${ratioCell(row)} | ${row.target} | ${mark(row.met)} |`,
      )
      if (row.note) notes.push(`- ${row.scenario} (${row.case}): ${row.note}`)
    }
  }
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n')
}

export function describeEnvironment(env: Environment): string {
  const load = (values: readonly number[] | undefined) => (values ? values.map((v) => v.toFixed(2)).join(', ') : '?')
  return (
    `${env.date.slice(0, 10)}, Node ${env.node}, ${env.cpus} × ${env.cpuModel}, ${env.memoryGb} GB` +
    `${env.commit ? `, HEAD ${env.commit}` : ''}; ${env.quick ? 'quick run, ' : ''}median of ${env.repeats} runs per figure` +
    ` (join: of ≥ 5 joins); load average before ${load(env.loadAverageBefore)}, after ${load(env.loadAverageAfter)}` +
    `${env.durationSeconds ? `; the whole bench took ${Math.round(env.durationSeconds / 60)} min` : ''}.`
  )
}

/**
 * Everything, machine-readable: the environment, per scenario its setup and rows with every run,
 * and the formatted table (so `--report` can rebuild docs/benchmark.md without running).
 */
export async function writeResults(path: string, environment: Environment, results: readonly ScenarioResult[], table: string) {
  const scenarios = results.map((result) => ({
    id: result.id,
    title: result.title,
    setup: result.setup,
    rows: result.rows.map((row) => ({
      scenario: row.scenario,
      case: row.case,
      measure: row.measure,
      ours: row.ours,
      baseline: row.baseline,
      ratio: { of: row.ratioOf, oursOverBaseline: ratio(row), ...(row.ratioInterval ? { interval: row.ratioInterval } : {}) },
      target: row.target,
      met: row.met,
      ...(row.note ? { note: row.note } : {}),
    })),
  }))
  await writeFile(path, JSON.stringify({ environment, table, scenarios }, null, 2) + '\n')
}

/**
 * Replaces what is between the bench markers in the benchmark page (docs/benchmark.md) with `body`,
 * formatted as Prettier would, so `npm run lint` passes. Nothing outside the markers changes; a page
 * without them gets them appended at its end.
 */
export async function updateBenchmarkPage(path: string, body: string) {
  const formatted = (await formatMarkdown(body, path)).trim()
  const page = await readFile(path, 'utf8')
  const start = page.indexOf(BENCH_START)
  const end = page.indexOf(BENCH_END)
  const updated =
    start >= 0 && end > start
      ? `${page.slice(0, start + BENCH_START.length)}\n\n${formatted}\n\n${page.slice(end)}`
      : `${page.trimEnd()}\n\n${BENCH_START}\n\n${formatted}\n\n${BENCH_END}\n`
  await writeFile(path, updated)
}

/** The environment and table of a results file written by `writeResults`. */
export async function readResults(path: string): Promise<{ environment: Environment; table: string }> {
  const { environment, table } = JSON.parse(await readFile(path, 'utf8')) as { environment: Environment; table: string }
  return { environment, table }
}
