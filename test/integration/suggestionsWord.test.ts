import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import JSZip from 'jszip'
import * as Y from 'yjs'
import { authorOf } from '../../shared/accounts.js'
import { positionToRelative } from '../../shared/anchors.js'
import { numberDocument } from '../../shared/model/numbering.js'
import { FRAGMENT, toProsemirror } from '../../shared/model/ydoc.js'
import { quoteOf } from '../../shared/suggestionAnchor.js'
import type { NewSuggestion, Suggestion } from '../../shared/suggestions.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, meeting, roundTrip, waitFor, type Person, type TestClient } from '../harness/clients.js'
import { ayatText, pasal, pasalElements } from '../harness/document.js'

/**
 * Issue 13, Word interop, against the real server: open suggestions exported as Word tracked
 * changes, a Word file with tracked changes by other people imported as suggestions, and the
 * matriks harmonisasi.
 */

const DOC = 'rapergub-spbe'
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
const run = promisify(execFile)

let scratch: string

/** `phrase` in Pasal `pasalId` of `doc` as a client anchors it: relative positions and the quote. */
function rangeOf(doc: Y.Doc, pasalId: string, phrase: string) {
  const pm = toProsemirror(doc)
  const label = numberDocument(pm).byId.get(pasalId)!
  let found: number | null = null
  pm.nodeAt(label.pos)!.descendants((node, offset) => {
    if (found !== null || !node.isTextblock) return found === null
    const index = node.textContent.indexOf(phrase)
    if (index >= 0) found = label.pos + 2 + offset + index
    return false
  })
  if (found === null) throw new Error(`"${phrase}" is not in ${label.label}`)
  const fragment = doc.getXmlFragment(FRAGMENT)
  const from: number = found
  return {
    from: positionToRelative(fragment, pm, from, 0)!,
    to: positionToRelative(fragment, pm, from + phrase.length, -1)!,
    quote: quoteOf(pm, from, from + phrase.length),
  }
}

async function download(server: TestServer, who: Person, query: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(`${server.url}/api/docs/${DOC}/export${query}`, { headers: { authorization: `Bearer ${who.token}` } })
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) }
}

const documentXml = async (docx: Buffer) => (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string')

/** Writes `xml` to a file and runs xmllint on it: `--noout` (well-formed) or an XPath expression. */
async function xmllint(xml: string, xpath?: string): Promise<string> {
  const file = join(scratch, `${Date.now()}-${Math.random().toString(36).slice(2)}.xml`)
  await writeFile(file, xml)
  const { stdout } = await run('xmllint', xpath ? ['--xpath', xpath, file] : ['--noout', file])
  return stdout.replace(/\n$/, '')
}
const w = (name: string) => `*[local-name()="${name}"]`
const attr = (name: string) => `@*[local-name()="${name}"]`

/**
 * Rewrites the run of `document.xml` holding `before + deleted` as Word saves a tracked change:
 * the unchanged text, `w:del` (a run of `w:delText`) and `w:ins` (a run of `w:t`) with the author
 * and date, then the rest, each run keeping the run properties of the original.
 */
function trackChange(xml: string, change: { before: string; deleted: string; inserted: string; author: string; date: string; id: number }): string {
  const runs = /<w:r>((?:(?!<\/w:r>).)*?)<w:t xml:space="preserve">([^<]*)<\/w:t><\/w:r>/gs
  for (const match of xml.matchAll(runs)) {
    const [whole, properties, text] = match as unknown as [string, string, string]
    const at = text.indexOf(change.before + change.deleted)
    if (at < 0) continue
    const cut = at + change.before.length
    const plain = (value: string) => (value ? `<w:r>${properties}<w:t xml:space="preserve">${value}</w:t></w:r>` : '')
    const meta = `w:author="${change.author}" w:date="${change.date}"`
    const del = change.deleted
      ? `<w:del w:id="${change.id}" ${meta}><w:r>${properties}<w:delText xml:space="preserve">${change.deleted}</w:delText></w:r></w:del>`
      : ''
    const ins = change.inserted ? `<w:ins w:id="${change.id + 1}" ${meta}>${plain(change.inserted)}</w:ins>` : ''
    return xml.replace(whole, plain(text.slice(0, cut)) + del + ins + plain(text.slice(cut + change.deleted.length)))
  }
  throw new Error(`no run holds "${change.before}${change.deleted}"`)
}

async function importWord(server: TestServer, who: Person, bytes: Uint8Array, type = DOCX) {
  const response = await fetch(`${server.url}/api/docs/${DOC}/suggestions/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.token}`, 'content-type': type },
    body: Buffer.from(bytes),
  })
  return {
    status: response.status,
    body: (await response.json()) as { created: Suggestion[]; unplaced: Array<Record<string, string>>; error?: string },
  }
}

