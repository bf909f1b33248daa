import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

/** STYLE.md principles 1, 3 and 4, checked mechanically on every import of the source tree. */
const ROOT = resolve(import.meta.dirname, '..')

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path)
    return /\.(ts|svelte)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : []
  })
}

/** Every module a file imports, with `import type` kept apart (type-only edges may point back). */
function imports(path: string): Array<{ from: string; typeOnly: boolean }> {
  const text = readFileSync(join(ROOT, path), 'utf8')
  const out: Array<{ from: string; typeOnly: boolean }> = []
  for (const match of text.matchAll(/^\s*import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    out.push({ from: match[2]!, typeOnly: Boolean(match[1]) })
  }
  for (const match of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push({ from: match[1]!, typeOnly: false })
  return out
}

const layerOf = (path: string, from: string) => {
  if (!from.startsWith('.')) return `package:${from.split('/')[0]}`
  return relative(ROOT, resolve(ROOT, path, '..', from)).split('/')[0]!
}

const all = [...sources('client/src'), ...sources('server'), ...sources('shared')]

describe('architecture', () => {
  it('shared depends on neither client nor server', () => {
    for (const path of sources('shared')) {
      for (const { from } of imports(path)) expect(layerOf(path, from), `${path} imports ${from}`).not.toMatch(/^(client|server)$/)
    }
  })

  it('client and server never import each other', () => {
    for (const path of sources('client/src'))
      for (const { from } of imports(path)) expect(layerOf(path, from), `${path} → ${from}`).not.toBe('server')
    for (const path of sources('server')) for (const { from } of imports(path)) expect(layerOf(path, from), `${path} → ${from}`).not.toBe('client')
  })

  it('only the transport imports ws, and only the LevelDB adapter imports level', () => {
    const importers = (pkg: string) =>
      all.filter((path) => imports(path).some((i) => !i.typeOnly && (i.from === pkg || i.from.startsWith(`${pkg}/`))))
    expect(importers('ws')).toEqual(['server/transport/ws.ts'])
    expect(importers('level')).toEqual(['server/storage/leveldb.ts'])
  })

  it('components expose no methods: nothing is called on a component through bind:this (STYLE.md 8)', () => {
    for (const path of sources('client/src').filter((p) => p.endsWith('.svelte'))) {
      const text = readFileSync(join(ROOT, path), 'utf8')
      expect(text, `${path} exports a function`).not.toMatch(/^\s*export\s+(async\s+)?function\b/m)
      expect(text, `${path} binds a component instance`).not.toMatch(/<[A-Z][\w.]*\b[^>]*\bbind:this=/)
    }
  })

  it('pages reach the API only through stores (they may import ApiError to read a failure)', () => {
    for (const path of sources('client/src/pages')) {
      const text = readFileSync(join(ROOT, path), 'utf8')
      for (const match of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"][./]*lib\/api\.js['"]/g)) {
        const names = match[1]!
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
        expect(names, `${path} imports from lib/api`).toEqual(names.filter((name) => name === 'ApiError'))
      }
    }
  })

  it('the client declares no record of the API itself: drafts, accounts, threads, versions and statuses come from shared', () => {
    const wire =
      /^\s*(?:export\s+)?(?:interface|type)\s+(Document\w*|ImportedDocument|IssuedSession|NewAccount|User|Thread|SnapshotMeta|StatusRecord)\b/m
    for (const path of sources('client/src')) {
      const text = readFileSync(join(ROOT, path), 'utf8')
      expect(text.match(wire)?.[0], `${path} declares an API record`).toBeUndefined()
    }
  })

  it('storage knows nothing of rooms, transport or HTTP', () => {
    for (const path of sources('server/storage')) {
      for (const { from } of imports(path)) expect(from, `${path} imports ${from}`).not.toMatch(/rooms|transport|http|^ws$/)
    }
  })
})
