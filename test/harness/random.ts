/** A seeded pseudo-random source, so a failing random test can be replayed from its seed. */
export interface Random {
  /** A number in [0, 1). */
  next(): number
  /** An integer in [0, max). */
  int(max: number): number
  /** An integer in [min, max]. */
  between(min: number, max: number): number
  /** True with probability `p`. */
  chance(p: number): boolean
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T
  /** A short lower-case word, for text edits. */
  word(): string
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz ABCDEÉ,.;()0123456789'

/** mulberry32: small, fast and good enough for choosing test operations. */
export function prng(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  const int = (max: number) => Math.floor(next() * max)
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('Random.pick: empty array')
    return items[int(items.length)]!
  }
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick,
    word: () => Array.from({ length: 1 + int(6) }, () => LETTERS[int(LETTERS.length)]).join(''),
  }
}

/** Waits `ms`: only for choosing a random moment to act, never to wait for a condition (use `waitFor`). */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