describe('suggestions and Word', () => {
  let server: TestServer
  let people: Awaited<ReturnType<typeof meeting>>
  let rinaClient: TestClient
  let pasalIds: string[]
  const pasalId = (number: number) => pasalIds[number - 1]!
  /** Dewi (the commenter of the Biro Hukum)'s suggestions, made through the API. */
  let dewiText: Suggestion
  let dewiDeletion: Suggestion

  const suggest = async (who: Person, body: NewSuggestion) => {
    const response = await api<Suggestion>(server, 'POST', `/api/docs/${DOC}/suggestions`, { token: who.token, body })
    expect(response.status, JSON.stringify(response.body)).toBe(201)
    return response.body
  }

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'rancang-word-'))
    server = await startServer()
    people = await meeting(server)
    rinaClient = connect(server, DOC, people.rina.token)
    await rinaClient.synced
    await roundTrip(rinaClient)
    pasalIds = pasalElements(rinaClient.doc).map((element) => element.getAttribute('id') as string)
    const dewi = people.commenter
    dewiText = await suggest(dewi, {
      anchor: { pasalId: pasalId(11), range: rangeOf(rinaClient.doc, pasalId(11), 'tidak dapat') },
      insert: 'dilarang',
      note: 'Lebih tegas.',
    })
    dewiDeletion = await suggest(dewi, {
      kind: 'deletePasal',
      anchor: { pasalId: pasalId(9), range: rangeOf(rinaClient.doc, pasalId(9), 'Setiap') },
      insert: '',
    })
    // Settled: not in the Word file, but in the matriks.
    const rejected = await suggest(dewi, {
      anchor: { pasalId: pasalId(11), range: rangeOf(rinaClient.doc, pasalId(11), 'cadangan') },
      insert: 'simpanan',
    })
    expect((await api(server, 'POST', `/api/docs/${DOC}/suggestions/${rejected.id}/reject`, { token: people.bayu.token })).status).toBe(200)
  })
  afterAll(async () => {
    rinaClient?.destroy()
    await server?.dispose()
    if (scratch) await rm(scratch, { recursive: true, force: true })
  })

  it('exports the open suggestions as Word tracked changes by their suggester at their time, in well-formed XML', async () => {
    const exported = await download(server, people.viewer, '?format=docx&usulan=1')
    expect(exported.status).toBe(200)
    const xml = await documentXml(exported.bytes)
    expect(await xmllint(xml)).toBe('')
    const dewi = `${people.commenter.user.name} (Biro Hukum)`
    const date = dewiText.createdAt.replace(/\.\d+Z$/, 'Z')
    // The text suggestion: one deletion, one insertion.
    const textDel = `//${w('del')}[.//${w('delText')}[.="tidak dapat"]]`
    expect(await xmllint(xml, `string(${textDel}/${attr('author')})`)).toBe(dewi)
    expect(await xmllint(xml, `string(${textDel}/${attr('date')})`)).toBe(date)
    expect(await xmllint(xml, `string(${textDel}/following-sibling::${w('ins')}[1])`)).toBe('dilarang')
    expect(await xmllint(xml, `string(${textDel}/following-sibling::${w('ins')}[1]/${attr('author')})`)).toBe(dewi)
    // The deleted Pasal: its heading and every word of its three ayat, and the paragraph marks.
    const deleted = (await xmllint(xml, `//${w('del')}/${w('r')}/${w('delText')}/text()`)).split('\n')
    expect(deleted).toEqual(expect.arrayContaining(['Pasal 9', 'Setiap Perangkat Daerah memetakan Proses Bisnis sesuai dengan tugas dan fungsinya.']))
    expect(Number(await xmllint(xml, `count(//${w('pPr')}/${w('rPr')}/${w('del')})`))).toBeGreaterThanOrEqual(4)
    // The rejected one is not there; every revision has its own id.
    expect(xml).not.toContain('simpanan')
    const ids = (await xmllint(xml, `//${w('ins')}/${attr('id')} | //${w('del')}/${attr('id')}`)).trim().split(/\s+/)
    expect(new Set(ids).size).toBe(ids.length)
    console.log(`Word export with suggestions: ${exported.bytes.length} bytes, ${ids.length} revision elements`)
    // The ordinary export is unchanged: no tracked changes.
    expect(await documentXml((await download(server, people.viewer, '?format=docx')).bytes)).not.toMatch(/<w:(ins|del) /)
    // Suggestions are placed in the live draft, never in a version.
    expect((await download(server, people.viewer, '?format=docx&usulan=1&snapshot=x')).status).toBe(400)
  })

  it("imports a Word file with another author's tracked changes as suggestions: an account's name maps to the account, others are labelled, and what cannot be placed is listed", async () => {
    const rina = people.rina.user
    const plain = (await download(server, people.bayu, '?format=docx')).bytes
    const zip = await JSZip.loadAsync(plain)
    let xml = await zip.file('word/document.xml')!.async('string')
    const at = '2026-12-01T09:30:00Z'
    xml = trackChange(xml, { before: 'hanya ', deleted: 'dapat', inserted: 'boleh', author: rina.name, date: at, id: 901 })
    xml = trackChange(xml, { before: 'secara nasional', deleted: '', inserted: ' dan daerah', author: 'Sari (Biro Hukum Setda)', date: at, id: 903 })
    xml = trackChange(xml, { before: 'bahwa ', deleted: '', inserted: 'sesungguhnya ', author: 'Sari (Biro Hukum Setda)', date: at, id: 905 })
    xml = trackChange(xml, { before: 'Dinas menyelenggarakan ', deleted: 'Jaringan', inserted: 'jaringan', author: rina.name, date: at, id: 907 })
    zip.file('word/document.xml', xml)
    const word = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' })
    // Since the export, Rina edited the first ayat of Pasal 12 in Rancang: that change can no longer be placed.
    const pasal12 = ayatText(pasal(rinaClient.doc, 12), 0)
    pasal12.insert(pasal12.length, ' Pasal ini berlaku.')
    await roundTrip(rinaClient)

    expect((await importWord(server, people.commenter, word)).status).toBe(403)
    expect((await importWord(server, people.bayu, word, 'text/plain')).status).toBe(415)
    expect((await importWord(server, people.bayu, plain)).status).toBe(422)
    const imported = await importWord(server, people.bayu, word)
    expect(imported.status, JSON.stringify(imported.body)).toBe(200)
    const { created, unplaced } = imported.body
    // In document order: Sari's insertion in ayat (2), Rina's change in ayat (4).
    expect(created.map((s) => [s.anchor.pasalId, s.anchor.range.quote, s.insert, s.author, s.importedBy])).toEqual([
      [pasalId(12), '', ' dan daerah', { username: '', name: 'Sari (Biro Hukum Setda) (Word)', bidang: '' }, authorOf(people.bayu.user)],
      [pasalId(12), 'dapat', 'boleh', authorOf(rina), authorOf(people.bayu.user)],
    ])
    const [sari, rinas] = created as [Suggestion, Suggestion]
    expect(unplaced).toEqual([
      { pasal: '', text: 'sisipan “sesungguhnya ”', author: 'Sari (Biro Hukum Setda)', reason: expect.stringMatching(/di luar Pasal/) },
      {
        pasal: 'Pasal 12',
        text: '“Jaringan” → “jaringan”',
        author: rina.name,
        reason: expect.stringMatching(/tidak sama dengan teks di naskah terkini/),
      },
    ])

    // Accepting Rina's suggestion makes her change in everyone's draft.
    const accepted = await api<Suggestion>(server, 'POST', `/api/docs/${DOC}/suggestions/${rinas.id}/accept`, { token: people.bayu.token })
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    const ayatOf12 = (index: number) =>
      toProsemirror(rinaClient.doc)
        .nodeAt(numberDocument(toProsemirror(rinaClient.doc)).byId.get(pasalId(12))!.pos)!
        .child(index).textContent
    await waitFor(() => ayatOf12(3).includes('hanya boleh dilakukan'), 'the accepted wording in Rina’s draft')
    expect(ayatOf12(3)).not.toContain('dapat')
    // The labelled one anchors where Sari typed it.
    const acceptedToo = await api<Suggestion>(server, 'POST', `/api/docs/${DOC}/suggestions/${sari.id}/accept`, { token: people.bayu.token })
    expect(acceptedToo.status, JSON.stringify(acceptedToo.body)).toBe(200)
    await waitFor(() => ayatOf12(1).endsWith('secara nasional dan daerah.'), 'the insertion in Rina’s draft')
  })

  it('exports the matriks harmonisasi: one row per suggestion, grouped per Pasal in document order, with the decision', async () => {
    const exported = await download(server, people.viewer, '?format=matriks')
    expect(exported.status).toBe(200)
    const xml = await documentXml(exported.bytes)
    expect(await xmllint(xml)).toBe('')
    expect(await xmllint(xml, `string(//${w('pgSz')}/${attr('orient')})`)).toBe('landscape')
    const rows = Number(await xmllint(xml, `count(//${w('tbl')}/${w('tr')})`))
    const cells = async (row: number) => {
      const out: string[] = []
      for (let cell = 1; cell <= 6; cell++) {
        const paragraphs = Number(await xmllint(xml, `count(//${w('tbl')}/${w('tr')}[${row}]/${w('tc')}[${cell}]/${w('p')})`))
        const lines: string[] = []
        for (let p = 1; p <= paragraphs; p++)
          lines.push(await xmllint(xml, `string(//${w('tbl')}/${w('tr')}[${row}]/${w('tc')}[${cell}]/${w('p')}[${p}])`))
        out.push(lines.join(' / '))
      }
      return out
    }
    const table = await Promise.all(Array.from({ length: rows }, (_, i) => cells(i + 1)))
    console.log(table.map((row) => row.join(' | ')).join('\n'))
    expect(table[0]).toEqual(['No.', 'Pasal', 'Rumusan semula', 'Usulan perubahan', 'Alasan', 'Keputusan'])
    // Dewi's three and the two imported ones, by Pasal (9, 11, 11, 12, 12); one Pasal cell per Pasal, merged down.
    expect(rows).toBe(6)
    expect(table.slice(1).map((row) => row[0])).toEqual(['1.', '2.', '3.', '4.', '5.'])
    expect(table.slice(1).map((row) => row[1])).toEqual(['Pasal 9', 'Pasal 11', '', 'Pasal 12', ''])
    const escaped = (text: string) => text.replace(/[()]/g, '\\$&')
    const dewi = escaped(`${people.commenter.user.name} (Biro Hukum)`)
    const bayu = escaped(`${people.bayu.user.name} (${people.bayu.user.bidang})`)
    expect(table[1]!.slice(2)).toEqual([
      'Seluruh Pasal 9',
      expect.stringMatching(new RegExp(`^Pasal dihapus\\. / Diusulkan oleh ${dewi}, `)),
      '—',
      'Terbuka',
    ])
    expect(table[2]![2]).toBe('ayat (3) / “tidak dapat”')
    expect(table[2]![3]).toMatch(/^“dilarang” \/ Diusulkan oleh /)
    expect(table[2]![4]).toBe('Lebih tegas.')
    expect(table[3]![3]).toMatch(/^“simpanan”/)
    expect(table[3]![5]).toMatch(new RegExp(`^Ditolak / oleh ${bayu} / \\d+ \\w+ 20\\d\\d`))
    // In Pasal 12: first what still has a place in the text, by position; then the rest, oldest first.
    expect(table[4]![3]).toMatch(/^Sisipan: “ dan daerah” \/ Diusulkan oleh Sari \(Biro Hukum Setda\) \(Word\)/)
    expect(table[5]![2]).toBe('“dapat”')
    expect(table[5]![5]).toMatch(new RegExp(`^Diterima / oleh ${bayu} / `))
  })
})
