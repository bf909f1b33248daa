import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

/**
 * STYLE.md principles 1, 3 and 4, checked mechanically on every import of the source tree, test
 * files included: a test beside the code obeys the rules of its folder (and may also use
 * `test/harness`). ARCHITECTURE.md draws the same layers.
 */
const ROOT = resolve(import.meta.dirname, '..')

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path)
    return /\.(ts|svelte)$/.test(name) ? [path] : []
  })
}

const isTest = (path: string) => /\.test\.ts$/.test(path)

/** Every module a file imports or re-exports, with `import type` kept apart. */
function imports(path: string): Array<{ from: string; typeOnly: boolean }> {
  const text = readFileSync(join(ROOT, path), 'utf8')
  const out: Array<{ from: string; typeOnly: boolean }> = []
  for (const match of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    out.push({ from: match[2]!, typeOnly: Boolean(match[1]) })
  }
  for (const match of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push({ from: match[1]!, typeOnly: false })
  return out
}

/** The repository path an import points at (`package:<name>` for a package). */
const target = (path: string, from: string) =>
  from.startsWith('.') ? relative(ROOT, resolve(ROOT, path, '..', from)) : `package:${from.split('/')[0]}`

/** Relative imports of a file, as repository paths. */
const localImports = (path: string) =>
  imports(path)
    .filter((i) => i.from.startsWith('.'))
    .map((i) => target(path, i.from))

/**
 * The server's layers. Each area names the areas it may import (type-only imports included);
 * every area may also import itself, `base` and `shared/`. Composition roots may import anything.
 * Read top to bottom: the transport and HTTP adapters call into the features and rooms, features
 * plug into rooms (rooms/hooks.ts), and everything stores through `storage/types.ts`.
 */
const SERVER_LAYERS: Readonly<Record<string, readonly string[] | 'anything'>> = {
  /** app.ts, main.ts, config.ts and the CLI: they compose the rest. */
  composition: 'anything',
  transport: ['rooms', 'limits'],
  http: [
    'auth',
    'comments',
    'snapshots',
    'agreement',
    'suggestions',
    'notifications',
    'audit',
    'documents',
    'amendments',
    'import',
    'export',
    'limits',
    'storage',
    'backup',
  ],
  /** Amendment drafts: created from a base draft, whose text is frozen as a version of the new one. */
  amendments: ['documents', 'snapshots'],
  /** Backup files, restore, and the proof that asks a running server for one. */
  backup: ['auth', 'storage'],
  comments: ['rooms', 'documents', 'storage'],
  snapshots: ['rooms', 'documents', 'storage'],
  agreement: ['rooms', 'documents', 'storage'],
  /** Replies on a suggestion's card are comment messages, cleaned as comments are. */
  suggestions: ['rooms', 'comments', 'storage'],
  rooms: ['auth', 'limits', 'storage'],
  /** Several servers: the signed relay header and HTTP forwarding to a document's owner. */
  cluster: ['storage'],
  import: ['documents', 'export'],
  documents: ['storage'],
  export: [],
  auth: ['storage'],
  audit: ['storage'],
  /** The bell: comments tell it of each message through their `CommentObserver`, without importing it. */
  notifications: ['storage'],
  /** Interfaces and both adapters: leveldb.ts, memory.ts and postgres/ (schema, SQL migrations, raw entries). */
  storage: [],
  /** Rate and concurrency limits: pure counters, no I/O. */
  limits: [],
  /** log.ts, text.ts, keyedQueue.ts, refusal.ts: small modules every layer uses. */
  base: [],
}

/** The layer of a path under server/. */
function areaOf(path: string): string {
  const [, first, second] = path.split('/')
  if (['server/app.ts', 'server/main.ts', 'server/config.ts'].includes(path) || first === 'cli') return 'composition'
  return second === undefined ? 'base' : first!
}

/** Why `path` may not import `to` (a repository path), or null when it may. */
function serverViolation(path: string, to: string): string | null {
  if (to.startsWith('shared/')) return null
  if (to.startsWith('test/harness/') && isTest(path)) return null
  if (!to.startsWith('server/')) return `${path} imports ${to}: the server imports only server/ and shared/`
  const from = areaOf(path)
  const into = areaOf(to)
  const allowed = SERVER_LAYERS[from]
  if (allowed === undefined) return `${path}: server/${from} has no row in SERVER_LAYERS (test/architecture.test.ts); give it one`
  if (allowed === 'anything' || into === from || into === 'base' || allowed.includes(into)) return null
  return `${path} imports ${to}: ${from} may import only ${[...allowed, 'base', 'shared'].join(', ')} (SERVER_LAYERS)`
}

const CLIENT = sources('client/src')
const SERVER = sources('server')
const SHARED = sources('shared')
const TESTS = sources('test')

describe('architecture', () => {
  it('finds the files it checks, tests among them', () => {
    for (const files of [CLIENT, SERVER, SHARED, TESTS]) expect(files.some(isTest)).toBe(true)
  })

  it('shared imports only shared, in its tests too', () => {
    for (const path of SHARED) for (const to of localImports(path)) expect(to, `${path} imports ${to}`).toMatch(/^shared\//)
  })

  it('the client imports only the client and shared, in its tests too', () => {
    for (const path of CLIENT) for (const to of localImports(path)) expect(to, `${path} imports ${to}`).toMatch(/^(client|shared)\//)
  })

  it('the test harness and suites use the server and shared, never the client internals', () => {
    for (const path of TESTS) for (const to of localImports(path)) expect(to, `${path} imports ${to}`).not.toMatch(/^client\//)
  })

  it('every server import follows the layers in SERVER_LAYERS, in tests beside the code too', () => {
    const violations = SERVER.flatMap((path) => localImports(path).flatMap((to) => serverViolation(path, to) ?? []))
    expect(violations).toEqual([])
  })

  it('rejects an import against the layers, with a message naming the rule', () => {
    expect(serverViolation('server/rooms/gateway.ts', 'server/transport/ws.ts')).toMatch(/rooms may import only auth, limits, storage, base, shared/)
    expect(serverViolation('server/rooms/gateway.ts', 'server/documents/documents.ts')).toMatch(/SERVER_LAYERS/)
    expect(serverViolation('server/storage/leveldb.ts', 'server/rooms/room.ts')).toMatch(/storage may import only base, shared/)
    expect(serverViolation('server/storage/leveldb.ts', 'client/src/lib/api.ts')).toMatch(/only server\/ and shared\//)
    expect(serverViolation('server/rooms/room.ts', 'test/harness/random.ts')).toMatch(/only server\/ and shared\//)
    expect(serverViolation('server/rooms/room.test.ts', 'test/harness/random.ts')).toBeNull()
    expect(serverViolation('server/transport/ws.ts', 'server/rooms/socket.ts')).toBeNull()
    expect(serverViolation('server/app.ts', 'server/transport/ws.ts')).toBeNull()
    expect(serverViolation('server/cli/users.ts', 'server/storage/leveldb.ts')).toBeNull()
    expect(serverViolation('server/nieuw/x.ts', 'server/log.ts')).toMatch(/server\/nieuw has no row/)
  })

  it('SERVER_LAYERS is a layering: no area reaches itself through the others', () => {
    const reaches = (from: string, seen: Set<string>): boolean => {
      const next = SERVER_LAYERS[from]
      if (next === 'anything' || next === undefined) return false
      return next.some((area) => seen.has(area) || reaches(area, new Set([...seen, area])))
    }
    for (const area of Object.keys(SERVER_LAYERS)) expect(reaches(area, new Set([area])), area).toBe(false)
    for (const area of Object.values(SERVER_LAYERS).flatMap((next) => (next === 'anything' ? [] : next))) {
      expect(SERVER_LAYERS, `${area} is named but has no row`).toHaveProperty(area)
    }
  })

  it('only the transport imports ws, only the LevelDB adapter imports classic-level, only the PostgreSQL adapter imports pg (the harness is a ws client)', () => {
    const importers = (pkg: string) =>
      [...CLIENT, ...SERVER, ...SHARED].filter((path) => imports(path).some((i) => !i.typeOnly && target(path, i.from) === `package:${pkg}`))
    expect(importers('ws')).toEqual(['server/transport/ws.ts'])
    expect(importers('classic-level')).toEqual(['server/storage/leveldb.ts'])
    expect(importers('pg')).toEqual(['server/storage/postgres/postgresStorage.ts'])
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
})
