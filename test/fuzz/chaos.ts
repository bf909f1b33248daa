import * as Y from 'yjs'
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror'
import { EditorState } from 'prosemirror-state'
import type { Thread } from '../../shared/comments.js'
import { findIdRepairs } from '../../shared/model/ids.js'
import { schema } from '../../shared/model/schema.js'
import { FRAGMENT } from '../../shared/model/ydoc.js'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, api, connect, createAccount, roundTrip, waitFor, type TestClient } from '../harness/clients.js'
import { contentOf, insertPasalAfter, pasalElements } from '../harness/document.js'
import { pause, prng, type Random } from '../harness/random.js'

/**
 * A seeded chaos fuzzer through the real server (issue 6, THREAT_MODEL.md P13): stock y-websocket
 * clients on the sample draft make random edits on the real schema — typing and deleting in ayat,
 * inserting and deleting Pasal, splitting an ayat the way the editor does (a ProseMirror
 * transaction mapped onto Yjs by y-prosemirror) — and comment through the API, while clients drop
 * and re-open their connections and the server is restarted with SIGTERM or killed with SIGKILL.
 * At the end every client, a freshly loaded client, and the document after one more restart must
 * be identical, and every thread and reply the server accepted must still be listed.
 *
 * The seed fixes the sequence of operations; the interleaving with the network is left to chance,
 * as in Yjs `applyRandomTests`, so a failing seed usually, not always, fails again.
 */

const DOC = 'rapergub-spbe'
const THREADS = `/api/docs/${DOC}/threads`
const BIDANG = ['Bidang Aplikasi Informatika', 'Bidang TIK dan Persandian', 'Biro Hukum', 'Bidang Statistik', 'Sekretariat']
/** Below this many Pasal the fuzzer stops deleting them, so the document never runs dry. */
const MIN_PASAL = 20

export interface ChaosOptions {
  readonly seed: number
  /** Random operations in all. */
  readonly rounds: number
  /** Stock clients editing at once (at least 5 for the promise). */
  readonly clients: number
  /** Server restarts spread over the run; every other one is a kill -9. Default: one per 150 rounds. */
  readonly restarts?: number
  /** Extra server environment. Default: compaction every 40 updates, so crashes can hit it. */
  readonly env?: Readonly<Record<string, string>>
  /** How long the final convergence may take (ms). Default 30 s. */
  readonly convergeTimeoutMs?: number
  /** Called every `progressEvery` rounds and at the end. */
  readonly onProgress?: (progress: ChaosProgress) => void
  readonly progressEvery?: number
}

export interface ChaosProgress {
  readonly seed: number
  readonly round: number
  readonly rounds: number
  readonly restarts: number
  readonly kills: number
  readonly threads: number
  readonly replies: number
  readonly pasal: number
}

export interface ChaosReport extends ChaosProgress {
  /** How many times each operation ran. */
  readonly operations: Readonly<Record<string, number>>
  readonly durationMs: number
}

/** The run found a broken promise; `message` says which, with the seed to replay. */
export class ChaosFailure extends Error {
  constructor(
    readonly seed: number,
    message: string,
  ) {
    super(`chaos seed ${seed}: ${message}`)
    this.name = 'ChaosFailure'
  }
}

interface Person {
  readonly token: string
  readonly username: string
}

interface Replica {
  readonly person: Person
  client: TestClient
}

interface CreatedThread {
  readonly id: string
  /** Texts of every message the server accepted (201), in order. */
  readonly texts: string[]
}

const fingerprint = (doc: Y.Doc) => JSON.stringify(contentOf(doc))
const stateVector = (doc: Y.Doc) => Y.encodeStateVector(doc).join(',')
const yieldToNetwork = () => new Promise((resolve) => setImmediate(resolve))

/** Every Y.XmlText of a `teks` in a pasal (its ayat, rincian and butir). */
function textsOf(pasal: Y.XmlElement): Y.XmlText[] {
  const out: Y.XmlText[] = []
  const walk = (element: Y.XmlElement) => {
    for (const child of element.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (child.nodeName === 'teks') {
        const first = child.get(0)
        if (first instanceof Y.XmlText) out.push(first)
      } else walk(child)
    }
  }
  walk(pasal)
  return out
}

/**
 * Splits an ayat at a random point of its text as the editor's Enter does: a ProseMirror
 * `tr.split(pos, 2)` inside the `teks` of an ayat, the new ayat given a fresh id (the editor's
 * unit-id plugin keeps the old id on the first half, SPEC.md S4), applied with `updateYFragment`.
 */
