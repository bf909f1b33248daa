import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror'
import { EditorState } from 'prosemirror-state'
import type { Node } from 'prosemirror-model'
import { SchemaFirewall } from './firewall.js'
import { attributeValues, schema } from './schema.js'
import { bab, lampiran, pasal, pasalIds, penjelasan, penjelasanPasal, regulation, table } from './builders.js'
import { encodeDocument, FRAGMENT } from './ydoc.js'
import { referenceNode } from './references.js'

/** A draft of `count` Pasal in five BAB, like a mid-sized Pergub. */
function draft(count = 40): Node {
  const babs = Array.from({ length: 5 }, (_, b) =>
    bab(`Bab ${b + 1}`, ...Array.from({ length: count / 5 }, (_, p) => pasal(`Ketentuan ${b}.${p} berlaku.`, `Ayat kedua ${b}.${p} juga berlaku.`))),
  )
  return regulation({
    nama: 'UJI',
    menimbang: ['bahwa satu;', 'bahwa dua;'],
    mengingat: ['Undang-Undang Nomor 1;'],
    batangTubuh: babs,
    penutup: ['Peraturan Gubernur ini mulai berlaku pada tanggal diundangkan.'],
  })
}

/** The server's document and a client replica of it; `edit` returns the client's update. */
function setup(node = draft()) {
  const server = new Y.Doc()
  Y.applyUpdate(server, encodeDocument(node))
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  const firewall = new SchemaFirewall(server)
  const edit = (change: (fragment: Y.XmlFragment) => void): Uint8Array => {
    const before = Y.encodeStateVector(client)
    client.transact(() => change(client.getXmlFragment(FRAGMENT)))
    return Y.encodeStateAsUpdate(client, before)
  }
  /** Makes the change the way the editor does: a ProseMirror transaction mapped by y-prosemirror. */
  const editAsProsemirror = (change: (state: EditorState) => EditorState['tr']): Uint8Array => {
    const fragment = client.getXmlFragment(FRAGMENT)
    const { doc, meta } = initProseMirrorDoc(fragment, schema)
    const tr = change(EditorState.create({ doc }))
    const before = Y.encodeStateVector(client)
    updateYFragment(client, fragment, tr.doc, meta)
    return Y.encodeStateAsUpdate(client, before)
  }
  return { server, client, firewall, edit, editAsProsemirror }
}

const firstPasal = (fragment: Y.XmlFragment) =>
  fragment.createTreeWalker((t) => t instanceof Y.XmlElement && t.nodeName === 'pasal').next().value as Y.XmlElement
const firstText = (fragment: Y.XmlFragment) => fragment.createTreeWalker((t) => t instanceof Y.XmlText && t.length > 0).next().value as Y.XmlText
const firstTeks = (fragment: Y.XmlFragment) =>
  fragment.createTreeWalker((t) => t instanceof Y.XmlElement && t.nodeName === 'teks').next().value as Y.XmlElement
/** Position just inside the first `teks` of the first Pasal. */
const teksPos = (doc: Node) => {
  let found = -1
  doc.descendants((node, pos) => {
    if (found < 0 && node.type.name === 'teks' && doc.resolve(pos).parent.type.name === 'ayat') found = pos + 1
    return found < 0
  })
  return found
}

