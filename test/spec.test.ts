import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** SPEC.md promises that test names cite its invariants; this keeps the promise checked. */
const ROOT = resolve(import.meta.dirname, '..')

function testFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'node_modules' || name === 'fixtures' ? [] : testFiles(path)
    return name.endsWith('.test.ts') ? [path] : []
  })
}

/** The first argument of every `it(…)`, `test(…)` and `describe(…)` written as a string literal. */
function testNames(source: string): string[] {
  return [...source.matchAll(/\b(?:it|test|describe)(?:\.\w+)*\(\s*(['"`])((?:\\.|(?!\1)[\s\S])*?)\1/g)].map((match) => match[2]!)
}

/** The invariant ids a text cites (`S4`, `(P2, S2)`). */
const citedIds = (text: string) => [...text.matchAll(/\bS(\d+)\b/g)].map((match) => `S${match[1]}`)

const specIds = [...readFileSync(join(ROOT, 'SPEC.md'), 'utf8').matchAll(/^- \*\*(S\d+) /gm)].map((match) => match[1]!)
const cited = new Map<string, string[]>()
for (const path of ['shared', 'server', 'client/src', 'test'].flatMap(testFiles)) {
  for (const name of testNames(readFileSync(join(ROOT, path), 'utf8'))) {
    for (const id of citedIds(name)) cited.set(id, [...(cited.get(id) ?? []), `${path}: ${name}`])
  }
}

describe('SPEC.md invariants', () => {
  it('reads the numbered invariants S1, S2, … from SPEC.md in order', () => {
    expect(specIds.length).toBeGreaterThan(0)
    expect(specIds).toEqual(specIds.map((_, i) => `S${i + 1}`))
  })

  it('has every invariant cited by at least one test name', () => {
    expect(specIds.filter((id) => !cited.has(id))).toEqual([])
  })

  it('has no test name citing an invariant SPEC.md does not define', () => {
    expect([...cited].filter(([id]) => !specIds.includes(id)).flatMap(([, where]) => where)).toEqual([])
  })

  it('finds names in it, test, describe and their modifiers, whatever the quotes', () => {
    const source = "it('a (S1)', f)\ntest(\"b\", f)\ndescribe.skip(`c ${x} (S2)`, f)\nit.each([1])('d %s', f)\nsplit('e')"
    expect(testNames(source)).toEqual(['a (S1)', 'b', 'c ${x} (S2)'])
    expect(citedIds('keeps it (P1, S12; seed 4)')).toEqual(['S12'])
  })
})
