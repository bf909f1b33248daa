/**
 * A word-level diff: the longest common subsequence of tokens (words, single spaces and
 * punctuation marks), after trimming the common prefix and suffix, which makes the usual small
 * edit of a long text cheap.
 */

export type DiffOp = { readonly type: 'equal' | 'insert' | 'delete'; readonly text: string }

/** Words, single whitespace characters (a line break separates blocks), single punctuation marks. */
const TOKEN = /[\p{L}\p{N}]+|\s|[^\p{L}\p{N}\s]/gu

export const tokenize = (text: string): string[] => text.match(TOKEN) ?? []

/** Above this many cells the middle is reported as one replacement instead of diffed. */
const MAX_CELLS = 4_000_000

export function diffWords(before: string, after: string): DiffOp[] {
  const a = tokenize(before)
  const b = tokenize(after)
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const tokens: Array<[DiffOp['type'], string]> = a.slice(0, start).map((t) => ['equal', t])
  const midA = a.slice(start, endA)
  const midB = b.slice(start, endB)
  if (midA.length * midB.length > MAX_CELLS) {
    for (const t of midA) tokens.push(['delete', t])
    for (const t of midB) tokens.push(['insert', t])
  } else {
    tokens.push(...lcsOps(midA, midB))
  }
  for (const t of a.slice(endA)) tokens.push(['equal', t])
  const ops: DiffOp[] = []
  for (const [type, token] of alignToWords(tokens)) {
    const last = ops.at(-1)
    if (last?.type === type) ops[ops.length - 1] = { type, text: last.text + token }
    else ops.push({ type, text: token })
  }
  return ops
}

const isSpace = (token: string | undefined) => token !== undefined && /^\s+$/u.test(token)

/**
 * Slides each run of insertions or deletions left over equal tokens it can rotate through, to the
 * place a reader expects: starting at a word and ending after a space ("umum " rather than
 * " umum"). Both placements describe the same change.
 */
function alignToWords(tokens: Array<[DiffOp['type'], string]>): Array<[DiffOp['type'], string]> {
  const out = [...tokens]
  let i = 0
  while (i < out.length) {
    const type = out[i]![0]
    if (type === 'equal') {
      i++
      continue
    }
    let start = i
    let stop = i
    while (stop < out.length && out[stop]![0] === type) stop++
    // Sliding one token left turns "E R…E" into "R… E" with the same tokens in the same order.
    while (start > 0 && out[start - 1]![0] === 'equal' && out[start - 1]![1] === out[stop - 1]![1]) {
      out[start - 1] = [type, out[start - 1]![1]]
      out[stop - 1] = ['equal', out[stop - 1]![1]]
      start--
      stop--
    }
    // Then slide right through every valid position, keeping the best.
    let best = start
    let bestScore = score(out, start, stop)
    while (stop < out.length && out[stop]![0] === 'equal' && out[stop]![1] === out[start]![1]) {
      out[stop] = [type, out[stop]![1]]
      out[start] = ['equal', out[start]![1]]
      start++
      stop++
      const current = score(out, start, stop)
      // Ties go right: an addition at the end stays at the end.
      if (current >= bestScore) {
        best = start
        bestScore = current
      }
    }
    while (start > best) {
      out[start - 1] = [type, out[start - 1]![1]]
      out[stop - 1] = ['equal', out[stop - 1]![1]]
      start--
      stop--
    }
    i = stop
  }
  return out
}

/** How well a run [start, stop) sits: it starts with a word, and ends with a space or at the end. */
function score(tokens: Array<[DiffOp['type'], string]>, start: number, stop: number): number {
  return (isSpace(tokens[start]?.[1]) ? 0 : 1) + (isSpace(tokens[stop - 1]?.[1]) || stop === tokens.length ? 1 : 0)
}

/** Classic LCS table walk; `n*m` is bounded by MAX_CELLS. */
function lcsOps(a: string[], b: string[]): Array<[DiffOp['type'], string]> {
  const n = a.length
  const m = b.length
  const table = new Uint32Array((n + 1) * (m + 1))
  const at = (i: number, j: number) => i * (m + 1) + j
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[at(i, j)] = a[i] === b[j] ? table[at(i + 1, j + 1)]! + 1 : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!)
    }
  }
  const out: Array<[DiffOp['type'], string]> = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push(['equal', a[i]!])
      i++
      j++
    } else if (table[at(i + 1, j)]! >= table[at(i, j + 1)]!) {
      out.push(['delete', a[i++]!])
    } else {
      out.push(['insert', b[j++]!])
    }
  }
  while (i < n) out.push(['delete', a[i++]!])
  while (j < m) out.push(['insert', b[j++]!])
  return out
}
