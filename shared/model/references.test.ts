import { describe, expect, it } from 'vitest'
import type { Node } from 'prosemirror-model'
import { Transform } from 'prosemirror-transform'
import { ayat, bab, lampiran, pasal, regulation } from './builders.js'
import { numberDocument } from './numbering.js'
import { convertTypedReferences, findTypedReferences, joinIndonesian, renderAllReferences } from './references.js'
import { schema } from './schema.js'

function draft(...batangTubuh: Node[]) {
  return regulation({
    nama: 'UJI',
    menimbang: ['bahwa a;', 'bahwa b;', 'bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan;'],
    mengingat: ['Pasal 18 ayat (6) Undang-Undang Dasar;'],
    batangTubuh,
  })
}

const sample = () =>
  draft(
    bab(
      'SATU',
      pasal('Pasal satu.'),
      pasal(ayat('Ayat satu meliputi:', { items: ['x;', 'y.'] }), 'Ayat dua sebagaimana dimaksud pada ayat (1) huruf b.'),
      pasal('Sebagaimana dimaksud dalam Pasal 2 ayat (1) dan dalam Pasal 1.'),
      pasal('Kecuali Pasal 1 sampai dengan Pasal 3, berlaku sebagaimana dimaksud dalam Pasal 5.'),
      pasal('Pasal lima.'),
    ),
  )

/** The rendered words of every reference, in document order. */
const rendered = (doc: Node) => [...renderAllReferences(doc, numberDocument(doc)).values()].map((r) => r.text)