function splitAyat(random: Random, doc: Y.Doc, freshId: () => string): boolean {
  const fragment = doc.getXmlFragment(FRAGMENT)
  const { doc: node, meta } = initProseMirrorDoc(fragment, schema)
  const inside: Array<{ from: number; to: number }> = []
  node.descendants((child, pos, parent) => {
    if (child.type.name === 'teks' && parent?.type.name === 'ayat') inside.push({ from: pos + 1, to: pos + 1 + child.content.size })
    return child.type.name !== 'teks'
  })
  if (inside.length === 0) return false
  const { from, to } = random.pick(inside)
  const tr = EditorState.create({ doc: node }).tr.split(random.between(from, to), 2)
  for (const repair of findIdRepairs(tr.doc, freshId)) tr.setNodeAttribute(repair.pos, 'id', repair.id)
  updateYFragment(doc, fragment, tr.doc, meta)
  return true
}

/** Runs one chaos session against a fresh server; resolves with a report or rejects with `ChaosFailure`. */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { seed, rounds } = options
  if (options.clients < 1 || rounds < 0) throw new RangeError('runChaos: needs at least one client and a non-negative number of rounds')
  const started = Date.now()
  const random = prng(seed)
  const fail = (message: string): never => {
    throw new ChaosFailure(seed, message)
  }

  let server: TestServer = await startServer({ env: { COMPACT_AFTER_UPDATES: '40', ...options.env } })
  const replicas: Replica[] = []
  try {
    const admin = await adminToken(server)
    const people: Person[] = await Promise.all(
      Array.from({ length: options.clients }, async (_, i) => {
        const { token, user } = await createAccount(server, 'editor', BIDANG[i % BIDANG.length], admin)
        return { token, username: user.username }
      }),
    )
    for (const person of people) replicas.push({ person, client: connect(server, DOC, person.token) })
    await Promise.all(replicas.map((r) => r.client.synced))

    // Seeded ids in base 36 (comment anchors take only [0-9a-z]), so a replay inserts the same Pasal.
    let nextId = 0
    const freshId = () => `k${seed.toString(36)}x${(nextId++).toString(36)}`
    const threads: CreatedThread[] = []
    const operations: Record<string, number> = {}
    const count = (operation: string) => (operations[operation] = (operations[operation] ?? 0) + 1)

    // One restart somewhere in the middle of each equal stretch of the first two thirds of the run
    // (the last third edits live, so a relay the server dropped is not healed by a resync); one
    // that falls while the previous is still going waits for it.
    const restartCount = options.restarts ?? Math.floor(rounds / 150)
    const stretch = (rounds * 2) / 3 / Math.max(1, restartCount)
    const restartAt = new Set(Array.from({ length: restartCount }, (_, i) => Math.floor(stretch * i + stretch / 4 + random.next() * (stretch / 2))))
    let dueRestarts = 0
    let restarts = 0
    let kills = 0
    let restarting: Promise<void> | null = null
    let restartError: unknown = null

    /** Stops the server (every other time with SIGKILL) and starts it again on the same data. */
    async function restart() {
      const kill = restarts % 2 === 1
      restarts += 1
      if (kill) {
        kills += 1
        await server.kill()
      } else {
        const code = await server.stop()
        if (code !== 0) fail(`SIGTERM exited with ${code}:\n${server.stderr().slice(-2000)}`)
      }
      server = await server.restart()
    }

    async function comment(replica: Replica) {
      const pasals = pasalElements(replica.client.doc)
      if (threads.length > 0 && random.chance(0.5)) {
        const thread = random.pick(threads)
        // The server trims messages; sending them trimmed keeps the comparison exact.
        const text = `Balasan ${thread.texts.length} dari ${replica.person.username}: ${random.word()}`.trim()
        const response = await api<Thread>(server, 'POST', `${THREADS}/${thread.id}/messages`, { token: replica.person.token, body: { text } })
        if (response.status !== 201) fail(`reply refused with ${response.status}: ${JSON.stringify(response.body)}`)
        thread.texts.push(text)
        count('reply')
        return
      }
      const pasalId = random.pick(pasals).getAttribute('id') as string
      const text = `Catatan ${threads.length} dari ${replica.person.username}: ${random.word()}`.trim()
      const response = await api<Thread>(server, 'POST', THREADS, { token: replica.person.token, body: { anchor: { pasalId }, text } })
      // 400: the Pasal is not (yet, or any more) in the server's document — a local insert not
      // stored yet, or one deleted meanwhile. Anything else is a broken promise.
      if (response.status === 400) return void count('comment on unknown pasal')
      if (response.status !== 201) fail(`thread refused with ${response.status}: ${JSON.stringify(response.body)}`)
      threads.push({ id: response.body.id, texts: [text] })
      count('comment')
    }

    function edit(replica: Replica, roll: number) {
      const doc = replica.client.doc
      const pasals = pasalElements(doc)
      if (roll < 0.05) {
        insertPasalAfter(random.pick(pasals), freshId(), `Pasal acak: ${random.word()} ${random.word()}.`)
        return count('insert pasal')
      }
      if (roll < 0.1) {
        if (pasals.length <= MIN_PASAL) return count('nothing')
        const victim = random.pick(pasals)
        const parent = victim.parent as Y.XmlElement
        parent.delete(parent.toArray().indexOf(victim), 1)
        return count('delete pasal')
      }
      if (roll < 0.17) return count(splitAyat(random, doc, freshId) ? 'split ayat' : 'nothing')
      const texts = textsOf(random.pick(pasals))
      if (texts.length === 0) return count('nothing')
      const text = random.pick(texts)
      if (roll < 0.45 && text.length > 0) {
        const at = random.int(text.length)
        text.delete(at, Math.min(1 + random.int(8), text.length - at))
        return count('delete text')
      }
      text.insert(random.int(text.length + 1), random.word())
      count('insert text')
    }

    const progress = (round: number, pasal = pasalElements(replicas[0]!.client.doc).length): ChaosProgress => ({
      seed,
      round,
      rounds,
      restarts,
      kills,
      threads: threads.length,
      replies: threads.reduce((sum, t) => sum + t.texts.length - 1, 0),
      pasal,
    })
    const every = options.progressEvery ?? 500

    for (let round = 0; round < rounds; round++) {
      if (restartError) throw restartError
      if (restartAt.has(round)) dueRestarts += 1
      if (dueRestarts > 0 && !restarting) {
        dueRestarts -= 1
        // Half the restarts are waited for; during the others the clients keep editing offline.
        const running = restart().then(
          () => void (restarting = null),
          (error: unknown) => void (restartError = error),
        )
        restarting = running
        if (random.chance(0.5)) await running
      }
      const replica = random.pick(replicas)
      const provider = replica.client.provider
      const roll = random.next()
      if (roll < 0.06) {
        if (provider.shouldConnect) provider.disconnect()
        else provider.connect()
        count(provider.shouldConnect ? 'connect' : 'disconnect')
      } else if (roll < 0.1 && !provider.shouldConnect) {
        provider.connect()
        count('connect')
      } else if (roll < 0.16) {
        // Comments go through HTTP, so they wait for a restart to finish.
        await restarting
        if (restartError) throw restartError
        await comment(replica)
      } else {
        edit(replica, random.next())
      }
      // A random amount of network progress, so messages interleave differently.
      for (let i = random.int(4); i > 0; i--) await yieldToNetwork()
      if (random.chance(0.02)) await pause(random.int(20))
      if ((round + 1) % every === 0) options.onProgress?.(progress(round + 1))
    }
    await restarting
    for (; dueRestarts > 0; dueRestarts--) await restart()
    if (restartError) throw restartError

    // Everyone back online: all clients, what the server serves, and what it stored must agree.
    for (const { client } of replicas) if (!client.provider.shouldConnect) client.provider.connect()
    const clients = replicas.map((r) => r.client)
    try {
      await waitFor(
        () =>
          clients.every((c) => c.provider.wsconnected && c.provider.synced) &&
          clients.every((c) => stateVector(c.doc) === stateVector(clients[0]!.doc)) &&
          clients.every((c) => fingerprint(c.doc) === fingerprint(clients[0]!.doc)),
        'all clients to converge',
        options.convergeTimeoutMs ?? 30_000,
      )
    } catch {
      const states = clients.map(
        (c, i) => `client ${i}: connected ${c.provider.wsconnected}, synced ${c.provider.synced}, state vector ${stateVector(c.doc)}`,
      )
      fail(`the clients did not converge (operations ${JSON.stringify(operations)})\n${states.join('\n')}`)
    }
    for (const client of clients) await roundTrip(client, 30_000)
    const converged = fingerprint(clients[0]!.doc)

    const freshContent = async (what: string) => {
      const fresh = connect(server, DOC, people[0]!.token)
      try {
        await fresh.synced
        if (fingerprint(fresh.doc) !== converged) fail(`${what} differs from what the clients converged to`)
      } finally {
        fresh.destroy()
      }
    }
    await freshContent('a freshly loaded client')
    for (const replica of replicas) replica.client.destroy()
    replicas.length = 0
    const code = await server.stop()
    if (code !== 0) fail(`the final SIGTERM exited with ${code}`)
    server = await server.restart()
    await freshContent('the document after one more restart')

    const listed = await api<Thread[]>(server, 'GET', THREADS, { token: people[0]!.token })
    if (listed.status !== 200) fail(`listing threads answered ${listed.status}`)
    const byId = new Map(listed.body.map((t) => [t.id, t]))
    for (const thread of threads) {
      const found = byId.get(thread.id)
      if (!found) fail(`thread ${thread.id} ("${thread.texts[0]}") is no longer listed`)
      const texts = found!.messages.map((m) => m.text)
      for (const text of thread.texts) if (!texts.includes(text)) fail(`thread ${thread.id} lost the message "${text}"`)
    }

    const report: ChaosReport = { ...progress(rounds, pasalCount(converged)), operations, durationMs: Date.now() - started }
    return report
  } finally {
    for (const replica of replicas) replica.client.destroy()
    await server.dispose()
  }
}

/** Pasal in a document fingerprint (ProseMirror JSON). */
function pasalCount(json: string): number {
  return json.match(/"type":"pasal"/g)?.length ?? 0
}
