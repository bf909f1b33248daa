import * as Y from 'yjs'
import { seedBaseline } from '../baselineStore.js'
import { fetchState, Typist } from '../clients.js'
import { probeJoin } from '../joinProbe.js'
import { docFromState, phraseHistory, textsOf, type History } from '../content.js'
import { Runs, type BenchContext, type ScenarioResult } from '../scenario.js'
import { startBaseline, startOurs, tempDir, type BenchServer } from '../servers.js'
import { median, sleep } from '../stats.js'
import { connectAll, startTyping } from '../typing.js'
import { openSender, writeHistory } from '../writer.js'

const DOC = 'rapergub-spbe'
const PHRASE = 20

/**
 * Join: a new client (a process of its own, `probeJoin`) opens a document of ~1 MB of text built by 50k edits, while 50 others type
 * (10 keystrokes/s each). Measured from opening the socket to the complete answer to its sync
 * step 1 (the whole document) — the server's part; applying 1 MB in the client's Y.Doc is the
 * client's and is reported alongside, not in the figure.
 */
export async function join(ctx: BenchContext): Promise<ScenarioResult> {
  const edits = ctx.quick ? 10_000 : 50_000
  const typistCount = ctx.quick ? 20 : 50
  const joins = Math.max(5, ctx.repeats)
  const ours = await startOurs({ nodeArgs: ctx.oursNodeArgs })
  const servers: BenchServer[] = [ours]
  const runs = new Runs()
  let documentBytes = 0
  let textChars = 0
  try {
    const seed = await fetchState(ours.docUrl(DOC))
    ctx.log(`join: generating ${edits} edits of ${PHRASE} characters`)
    const history = phraseHistory(seed, edits, PHRASE, 7)
    textChars = textsOf(history.doc).reduce((sum, text) => sum + text.length, 0)
    const dir = await tempDir('baseline')
    await seedBaseline(dir, [{ name: DOC, state: seed }])
    servers.push(await startBaseline({ dataDir: dir }))

    // Both at once: sending is not measured. Each sender stays until its typists hold the draft open.
    const senders = await Promise.all(
      servers.map(async (server) => {
        ctx.log(`  ${server.kind}: sending the history`)
        const sender = await openSender(server, DOC)
        await writeHistory(sender, server.kind, history)
        return sender
      }),
    )
    // The baseline writes what it relayed afterwards: nothing may still be busy when the other is measured.
    await Promise.all(servers.map((server) => server.waitIdle()))
    for (const [i, server] of servers.entries()) {
      const kind = server.kind
      const typists = await connectTypists(server, history, typistCount)
      await senders[i]!.close()
      await server.waitIdle()
      const typing = startTyping(typists, 10)
      await sleep(2000)
      for (let j = 0; j < joins; j++) {
        const { ms, applyMs, bytes } = await probeJoin(server.docUrl(DOC))
        documentBytes = bytes
        ctx.log(`  ${kind} join ${j + 1}: ${ms.toFixed(1)} ms (${(bytes / 1e6).toFixed(2)} MB; client apply ${applyMs.toFixed(0)} ms)`)
        runs.add(kind, { ms, applyMs })
        await sleep(500)
      }
      typing.stop()
      await Promise.all(typists.map((typist) => typist.close()))
    }
  } finally {
    await Promise.all(servers.map((server) => server.dispose()))
  }
  const result = { ours: runs.metrics('ours'), baseline: runs.metrics('baseline') }
  return {
    id: 'join',
    title: 'Join',
    setup: { document: DOC, edits, charactersPerEdit: PHRASE, textCharacters: textChars, stateBytes: documentBytes, typists: typistCount, joins },
    rows: [
      {
        scenario: 'Join',
        case: `${(textChars / 1e6).toFixed(2)} M chars, ${edits / 1000}k edits, ${typistCount} typing`,
        measure: 'ms to full sync step 2',
        ...result,
        show: ['ms'],
        digits: 0,
        ratioOf: 'ms',
        target: '< 150 ms',
        met: result.ours.ms!.median < 150,
        note: `a client then needs about ${Math.round(median([...result.ours.applyMs!.runs, ...result.baseline.applyMs!.runs]))} ms to apply the ${(documentBytes / 1e6).toFixed(1)} MB state to its Y.Doc (not included).`,
      },
    ],
  }
}

/** Connects the typists to a draft holding `history`: all sharing one copy of it, each with its own Yjs client id and paragraph. */
async function connectTypists(server: BenchServer, history: History, typistCount: number): Promise<Typist[]> {
  const pool = docFromState(Y.encodeStateAsUpdate(history.doc))
  const url = server.docUrl(DOC)
  const typists = await connectAll(typistCount, 10, async (i) => {
    const typist = new Typist(url, pool, { textIndex: 5 + i * 5, shared: true })
    await typist.ready
    return typist
  })
  return typists
}