describe('SchemaFirewall admits what the editor writes', () => {
  it('admits typing, formatting, a new Pasal, an id change, a split ayat, a reference and deletions', () => {
    const { firewall, edit, editAsProsemirror, server } = setup()
    const updates = [
      edit((f) => firstText(f).insert(3, 'ketik')),
      edit((f) => firstText(f).format(0, 5, { em: {} })),
      edit((f) => {
        const p = firstPasal(f)
        const copy = new Y.XmlElement('pasal')
        copy.setAttribute('id', 'pasal-baru')
        const ayat = new Y.XmlElement('ayat')
        ayat.setAttribute('id', 'ayat-baru')
        const teks = new Y.XmlElement('teks')
        teks.insert(0, [new Y.XmlText('Isi baru.')])
        ayat.insert(0, [teks])
        copy.insert(0, [ayat])
        const parent = p.parent as Y.XmlElement
        parent.insert(parent.toArray().indexOf(p) + 1, [copy])
      }),
      edit((f) => firstPasal(f).setAttribute('id', 'nama-lain')),
      editAsProsemirror((state) => state.tr.split(teksPos(state.doc) + 4, 2).setNodeAttribute(teksPos(state.doc) - 2 + 0, 'id', 'ayat-x')),
      editAsProsemirror((state) => state.tr.insert(teksPos(state.doc), referenceNode({ targets: ['nama-lain'], preposisi: true, mode: 'unit' }))),
      editAsProsemirror((state) => state.tr.addMark(teksPos(state.doc), teksPos(state.doc) + 3, schema.marks.strong!.create())),
      edit((f) => firstText(f).delete(0, 2)),
    ]
    // All checked before any is applied, as the room does while storage is writing.
    for (const update of updates) expect(firewall.check(update)).toBeNull()
    for (const update of updates) Y.applyUpdate(server, update)
    expect(firewall.check(edit((f) => firstText(f).insert(0, 'lagi ')))).toBeNull()
  })

  it('has a value rule for every attribute of the schema except the view-only ychange', () => {
    const names = new Set<string>()
    for (const type of Object.values(schema.nodes)) for (const name of Object.keys(type.spec.attrs ?? {})) names.add(name)
    names.delete('ychange')
    expect([...names].filter((name) => !attributeValues[name])).toEqual([])
  })
})

describe('SchemaFirewall admits the Penjelasan and Lampiran', () => {
  it('admits adding a Penjelasan and a Lampiran with a table, then a row and a column span, the way the editor writes them', () => {
    const { firewall, editAsProsemirror } = setup()
    const added = editAsProsemirror((state) => {
      const ids = pasalIds(state.doc)
      const parts = [
        penjelasan(
          ['Umum.'],
          ids.map((id) => penjelasanPasal(id)),
        ),
        lampiran(
          'STANDAR',
          'Teks.',
          table([
            ['No', 'Uraian'],
            ['1', 'x'],
          ]),
        ),
      ]
      return state.tr.insert(state.doc.content.size, parts)
    })
    expect(firewall.check(added)).toBeNull()
    const spanned = editAsProsemirror((state) => {
      let cell = -1
      state.doc.descendants((node, pos) => {
        if (cell < 0 && node.type.name === 'table_cell') cell = pos
        return cell < 0
      })
      return state.tr.setNodeMarkup(cell, undefined, { colspan: 2, rowspan: 1, colwidth: [120, 80] })
    })
    expect(firewall.check(spanned)).toBeNull()
  })

  const refused: Array<[string, (f: Y.XmlFragment) => void]> = [
    ['a Penjelasan entry bound to something that is not an id', (f) => penjelasanEntry(f).setAttribute('pasal', '"><img src=x>')],
    ['a cell spanning zero columns', (f) => tableCell(f).setAttribute('colspan', 0 as unknown as string)],
    ['a cell width that is markup', (f) => tableCell(f).setAttribute('colwidth', ['<b>'] as unknown as string)],
    ['a table directly in a Pasal', (f) => firstPasal(f).insert(0, [new Y.XmlElement('table')])],
    ['a Lampiran inside the batang tubuh', (f) => (f.get(2) as Y.XmlElement).insert(0, [new Y.XmlElement('lampiran')])],
  ]
  for (const [what, change] of refused) {
    it(`refuses ${what}`, () => {
      const withParts = draft()
      const { firewall, edit } = setup(
        withParts.type.create(null, [
          ...withParts.children,
          penjelasan(['Umum.'], [penjelasanPasal(pasalIds(withParts)[0]!)]),
          lampiran('STANDAR', table([['No', 'Uraian']], false)),
        ]),
      )
      expect(firewall.check(edit(change))).toEqual(expect.any(String))
    })
  }
})