describe('live references', () => {
  it('joins lists the Indonesian way', () => {
    expect(joinIndonesian(['huruf a'])).toBe('huruf a')
    expect(joinIndonesian(['huruf a', 'huruf b'])).toBe('huruf a dan huruf b')
    expect(joinIndonesian(['huruf a', 'huruf b', 'huruf c'])).toBe('huruf a, huruf b, dan huruf c')
  })

  it('finds typed references in Pasal and konsiderans, and none in Mengingat', () => {
    const doc = sample()
    const found = findTypedReferences(doc, numberDocument(doc)).map((t) => t.text)
    expect(found).toEqual([
      'dalam huruf a dan huruf b',
      'pada ayat (1) huruf b',
      'dalam Pasal 2 ayat (1)',
      'dalam Pasal 1',
      'Pasal 1 sampai dengan Pasal 3',
      'dalam Pasal 5',
    ])
  })

  it('renders converted references exactly as typed, choosing "dalam" or "pada"', () => {
    const doc = convertTypedReferences(sample())
    expect(rendered(doc)).toEqual([
      'dalam huruf a dan huruf b',
      'pada ayat (1) huruf b',
      'dalam Pasal 2 ayat (1)',
      'dalam Pasal 1',
      'Pasal 1 sampai dengan Pasal 3',
      'dalam Pasal 5',
    ])
    expect(doc.textContent).not.toContain('Pasal 2 ayat (1)')
  })

  it('keeps the rincian of a Pasal without numbered ayat: "Pasal 6 huruf a dan huruf b", "Pasal 8 huruf a" (S13)', () => {
    const doc = convertTypedReferences(
      draft(
        bab(
          'SATU',
          pasal(ayat('Meliputi:', { items: ['x;', 'y; dan', 'z.'] })),
          pasal('Sebagaimana dimaksud dalam Pasal 1 huruf a dan huruf b, serta dalam Pasal 1 huruf c, juga Pasal 1 huruf a, huruf b, dan huruf c.'),
          pasal(ayat('Terdiri atas:', { items: ['p;', 'q.'] }), 'Sebagaimana dimaksud pada ayat (1) huruf a, huruf b.'),
          pasal('Bukan Pasal 3 huruf a, melainkan Pasal 1 huruf d dan Pasal 3 ayat (1) huruf b dan huruf a.'),
        ),
      ),
    )
    expect(rendered(doc)).toEqual([
      'dalam huruf a dan huruf b',
      'dalam Pasal 1 huruf a dan huruf b',
      'dalam Pasal 1 huruf c',
      'Pasal 1 huruf a, huruf b, dan huruf c',
      'pada ayat (1) huruf a dan huruf b',
      'Pasal 3 ayat (1) huruf a dan huruf b',
    ])
    // Words that name what does not exist (Pasal 3 has numbered ayat; Pasal 1 has no huruf d) stay as typed.
    expect(doc.textContent).toContain('Bukan Pasal 3 huruf a, melainkan Pasal 1 huruf d dan ')
    // Every item a reference names is a live target: renumbering the items renumbers the words.
    const items = numberDocument(doc).labels.filter((l) => l.kind === 'butir')
    const first = items[0]!
    const grown = new Transform(doc).insert(first.pos, schema.nodes.butir!.create({ id: 'baru' }, schema.nodes.teks!.create(null, schema.text('w;'))))
    expect(rendered(grown.doc).slice(1, 4)).toEqual([
      'dalam Pasal 1 huruf b dan huruf c',
      'dalam Pasal 1 huruf d',
      'Pasal 1 huruf b, huruf c, dan huruf d',
    ])
  })

  it('renumbers references when a Pasal is inserted before their targets (S13)', () => {
    const doc = convertTypedReferences(sample())
    let first = -1
    doc.descendants((node, pos) => {
      if (first < 0 && node.type.name === 'pasal') first = pos
      return first < 0
    })
    const fresh = schema.node('pasal', { id: 'sisipan00001' }, [
      schema.node('ayat', { id: 'sisipanayat1' }, [schema.node('teks', null, [schema.text('Sisipan.')])]),
    ])
    const moved = new Transform(doc).insert(first, fresh).doc
    expect(rendered(moved)).toEqual([
      'dalam huruf a dan huruf b',
      'pada ayat (1) huruf b',
      'dalam Pasal 3 ayat (1)',
      'dalam Pasal 2',
      'Pasal 2 sampai dengan Pasal 4',
      'dalam Pasal 6',
    ])
  })

  it('keeps the closing konsiderans right when a point is added', () => {
    const doc = convertTypedReferences(sample())
    const menimbang = doc.child(1).child(0)
    const at = doc.child(0).nodeSize + 1 + 1 + menimbang.child(0).nodeSize + menimbang.child(1).nodeSize
    const added = new Transform(doc).insert(at, schema.node('konsiderans', null, [schema.text('bahwa c;')])).doc
    expect(rendered(added)[0]).toBe('dalam huruf a, huruf b, dan huruf c')
  })

  it('flags a reference whose target was deleted, and one pointing forward', () => {
    const doc = convertTypedReferences(sample())
    const map = renderAllReferences(doc, numberDocument(doc))
    expect([...map.values()].map((r) => r.forward)).toEqual([false, false, false, false, false, true])
    let second = -1
    let count = 0
    doc.descendants((node, pos) => {
      if (node.type.name === 'pasal' && ++count === 2) second = pos
      return true
    })
    const deleted = new Transform(doc).delete(second, second + doc.nodeAt(second)!.nodeSize).doc
    const after = [...renderAllReferences(deleted, numberDocument(deleted)).values()]
    // "dalam Pasal 2 ayat (1)" and the range through Pasal 2 lost a target; the others still resolve.
    expect(after.map((r) => r.broken)).toEqual([false, true, false, true, false])
  })
})

/**
 * The wording rules of §1.5 (teknik pengacuan) case by case, on a small law whose units have fixed
 * ids so a reference can name them:
 *   Pasal 1, 2, 5, 8: one (unnumbered) ayat; Pasal 3: ayat (1), ayat (2) with huruf a–c;
 *   Pasal 4: one ayat with huruf a–b; Pasal 6: ayat (1)–(3); Pasal 7: ayat (1)–(2).
 */
