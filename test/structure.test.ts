import { describe, expect, it } from 'vitest'
import { EditorState, NodeSelection, TextSelection, type Command } from 'prosemirror-state'
import { deleteSelection, joinBackward, joinForward } from 'prosemirror-commands'
import type { Node } from 'prosemirror-model'
import { createRapergubSpbe } from '../server/documents/rapergub-spbe.js'
import { contextAt, convertTypedReferences, renderReference } from '../shared/model/references.js'
import { numberDocument } from '../shared/model/numbering.js'
import { targetsOf } from '../shared/model/schema.js'
import { restoreStructure, structureProblems } from '../shared/model/structure.js'
import { prng, type Random } from './harness/random.js'

/** The seed draft as the server stores it: its typed references made live. */
const sample = convertTypedReferences(createRapergubSpbe())

/** Positions inside the text blocks of the batang tubuh (where a selection can start or end). */
function textPositions(doc: Node): number[] {
  const out: number[] = []
  doc.descendants((node, pos) => {
    if (node.type.name === 'penutup' || node.type.name === 'penjelasan' || node.type.name === 'lampiran') return false
    if (node.isTextblock && doc.resolve(pos).node(1)?.type.name === 'batangTubuh')
      for (let offset = 0; offset <= node.content.size; offset += Math.max(1, Math.floor(node.content.size / 3))) out.push(pos + 1 + offset)
    return !node.isTextblock
  })
  return out
}

function unitPositions(doc: Node): number[] {
  const out: number[] = []
  doc.descendants((node, pos) => {
    if (['bab', 'bagian', 'paragraf', 'pasal', 'ayat', 'butir'].includes(node.type.name)) out.push(pos)
    return !node.isTextblock
  })
  return out
}

/** How many edits so far needed a repair (printed: the property is vacuous if none did). */
let repairs = 0

/** Runs `command` on `state` as the editor would, then the structural repair the editor appends. */
function edit(state: EditorState, command: Command): EditorState {
  let next = state
  command(state, (tr) => (next = state.apply(tr)))
  const repair = restoreStructure(next.doc, state.doc)
  if (!repair) return next
  repairs += 1
  const tr = next.tr
  for (const step of repair.steps) tr.step(step)
  return next.apply(tr)
}

const select =
  (from: number, to: number): Command =>
  (state, dispatch) => (dispatch?.(state.tr.setSelection(TextSelection.create(state.doc, from, to))), true)

/** One random structural edit: a selection deleted or cut, a unit cut, Backspace/Delete at a block's edge, a slice pasted. */
function randomEdit(state: EditorState, random: Random): { name: string; state: EditorState } {
  const texts = textPositions(state.doc)
  const a = random.pick(texts)
  const b = random.pick(texts)
  const [from, to] = [Math.min(a, b), Math.max(a, b)]
  const kind = random.pick(['delete', 'cut-unit', 'backspace', 'delete-forward', 'paste'] as const)
  if (kind === 'delete') return { name: `delete ${from}-${to}`, state: edit(edit(state, select(from, to)), deleteSelection) }
  if (kind === 'cut-unit') {
    const unit = random.pick(unitPositions(state.doc))
    const cut: Command = (s, dispatch) => (
      dispatch?.(s.tr.setSelection(NodeSelection.create(s.doc, unit)).deleteSelection().setMeta('uiEvent', 'cut')),
      true
    )
    return { name: `cut unit at ${unit}`, state: edit(state, cut) }
  }
  if (kind === 'backspace' || kind === 'delete-forward') {
    const $pos = state.doc.resolve(a)
    const at = kind === 'backspace' ? $pos.start() : $pos.end()
    const join = kind === 'backspace' ? joinBackward : joinForward
    return { name: `${kind} at ${at}`, state: edit(edit(state, select(at, at)), join) }
  }
  const c = random.pick(texts)
  const d = random.pick(texts)
  const slice = state.doc.slice(Math.min(c, d), Math.max(c, d))
  const paste: Command = (s, dispatch) => (dispatch?.(s.tr.replaceSelection(slice).setMeta('uiEvent', 'paste')), true)
  return { name: `paste ${c}-${d} over ${from}-${to}`, state: edit(edit(state, select(from, to)), paste) }
}