const elementNamed = (fragment: Y.XmlFragment, name: string) =>
  fragment.createTreeWalker((t) => t instanceof Y.XmlElement && t.nodeName === name).next().value as Y.XmlElement
const penjelasanEntry = (fragment: Y.XmlFragment) => elementNamed(fragment, 'penjelasanPasal')
const tableCell = (fragment: Y.XmlFragment) => elementNamed(fragment, 'table_cell')

describe('SchemaFirewall refuses what no editor would send', () => {
  const cases: Array<[string, (f: Y.XmlFragment) => void]> = [
    [
      'a rujukan whose targets is a number',
      (f) => {
        const rujukan = new Y.XmlElement('rujukan')
        rujukan.setAttribute('targets', 5 as unknown as string)
        firstTeks(f).insert(0, [rujukan])
      },
    ],
    [
      'a ychange attribute on a Pasal',
      (f) => firstPasal(f).setAttribute('ychange', { type: 'added', user: 'Gubernur', color: 'red;position:fixed;inset:0' } as unknown as string),
    ],
    ['an unknown node', (f) => firstPasal(f).insert(0, [new Y.XmlElement('script')])],
    ['an unknown mark', (f) => firstText(f).format(0, 3, { link: { href: 'javascript:alert(1)' } })],
    ['the view-only ychange mark', (f) => firstText(f).format(0, 3, { ychange: { type: 'added', user: 'Gubernur' } })],
    ['mark attributes a mark does not have', (f) => firstText(f).format(0, 3, { em: { style: 'x' } })],
    ['a style attribute', (f) => firstPasal(f).setAttribute('style', 'position:fixed;inset:0')],
    ['an attribute named like an object property', (f) => firstPasal(f).setAttribute('constructor', 'x')],
    ['a node named like an object property', (f) => firstPasal(f).insert(0, [new Y.XmlElement('__proto__')])],
    ['an id that is not an id', (f) => firstPasal(f).setAttribute('id', '"><img src=x>')],
    [
      'a signature text that is markup',
      (f) => {
        const ttd = f.createTreeWalker((t) => t instanceof Y.XmlElement && t.nodeName === 'penandatanganan').next().value as Y.XmlElement
        ttd.setAttribute('jabatan', ['div', { style: 'position:fixed' }, 'x'] as unknown as string)
      },
    ],
    [
      'a typed kind and region above the judul, as only old drafts hold (S18)',
      (f) => (f.get(0) as Y.XmlElement).insert(0, [new Y.XmlElement('judulJenis')]),
    ],
    ['a typed jabatan, as only old drafts hold', (f) => (f.get(1) as Y.XmlElement).insert(0, [new Y.XmlElement('jabatan')])],
    ['a Pasal inside an ayat', (f) => (firstPasal(f).get(0) as Y.XmlElement).insert(0, [new Y.XmlElement('pasal')])],
    ['a Pasal directly in the batang tubuh', (f) => (f.get(2) as Y.XmlElement).insert(0, [new Y.XmlElement('pasal')])],
    ['text directly in a Pasal', (f) => firstPasal(f).insert(0, [new Y.XmlText('lepas')])],
    ['a vertical tab', (f) => firstText(f).insert(0, 'a\u000bb')],
    ['a form feed', (f) => firstText(f).insert(0, '\u000c')],
    ['a start-of-text control', (f) => firstText(f).insert(0, 'x\u0002')],
    ['U+FFFE', (f) => firstText(f).insert(0, '\ufffe')],
    ['U+FFFF', (f) => firstText(f).insert(0, 'y\uffff')],
    ['an embed in text', (f) => firstText(f).insertEmbed(0, { image: 'x' })],
    ['another root type', () => {}],
  ]

  for (const [what, change] of cases) {
    it(`refuses ${what}`, () => {
      const { firewall, edit, client } = setup()
      const update =
        what === 'another root type'
          ? (client.getMap('extra').set('a', 1), Y.encodeStateAsUpdate(client, Y.encodeStateVector(setup().server)))
          : edit(change)
      expect(firewall.check(update)).toEqual(expect.any(String))
    })
  }

  it('refuses, without looping, items whose origins lead back to themselves', () => {
    // A v1 update by hand: two one-character strings, each inserted after the other.
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 2)
    const pairs: Array<[client: number, other: number]> = [
      [1000, 2000],
      [2000, 1000],
    ]
    for (const [client, other] of pairs) {
      encoding.writeVarUint(encoder, 1) // structs
      encoding.writeVarUint(encoder, client)
      encoding.writeVarUint(encoder, 0) // clock
      encoding.writeUint8(encoder, 0x80 | 4) // has an origin; string content
      encoding.writeVarUint(encoder, other)
      encoding.writeVarUint(encoder, 0)
      encoding.writeVarString(encoder, 'x')
    }
    encoding.writeVarUint(encoder, 0) // delete set
    const update = encoding.toUint8Array(encoder)
    expect(() => Y.applyUpdate(new Y.Doc(), update)).not.toThrow()
    expect(setup().firewall.check(update)).toMatch(/does not have/)
  })

  it('refuses an update that builds on a refused one, and forgets the refused one', () => {
    const { firewall, edit } = setup()
    expect(firewall.check(edit((f) => firstPasal(f).setAttribute('style', 'x')))).toEqual(expect.any(String))
    expect(firewall.check(edit((f) => firstText(f).insert(0, 'biasa')))).toMatch(/does not have/)
  })
})