describe('reference wording (§1.5) and renumbering', () => {
  type Inline = string | Node
  const teks = (...parts: Inline[]) =>
    schema.node(
      'teks',
      null,
      parts.filter((p) => p !== '').map((p) => (typeof p === 'string' ? schema.text(p) : p)),
    )
  const huruf = (items: ReadonlyArray<readonly [string, string]>) =>
    schema.node(
      'rincian',
      { jenis: 'huruf' },
      items.map(([id, text]) => schema.node('butir', { id }, [teks(text)])),
    )
  const ref = (targets: readonly string[], attrs: { preposisi?: boolean; mode?: 'unit' | 'konsiderans' } = {}) =>
    schema.node('rujukan', { targets: [...targets], ...attrs })

  /** The law, with `sites[ayatId]` (a reference) appended to the first text of that ayat. */
  function law(sites: Readonly<Record<string, Node>> = {}) {
    const ayatNode = (id: string, text: string, items?: ReadonlyArray<readonly [string, string]>) => {
      const site = sites[id]
      const first = site ? teks(`${text} sebagaimana dimaksud `, site, '.') : teks(text)
      return schema.node('ayat', { id }, items ? [first, huruf(items)] : [first])
    }
    const pasalNode = (id: string, ...ayat: Node[]) => schema.node('pasal', { id }, ayat)
    return draft(
      bab(
        'SATU',
        pasalNode('p1', ayatNode('p1a1', 'Satu.')),
        pasalNode('p2', ayatNode('p2a1', 'Dua.')),
        pasalNode(
          'p3',
          ayatNode('p3a1', 'Tiga satu.'),
          ayatNode('p3a2', 'Tiga dua meliputi:', [
            ['p3a2h1', 'alfa;'],
            ['p3a2h2', 'beta; dan'],
            ['p3a2h3', 'gama.'],
          ]),
        ),
        pasalNode(
          'p4',
          ayatNode('p4a1', 'Empat meliputi:', [
            ['p4a1h1', 'delta; dan'],
            ['p4a1h2', 'epsilon.'],
          ]),
        ),
        pasalNode('p5', ayatNode('p5a1', 'Lima.')),
      ),
      bab(
        'DUA',
        pasalNode('p6', ayatNode('p6a1', 'Enam satu.'), ayatNode('p6a2', 'Enam dua.'), ayatNode('p6a3', 'Enam tiga.')),
        pasalNode('p7', ayatNode('p7a1', 'Tujuh satu.'), ayatNode('p7a2', 'Tujuh dua.')),
        pasalNode('p8', ayatNode('p8a1', 'Delapan.')),
      ),
    )
  }

  /** How the single reference of `doc` renders. */
  const only = (doc: Node) => {
    const all = [...renderAllReferences(doc, numberDocument(doc)).values()]
    expect(all).toHaveLength(1)
    return all[0]!
  }
  /** The words of a reference to `targets` standing in ayat `site`. */
  const words = (site: string, targets: readonly string[]) => only(law({ [site]: ref(targets) })).text

  /** Position of the unit with `id`. */
  const posOf = (doc: Node, id: string) => {
    let found = -1
    doc.descendants((node, pos) => {
      if (found < 0 && node.attrs.id === id) found = pos
      return found < 0
    })
    if (found < 0) throw new Error(`no unit ${id}`)
    return found
  }
  const insertBefore = (doc: Node, id: string, node: Node) => new Transform(doc).insert(posOf(doc, id), node).doc
  const remove = (doc: Node, id: string) => {
    const pos = posOf(doc, id)
    return new Transform(doc).delete(pos, pos + doc.nodeAt(pos)!.nodeSize).doc
  }
  const newPasal = (id: string) => schema.node('pasal', { id }, [schema.node('ayat', { id: `${id}a1` }, [teks('Sisipan.')])])

  it('names another Pasal with "dalam": "dalam Pasal 2"', () => {
    expect(words('p6a3', ['p2'])).toBe('dalam Pasal 2')
  })

  it('names an ayat of the same Pasal with "pada" and without the Pasal: "pada ayat (1)"', () => {
    expect(words('p6a3', ['p6a1'])).toBe('pada ayat (1)')
    expect(words('p6a1', ['p6a2'])).toBe('pada ayat (2)')
  })

  it('names an ayat of another Pasal in full: "dalam Pasal 7 ayat (2)"', () => {
    expect(words('p8a1', ['p7a2'])).toBe('dalam Pasal 7 ayat (2)')
  })

  it('names a huruf down from its Pasal: "dalam Pasal 3 ayat (2) huruf b"', () => {
    expect(words('p6a3', ['p3a2h2'])).toBe('dalam Pasal 3 ayat (2) huruf b')
  })

  it('names a huruf of the same Pasal from its ayat ("pada ayat (2) huruf c") and of the same ayat by itself ("pada huruf a")', () => {
    expect(words('p3a1', ['p3a2h3'])).toBe('pada ayat (2) huruf c')
    expect(words('p3a2', ['p3a2h1'])).toBe('pada huruf a')
  })

  it('names the single, unnumbered ayat of a Pasal as the Pasal: "dalam Pasal 2", and its huruf as "dalam Pasal 4 huruf b"', () => {
    expect(words('p6a3', ['p2a1'])).toBe('dalam Pasal 2')
    expect(words('p6a3', ['p4a1h2'])).toBe('dalam Pasal 4 huruf b')
  })

  it('collapses three or more consecutive Pasal into a range, whatever order the targets are stored in: "dalam Pasal 3 sampai dengan Pasal 5"', () => {
    expect(words('p8a1', ['p3', 'p4', 'p5'])).toBe('dalam Pasal 3 sampai dengan Pasal 5')
    expect(words('p8a1', ['p5', 'p3', 'p4'])).toBe('dalam Pasal 3 sampai dengan Pasal 5')
    expect(words('p8a1', ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'])).toBe('dalam Pasal 1 sampai dengan Pasal 7')
  })

  it('joins two targets with "dan": "dalam Pasal 3 dan Pasal 7", also when they are consecutive', () => {
    expect(words('p8a1', ['p3', 'p7'])).toBe('dalam Pasal 3 dan Pasal 7')
    expect(words('p8a1', ['p7', 'p3'])).toBe('dalam Pasal 3 dan Pasal 7')
    expect(words('p8a1', ['p3', 'p4'])).toBe('dalam Pasal 3 dan Pasal 4')
  })

  it('orders several targets as §1.5 asks: the same Pasal first, then other Pasal ascending, "A, B, dan C"', () => {
    expect(words('p7a2', ['p5', 'p7a1', 'p2', 'p3a2'])).toBe('pada ayat (1), Pasal 2, Pasal 3 ayat (2), dan Pasal 5')
    expect(words('p8a1', ['p6a2', 'p1', 'p4a1h1'])).toBe('dalam Pasal 1, Pasal 4 huruf a, dan Pasal 6 ayat (2)')
  })

  it('names several ayat of one other Pasal under that Pasal once, as in §1.5 "Pasal 7 ayat (2) dan ayat (4)"', () => {
    expect(words('p8a1', ['p6a1', 'p6a3'])).toBe('dalam Pasal 6 ayat (1) dan ayat (3)')
  })

  it('leaves out the preposition when the reference has none: "Pasal 3 sampai dengan Pasal 5"', () => {
    expect(only(law({ p8a1: ref(['p3', 'p4', 'p5'], { preposisi: false }) })).text).toBe('Pasal 3 sampai dengan Pasal 5')
  })

  it('is broken ("rujukan tidak ditemukan") once a target is deleted, even one of several', () => {
    const single = remove(law({ p6a3: ref(['p2']) }), 'p2')
    expect(only(single)).toMatchObject({ text: 'rujukan tidak ditemukan', broken: true, forward: false })
    const ofSeveral = remove(law({ p8a1: ref(['p3', 'p4', 'p5']) }), 'p4')
    expect(only(ofSeveral)).toMatchObject({ text: 'rujukan tidak ditemukan', broken: true })
    const huruf = remove(law({ p6a3: ref(['p3a2h2']) }), 'p3a2h2')
    expect(only(huruf).broken).toBe(true)
    // A reference with no target at all is broken too, not an empty string.
    expect(only(law({ p6a3: ref([]) })).broken).toBe(true)
  })

  it('flags a reference to a later Pasal as forward, and none to an earlier one or within its own Pasal', () => {
    expect(only(law({ p3a1: ref(['p5']) }))).toMatchObject({ text: 'dalam Pasal 5', broken: false, forward: true })
    expect(only(law({ p3a1: ref(['p2', 'p7a1']) })).forward).toBe(true)
    expect(only(law({ p6a3: ref(['p2']) })).forward).toBe(false)
    expect(only(law({ p6a1: ref(['p6a3']) })).forward).toBe(false)
  })

  it('renumbers after a Pasal is inserted before the target, and keeps its own-Pasal wording', () => {
    const doc = law({ p6a3: ref(['p3a2h2']), p7a2: ref(['p7a1']), p8a1: ref(['p3', 'p4', 'p5']) })
    const moved = insertBefore(doc, 'p2', newPasal('px'))
    expect(rendered(moved)).toEqual(['dalam Pasal 4 ayat (2) huruf b', 'pada ayat (1)', 'dalam Pasal 4 sampai dengan Pasal 6'])
    // Inserted after the targets and before the references: nothing changes for the targets.
    const after = insertBefore(doc, 'p6', newPasal('py'))
    expect(rendered(after)).toEqual(['dalam Pasal 3 ayat (2) huruf b', 'pada ayat (1)', 'dalam Pasal 3 sampai dengan Pasal 5'])
  })

  it('renumbers after an ayat or a huruf is inserted before the target', () => {
    const doc = law({ p6a3: ref(['p3a2h2']) })
    const newAyat = schema.node('ayat', { id: 'p3ax' }, [teks('Ayat sisipan.')])
    expect(only(insertBefore(doc, 'p3a2', newAyat)).text).toBe('dalam Pasal 3 ayat (3) huruf b')
    const newHuruf = schema.node('butir', { id: 'p3a2hx' }, [teks('sisipan;')])
    expect(only(insertBefore(doc, 'p3a2h1', newHuruf)).text).toBe('dalam Pasal 3 ayat (2) huruf c')
  })

  it('names the ayat once its Pasal gets a second one: "dalam Pasal 2" becomes "dalam Pasal 2 ayat (1)"', () => {
    const doc = law({ p6a3: ref(['p2a1']) })
    expect(only(doc).text).toBe('dalam Pasal 2')
    const second = schema.node('ayat', { id: 'p2a2' }, [teks('Dua dua.')])
    const pos = posOf(doc, 'p2a1')
    const grown = new Transform(doc).insert(pos + doc.nodeAt(pos)!.nodeSize, second).doc
    expect(only(grown).text).toBe('dalam Pasal 2 ayat (1)')
  })

  it('renumbers after a Pasal is moved: the moved target and the ones it passed', () => {
    const doc = law({ p6a3: ref(['p5']), p7a1: ref(['p2']), p8a1: ref(['p3', 'p4', 'p5']) })
    // Pasal 5 moves to the very front (cut, then pasted before Pasal 1), as "Pindahkan pasal" does.
    const p5 = doc.nodeAt(posOf(doc, 'p5'))!
    const moved = insertBefore(remove(doc, 'p5'), 'p1', p5)
    expect(numberDocument(moved).byId.get('p5')!.label).toBe('Pasal 1')
    // The range is no longer consecutive (Pasal 1, 4 and 5), so it is listed.
    expect(rendered(moved)).toEqual(['dalam Pasal 1', 'dalam Pasal 3', 'dalam Pasal 1, Pasal 4, dan Pasal 5'])
    // Moving a target behind its reference makes the reference a forward one.
    const p2 = moved.nodeAt(posOf(moved, 'p2'))!
    const behind = insertBefore(remove(moved, 'p2'), 'p8', p2)
    const all = [...renderAllReferences(behind, numberDocument(behind)).values()]
    expect(all[1]).toMatchObject({ text: 'dalam Pasal 7', broken: false, forward: true })
  })

  describe('the closing Menimbang point', () => {
    /** A konsiderans list of `before` points, then the closing point with its live reference. */
    function menimbang(before: number) {
      const doc = draft(bab('SATU', pasal('Satu.')))
      const points = Array.from({ length: before }, (_, i) => schema.node('konsiderans', null, [schema.text(`bahwa ${i + 1};`)]))
      const closing = schema.node('konsiderans', null, [
        schema.text('bahwa berdasarkan pertimbangan sebagaimana dimaksud '),
        ref([], { mode: 'konsiderans' }),
        schema.text(', perlu menetapkan;'),
      ])
      const list = doc.child(1).child(0)
      const from = doc.child(0).nodeSize + 1
      return new Transform(doc).replaceWith(from, from + list.nodeSize, schema.node('menimbang', null, [...points, closing])).doc
    }

    it.each([
      [1, 'dalam huruf a'],
      [2, 'dalam huruf a dan huruf b'],
      [3, 'dalam huruf a, huruf b, dan huruf c'],
      [4, 'dalam huruf a, huruf b, huruf c, dan huruf d'],
    ])('with %i point(s) before it reads "%s"', (before, expected) => {
      expect(only(menimbang(before))).toMatchObject({ text: expected, broken: false, forward: false })
    })

    it('follows when a point before it is removed', () => {
      const doc = menimbang(3)
      const first = doc.child(0).nodeSize + 1 + 1
      const fewer = new Transform(doc).delete(first, first + doc.nodeAt(first)!.nodeSize).doc
      expect(only(fewer).text).toBe('dalam huruf a dan huruf b')
    })

    it.each(['dalam huruf a', 'dalam huruf a dan huruf b', 'dalam huruf a, huruf b, dan huruf c'])(
      'a typed "%s" becomes a live closing reference that reads the same',
      (typed) => {
        const before = typed.split('huruf').length - 1
        const doc = regulation({
          nama: 'UJI',
          menimbang: [
            ...Array.from({ length: before }, (_, i) => `bahwa ${i + 1};`),
            `bahwa berdasarkan pertimbangan sebagaimana dimaksud ${typed}, perlu;`,
          ],
          mengingat: ['UUD 1945;'],
          batangTubuh: [bab('SATU', pasal('Satu.'))],
        })
        const live = convertTypedReferences(doc)
        expect(rendered(live)).toEqual([typed])
        expect(live.textContent).not.toContain(typed)
      },
    )
  })

  describe('typed references made live', () => {
    it('"dalam Pasal 3 dan Pasal 7" keeps both targets and follows renumbering', () => {
      const doc = convertTypedReferences(
        draft(
          bab(
            'SATU',
            pasal('a.'),
            pasal('b.'),
            pasal('c.'),
            pasal('d.'),
            pasal('e.'),
            pasal('f.'),
            pasal('g.'),
            pasal('sebagaimana dimaksud dalam Pasal 3 dan Pasal 7.'),
          ),
        ),
      )
      expect(rendered(doc)).toEqual(['dalam huruf a dan huruf b', 'dalam Pasal 3 dan Pasal 7'])
      const first = posOf(doc, numberDocument(doc).labels.find((l) => l.kind === 'pasal')!.id!)
      const inserted = new Transform(doc).insert(first, newPasal('pz')).doc
      expect(rendered(inserted)).toEqual(['dalam huruf a dan huruf b', 'dalam Pasal 4 dan Pasal 8'])
    })

    it('"dalam Pasal 2 sampai dengan Pasal 4" becomes a range of three targets', () => {
      const doc = convertTypedReferences(
        draft(bab('SATU', pasal('a.'), pasal('b.'), pasal('c.'), pasal('d.'), pasal('sebagaimana dimaksud dalam Pasal 2 sampai dengan Pasal 4.'))),
      )
      const typed = [...renderAllReferences(doc, numberDocument(doc)).values()]
      expect(typed.at(-1)!.text).toBe('dalam Pasal 2 sampai dengan Pasal 4')
      let node: Node | null = null
      doc.descendants((n) => {
        if (n.type.name === 'rujukan' && n.attrs.mode === 'unit') node = n
        return true
      })
      expect((node as Node | null)?.attrs.targets).toHaveLength(3)
    })
  })

  describe('references to a Lampiran', () => {
    const withLampiran = (text: string, ...annexes: Node[]) =>
      regulation({ nama: 'UJI', menimbang: ['bahwa a;'], mengingat: ['UUD 1945;'], batangTubuh: [bab('SATU', pasal(text))], lampiran: annexes })

    it('follows renumbering of the Lampiran: "dalam Lampiran" becomes "dalam Lampiran II" when a Lampiran is inserted before it (S13)', () => {
      const only = lampiran('TARIF')
      const reference = schema.node('rujukan', { targets: [only.attrs.id], preposisi: true, mode: 'unit' })
      const body = pasal(schema.node('ayat', { id: 'a1' }, [teks('Tarif tercantum ', reference, '.')]))
      const doc = regulation({ nama: 'UJI', menimbang: ['bahwa a;'], mengingat: ['UUD 1945;'], batangTubuh: [bab('SATU', body)], lampiran: [only] })
      expect(doc.check()).toBeUndefined()
      expect(rendered(doc)).toEqual(['dalam Lampiran'])
      const before = posOf(doc, only.attrs.id as string)
      const inserted = new Transform(doc).insert(before, lampiran('FORMULIR')).doc
      expect(rendered(inserted)).toEqual(['dalam Lampiran II'])
      const [result] = [...renderAllReferences(inserted, numberDocument(inserted)).values()]
      expect(result!.forward).toBe(false)
      expect(result!.segments.find((s) => s.targetId)?.targetId).toBe(only.attrs.id)
      // And back when the new one goes again.
      expect(rendered(new Transform(inserted).delete(before, before + lampiran('FORMULIR').nodeSize).doc)).toEqual(['dalam Lampiran'])
    })

    it('makes a typed "Lampiran II" or a lone "Lampiran" live, and leaves another law\u2019s Lampiran and a Lampiran that does not exist as typed', () => {
      const two = convertTypedReferences(
        withLampiran(
          'Tarif tercantum dalam Lampiran II yang merupakan bagian tidak terpisahkan, formulir dalam Lampiran I, bukan Lampiran III, dan bukan Lampiran II Undang-Undang Nomor 12 Tahun 2011 atau Lampiran.',
          lampiran('FORMULIR'),
          lampiran('TARIF'),
        ),
      )
      expect(rendered(two)).toEqual(['dalam Lampiran II', 'dalam Lampiran I'])
      expect(two.textContent).toContain('bukan Lampiran III, dan bukan Lampiran II Undang-Undang Nomor 12 Tahun 2011 atau Lampiran.')
      const firstLampiran = posOf(two, numberDocument(two).labels.find((l) => l.kind === 'lampiran')!.id!)
      const third = new Transform(two).insert(firstLampiran, lampiran('PETA')).doc
      expect(rendered(third)).toEqual(['dalam Lampiran III', 'dalam Lampiran II'])

      const one = convertTypedReferences(
        withLampiran('Tarif tercantum dalam Lampiran yang merupakan bagian tidak terpisahkan; bukan Lampiran I.', lampiran('TARIF')),
      )
      expect(rendered(one)).toEqual(['dalam Lampiran'])
      expect(one.textContent).toContain('bukan Lampiran I.')
    })
  })
})