describe('structural edits (S21)', () => {
  it('the sample draft keeps every structural rule to start with', () => {
    expect(structureProblems(sample)).toEqual([])
  })

  it('random deletions, cuts, joins and pastes on the sample draft always leave a structure the validator accepts (S21)', () => {
    const seeds = 120
    repairs = 0
    for (let seed = 1; seed <= seeds; seed++) {
      const random = prng(seed)
      let state = EditorState.create({ doc: sample })
      const steps: string[] = []
      for (let i = 0; i < 3; i++) {
        const result = randomEdit(state, random)
        steps.push(result.name)
        state = result.state
        state.doc.check()
        expect(structureProblems(state.doc), `seed ${seed}: ${steps.join(', ')}`).toEqual([])
      }
    }
    console.log(`structure: ${seeds} seeds × 3 edits, ${repairs} edits needed a repair`)
    expect(repairs).toBeGreaterThan(0)
    // Hundreds of edits on a full draft: a generous budget for a shared, busy machine.
  }, 60_000)

  it("deleting from a Pasal into the next Bagian's first Paragraf heading leaves no untitled Paragraf beside loose Pasal, and keeps every Pasal number (S21)", () => {
    let from = -1
    let to = -1
    sample.descendants((node, pos) => {
      if (node.isText && node.text!.startsWith('Data yang dihasilkan oleh Perangkat')) from = pos + 5
      if (node.type.name === 'paragrafJudul' && node.textContent === 'Pusat Data') to = pos + 4
      return true
    })
    const state = EditorState.create({ doc: sample })
    const selected = state.apply(state.tr.setSelection(TextSelection.create(sample, from, to)))
    let unrepaired = selected
    deleteSelection(selected, (tr) => (unrepaired = selected.apply(tr)))
    // What ProseMirror alone makes of it: the untitled Paragraf inside a Bagian holding Pasal.
    expect(structureProblems(unrepaired.doc).map((p) => p.rule)).toContain('mixed-parts')
    const repaired = edit(edit(state, select(from, to)), deleteSelection)
    expect(structureProblems(repaired.doc)).toEqual([])
    const pasalCount = (doc: Node) => {
      let count = 0
      doc.descendants((node) => ((count += Number(node.type.name === 'pasal')), !node.isTextblock))
      return count
    }
    expect(pasalCount(repaired.doc)).toBe(pasalCount(unrepaired.doc))
    const untitled: string[] = []
    repaired.doc.descendants((node) => {
      if (node.type.name === 'paragraf' && !node.firstChild!.textContent) untitled.push(node.toString())
      return !node.isTextblock
    })
    expect(untitled).toEqual([])
  })

  it('cutting a Pasal that a live reference names keeps that reference, live and marked broken, and the structure valid: never words that would name another Pasal after renumbering (S21)', () => {
    const numbering = numberDocument(sample)
    let reference: Node | null = null
    sample.descendants((node) => {
      const target = numbering.byId.get(targetsOf(node)[0] ?? '')
      if (!reference && node.type.name === 'rujukan' && target?.kind === 'pasal') reference = node
      return true
    })
    const targets = JSON.stringify(reference!.attrs.targets)
    /** The words of every reference in `doc` with the same targets. */
    const readings = (doc: Node) => {
      const numbered = numberDocument(doc)
      const words: Array<{ text: string; broken: boolean }> = []
      doc.descendants((node, pos) => {
        if (node.type.name === 'rujukan' && JSON.stringify(node.attrs.targets) === targets)
          words.push(renderReference(node, contextAt(doc, pos, numbered), numbered))
        return true
      })
      return words
    }
    const target = numbering.byId.get(targetsOf(reference!)[0]!)!
    const cut: Command = (s, dispatch) => (dispatch?.(s.tr.setSelection(NodeSelection.create(s.doc, target.pos)).deleteSelection()), true)
    const after = edit(EditorState.create({ doc: sample }), cut).doc
    expect(structureProblems(after)).toEqual([])
    const before = readings(sample)
    expect(before.every((r) => !r.broken)).toBe(true)
    expect(readings(after)).toEqual(
      before.map(() => ({ text: 'rujukan tidak ditemukan', segments: [{ text: 'rujukan tidak ditemukan' }], broken: true, forward: false })),
    )
  })
})