describe('SchemaFirewall memory', () => {
  it('keeps an admitted update until the document holds it, and forgets it as soon as it is applied', () => {
    const { server, firewall, edit } = setup()
    const first = edit((f) => firstText(f).insert(0, 'a'))
    const second = edit((f) => firstText(f).insert(1, 'b'))
    expect(firewall.check(first)).toBeNull()
    firewall.forgetApplied()
    // Relayed, not applied yet: the next keystroke builds on it.
    expect(firewall.pendingClients).toBe(1)
    expect(firewall.check(second)).toBeNull()
    Y.applyUpdate(server, first)
    firewall.forgetApplied()
    expect(firewall.pendingClients).toBe(1)
    Y.applyUpdate(server, second)
    firewall.forgetApplied()
    expect(firewall.pendingClients).toBe(0)
  })
})

describe('SchemaFirewall cost', () => {
  it('checks a keystroke and a pasted Pasal in microseconds (printed)', () => {
    const { firewall, edit, server, editAsProsemirror } = setup(draft(200))
    const keystrokes: Uint8Array[] = []
    for (let i = 0; i < 500; i++) keystrokes.push(edit((f) => firstText(f).insert(i % 5, 'a')))
    const pastes: Uint8Array[] = []
    for (let i = 0; i < 50; i++) {
      pastes.push(
        editAsProsemirror((state) => {
          let at = -1
          state.doc.descendants((node, pos) => {
            if (at < 0 && node.type.name === 'pasal') at = pos
            return at < 0
          })
          return state.tr.insert(
            at,
            pasal(`Pasal tempelan ${i} dengan teks yang cukup panjang untuk sebuah ayat.`, 'Ayat kedua tempelan.', 'Ayat ketiga.'),
          )
        }),
      )
    }
    const time = (updates: Uint8Array[]) => {
      let [checking, applying] = [0, 0]
      for (const update of updates) {
        const start = performance.now()
        const refusal = firewall.check(update)
        const checked = performance.now()
        Y.applyUpdate(server, update)
        applying += performance.now() - checked
        checking += checked - start
        expect(refusal).toBeNull()
      }
      const micros = (total: number) => ((total * 1000) / updates.length).toFixed(1)
      return `${micros(checking)} µs (applying it: ${micros(applying)} µs)`
    }
    // Warm up the code paths once, so the numbers are not the JIT's.
    time(keystrokes.splice(0, 100))
    const keystroke = time(keystrokes)
    const paste = time(pastes)
    console.log(`schema firewall on a 200-Pasal draft: ${keystroke} per keystroke update; ${paste} per pasted Pasal`)
    expect(keystrokes.every((u) => u.byteLength < 64)).toBe(true)
  })
})
