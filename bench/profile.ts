import { readFile, readdir } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'

/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): self time by function and by file, so a missed
 * target can be traced to what bounds it.
 *
 *   tsx bench/profile.ts <file.cpuprofile | directory> [--top 25]
 */

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly hitCount?: number
  readonly children?: readonly number[]
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly startTime: number
  readonly endTime: number
  readonly samples?: readonly number[]
  readonly timeDeltas?: readonly number[]
}

export interface SelfTime {
  readonly name: string
  readonly ms: number
  readonly share: number
}

export interface ProfileSummary {
  readonly totalMs: number
  /** Time the thread was not idle (JavaScript, the natives it calls, GC, "(program)"); shares are of this. */
  readonly activeMs: number
  readonly byFunction: SelfTime[]
  readonly byFile: SelfTime[]
  /** Our own functions (dist/) with everything they call: where the time is spent from the server's point of view. */
  readonly inclusiveOurs: SelfTime[]
}

const ROOT = resolve(import.meta.dirname, '..')

/** Self time per function ("name (file:line)") and per file, from the samples and their time deltas. */
export function summarise(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfUs = new Map<number, number>()
  if (profile.samples && profile.timeDeltas) {
    // Each delta is the time until the next sample; charge it to the node sampled.
    for (let i = 0; i < profile.samples.length; i++) {
      const delta = profile.timeDeltas[i + 1] ?? 0
      selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + Math.max(0, delta))
    }
  } else {
    const interval =
      (profile.endTime - profile.startTime) /
      Math.max(
        1,
        profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0),
      )
    for (const node of profile.nodes) selfUs.set(node.id, (node.hitCount ?? 0) * interval)
  }
  const functions = new Map<string, number>()
  const files = new Map<string, number>()
  let totalUs = 0
  let activeUs = 0
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (!node) continue
    totalUs += us
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)') continue
    activeUs += us
    const file = shortFile(url)
    const name = `${functionName || '(anonymous)'}${file ? ` (${file}:${lineNumber + 1})` : ''}`
    functions.set(name, (functions.get(name) ?? 0) + us)
    const fileKey = file || functionName
    files.set(fileKey, (files.get(fileKey) ?? 0) + us)
  }
  // Inclusive time of our own functions: charge each sample to every distinct one of ours above it.
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const inclusive = new Map<string, number>()
  for (const [id, us] of selfUs) {
    if (byId.get(id)?.callFrame.functionName === '(idle)') continue
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame
      if (!frame || !shortFile(frame.url).startsWith('dist/')) continue
      const name = `${frame.functionName || '(anonymous)'} (${shortFile(frame.url)}:${frame.lineNumber + 1})`
      if (seen.has(name)) continue
      seen.add(name)
      inclusive.set(name, (inclusive.get(name) ?? 0) + us)
    }
  }
  const rank = (map: Map<string, number>) =>
    [...map.entries()].map(([name, us]) => ({ name, ms: us / 1000, share: activeUs > 0 ? us / activeUs : 0 })).sort((a, b) => b.ms - a.ms)
  return { totalMs: totalUs / 1000, activeMs: activeUs / 1000, byFunction: rank(functions), byFile: rank(files), inclusiveOurs: rank(inclusive) }
}

/** Paths relative to the project, node_modules shortened to the package. */
function shortFile(url: string): string {
  if (!url) return ''
  const path = url.startsWith('file://') ? new URL(url).pathname : url
  const modules = path.lastIndexOf('/node_modules/')
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length)
  return path.startsWith('/') ? relative(ROOT, path) : path
}

export function formatSummary(summary: ProfileSummary, top = 25): string {
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`.padStart(6)
  const lines = [
    `${summary.totalMs.toFixed(0)} ms sampled, ${summary.activeMs.toFixed(0)} ms not idle (${pct(summary.activeMs / summary.totalMs).trim()}); shares are of the time not idle`,
    '',
    'self time by function:',
    ...summary.byFunction.slice(0, top).map((f) => `${pct(f.share)} ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}`),
    '',
    'self time by file:',
    ...summary.byFile.slice(0, Math.ceil(top / 2)).map((f) => `${pct(f.share)} ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}`),
    '',
    'our functions, including what they call:',
    ...summary.inclusiveOurs.slice(0, Math.ceil(top / 2)).map((f) => `${pct(f.share)} ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}`),
  ]
  return lines.join('\n')
}

async function main() {
  const args = process.argv.slice(2)
  const topIndex = args.indexOf('--top')
  const top = topIndex >= 0 ? Number(args.splice(topIndex, 2)[1]) : 25
  const target = args[0]
  if (!target) {
    process.stderr.write('usage: tsx bench/profile.ts <file.cpuprofile | directory> [--top 25]\n')
    process.exit(2)
  }
  const files = target.endsWith('.cpuprofile')
    ? [target]
    : (await readdir(target)).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f))
  for (const file of files) {
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile
    process.stdout.write(`== ${file}\n${formatSummary(summarise(profile), top)}\n\n`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
