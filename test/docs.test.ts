import { describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'

/**
 * The documentation names env vars, routes, paths and tests; each of those is read here from the
 * code or the tree, so a rename that leaves the docs behind fails a test instead of misleading an
 * operator.
 */
const ROOT = resolve(import.meta.dirname, '..')
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (name === 'node_modules' || name === 'dist') return []
    return statSync(join(ROOT, path)).isDirectory() ? files(path) : [path]
  })
}

const serverSources = files('server').filter((path) => path.endsWith('.ts') && !path.endsWith('.test.ts'))
const testFiles = ['shared', 'server', 'client/src', 'test'].flatMap(files).filter((path) => path.endsWith('.test.ts'))

/** Environment variables a source reads: `env.X`, `process.env.X`, and `integer(env, 'X', …)`-style helpers. */
function envNames(source: string): string[] {
  const direct = [...source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]!)
  const viaHelper = [...source.matchAll(/\(\s*env\s*,\s*'([A-Z][A-Z0-9_]*)'/g)].map((match) => match[1]!)
  return [...new Set([...direct, ...viaHelper])]
}

/** `[method, path]` of every `router.add('METHOD', '/path', …)`. */
function registeredRoutes(source: string): Array<[string, string]> {
  return [...source.matchAll(/router\.add\(\s*'([A-Z]+)'\s*,\s*'([^']+)'/g)].map((match) => [match[1]!, match[2]!])
}

/** Backticked tokens of a Markdown text. */
const codeSpans = (markdown: string) => [...markdown.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!)

/** Code spans that look like a repository path under one of the source folders. */
const repoPaths = (markdown: string) =>
  codeSpans(markdown).filter((span) => /^(server|client|shared|test)\/[\w./-]*$/.test(span) && !span.includes('…'))

/** A test file named in the docs: a path from the root, or a bare file name that must be unique. */
function resolveTestFile(name: string): string[] {
  if (name.includes('/')) return existsSync(join(ROOT, name)) ? [name] : []
  const found = testFiles.filter((path) => basename(path) === name)
  return found.length === 1 ? found : []
}

const DOCS = ['README.md', 'ARCHITECTURE.md', 'SPEC.md', 'THREAT_MODEL.md', 'PROTOCOL.md', ...files('docs').filter((p) => p.endsWith('.md'))]

describe('docs/configuration.md', () => {
  const configuration = read('docs/configuration.md')

  it('documents every environment variable the server reads', () => {
    const names = serverSources.flatMap((path) => envNames(read(path)))
    expect(names).toContain('MAX_SYNC_ANSWERS_PER_MINUTE')
    expect(names).toContain('LOG_LEVEL')
    expect(names.filter((name) => !configuration.includes(`\`${name}\``))).toEqual([])
  })

  it('finds variables however the code reads them', () => {
    const source = "env.HOST || 'x'; process.env.LOG_LEVEL; integer(env, 'PORT', 8080); flag(\n  env, 'SYNC_WRITES', true)"
    expect(envNames(source).sort()).toEqual(['HOST', 'LOG_LEVEL', 'PORT', 'SYNC_WRITES'])
  })
})

describe('docs/api.md', () => {
  const api = read('docs/api.md')
  const routes = files('server/http/routes').flatMap((path) => registeredRoutes(read(path)))

  it('lists every route the router registers, as `METHOD /path`', () => {
    expect(routes.length).toBeGreaterThan(25)
    expect(routes).toContainEqual(['POST', '/api/logout/all'])
    const documented = (method: string, path: string) => new RegExp(`\`${method} ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\`\\s?[]`).test(api)
    expect(routes.filter(([method, path]) => !documented(method, path)).map((route) => route.join(' '))).toEqual([])
  })

  it('explains every status the server answers with in the Conventions table', () => {
    const config = read('server/http/errors.ts') + read('server/http/server.ts')
    const statuses = [...new Set([...config.matchAll(/(?::|status:)\s*([45]\d\d)\b/g)].map((match) => match[1]!))]
    expect(statuses).toEqual(expect.arrayContaining(['429', '503', '500']))
    expect(statuses.filter((status) => !new RegExp(`^\\s*\\| ${status} +\\|`, 'm').test(api))).toEqual([])
  })

  it('reads routes written over several lines', () => {
    expect(registeredRoutes("router.add('GET', '/a', h)\nrouter.add(\n    'POST',\n    '/b/:id',\n    h)")).toEqual([
      ['GET', '/a'],
      ['POST', '/b/:id'],
    ])
  })
})

describe('paths named in the documentation', () => {
  it.each(DOCS)('%s names only paths that exist', (doc) => {
    expect(repoPaths(read(doc)).filter((path) => !existsSync(join(ROOT, path)))).toEqual([])
  })

  it('ARCHITECTURE.md names every server folder and every shared module', () => {
    const architecture = read('ARCHITECTURE.md')
    const folders = readdirSync(join(ROOT, 'server')).filter((name) => statSync(join(ROOT, 'server', name)).isDirectory())
    const shared = readdirSync(join(ROOT, 'shared')).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    expect(folders.filter((name) => !architecture.includes(`${name}/`))).toEqual([])
    expect(shared.filter((name) => !architecture.includes(name))).toEqual([])
  })

  it('README.md links to every document in docs/', () => {
    const readme = read('README.md')
    const docs = files('docs').filter((path) => path.endsWith('.md'))
    expect(docs.filter((path) => !readme.includes(`](${path})`))).toEqual([])
  })
})

describe('tests named in THREAT_MODEL.md and SPEC.md', () => {
  const threatModel = read('THREAT_MODEL.md')
  const promises = [...threatModel.matchAll(/^\| (P\d+a?) +\|(.*)\|(.*)\|(.*)\|\s*$/gm)].map((match) => ({
    id: match[1]!,
    test: match[4]!,
  }))

  it('numbers the promises P1, P2, … in order', () => {
    const numbers = promises.map((row) => row.id).filter((id) => !id.endsWith('a'))
    expect(numbers).toEqual(numbers.map((_, i) => `P${i + 1}`))
  })

  it.each(promises)('$id names test files that exist, and test names found in them', ({ test }) => {
    const named = codeSpans(test).filter((span) => span.endsWith('.test.ts'))
    expect(named.length).toBeGreaterThan(0)
    expect(named.filter((name) => resolveTestFile(name).length === 0)).toEqual([])
    const sources = named.flatMap(resolveTestFile).map(read).join('\n')
    const quoted = [...test.matchAll(/"([^"]+)"/g)].map((match) => match[1]!)
    expect(quoted.filter((name) => !sources.includes(name))).toEqual([])
  })

  it('SPEC.md links only test files that exist', () => {
    const named = codeSpans(read('SPEC.md')).filter((span) => span.endsWith('.test.ts'))
    expect(named.length).toBeGreaterThan(10)
    expect(named.filter((name) => resolveTestFile(name).length === 0)).toEqual([])
  })

  it('the Limits table names every limit the configuration reads', () => {
    const config = read('server/config.ts')
    const limitsBlock = config.slice(config.indexOf('limits: {'), config.indexOf('faultInjectionFile:', config.indexOf('limits: {')))
    const limits = [...envNames(limitsBlock), 'SESSION_HOURS']
    expect(limits).toContain('MAX_IMPORT_RATIO')
    const section = threatModel.slice(threatModel.indexOf('## Limits'), threatModel.indexOf('## Known residual risks'))
    expect(limits.filter((name) => !section.includes(`\`${name}\``))).toEqual([])
  })
})
