import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { pasal } from '../../shared/model/builders.js'
import { MAX_NOTE_LENGTH } from '../../shared/suggestions.js'
import { cleanBlocks, cleanDraft, cleanInsert, cleanNote } from './input.js'

/** Any decodable relative position: the form is checked here, the place against the live draft. */
const POSITION = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getText('t'), 0))).toString('base64')
const range = (quote: string) => ({ from: POSITION, to: POSITION, quote })

describe('checking the form of a suggestion', () => {
  it('takes a text suggestion and defaults its kind', () => {
    expect(cleanDraft({ anchor: { pasalId: 'p1', range: range('dapat') }, insert: 'wajib', note: '  Lebih tegas. ' })).toEqual({
      kind: 'text',
      pasalId: 'p1',
      range: range('dapat'),
      insert: 'wajib',
      note: 'Lebih tegas.',
    })
  })

  it('refuses wording that is no single line of text, or that changes nothing', () => {
    for (const insert of ['dua\nbaris', 'tab\tdi sini', 'kontrol\u0007', 'pecah \ud800', 42]) expect(() => cleanInsert(insert)).toThrow()
    expect(() => cleanDraft({ anchor: { pasalId: 'p1', range: range('sama') }, insert: 'sama' })).toThrow(/tidak mengubah/)
    expect(cleanInsert('e\u0301')).toBe('é')
  })

  it('refuses a missing or malformed anchor and an unknown kind', () => {
    expect(() => cleanDraft({ insert: 'x' })).toThrow(/pasal/)
    expect(() => cleanDraft({ anchor: { pasalId: 'P 1', range: range('') }, insert: 'x' })).toThrow(/pasal/)
    expect(() => cleanDraft({ anchor: { pasalId: 'p1', range: { from: '%%%', to: POSITION, quote: '' } }, insert: 'x' })).toThrow()
    expect(() => cleanDraft({ kind: 'gantiSemua', anchor: { pasalId: 'p1', range: range('') }, insert: 'x' })).toThrow(/Jenis/)
  })

  it('takes a deletePasal without a range, and blocks only at a point', () => {
    expect(cleanDraft({ kind: 'deletePasal', anchor: { pasalId: 'p1' } })).toEqual({ kind: 'deletePasal', pasalId: 'p1', insert: '' })
    expect(() => cleanDraft({ kind: 'blocks', anchor: { pasalId: 'p1', range: range('teks') }, blocks: [pasal('x').toJSON()] })).toThrow(/titik/)
  })

  it('takes whole units valid under the schema, dropping their ids; refuses anything else', () => {
    const [cleaned] = cleanBlocks([pasal('Pasal baru.').toJSON()]) as Array<{ attrs: { id: unknown }; content: Array<{ attrs: { id: unknown } }> }>
    expect(cleaned!.attrs.id).toBeNull()
    expect(cleaned!.content[0]!.attrs.id).toBeNull()
    const ayat = (content: unknown[]) => ({ type: 'ayat', content: [{ type: 'teks', content }] })
    for (const blocks of [
      [],
      {},
      [{ type: 'teks' }],
      [{ type: 'ayat', content: [] }],
      [ayat([{ type: 'text', text: 'baris\nbaru' }])],
      [ayat([{ type: 'text', text: 'x', marks: [{ type: 'ychange', attrs: { type: 'added' } }] }])],
      [ayat([{ type: 'rujukan', attrs: { targets: ['Bukan Id!'] } }])],
      Array.from({ length: 51 }, () => ayat([])),
    ]) {
      expect(() => cleanBlocks(blocks), JSON.stringify(blocks).slice(0, 80)).toThrow()
    }
  })

  it('takes an empty reason as none and refuses an overlong one', () => {
    expect(cleanNote('   ')).toBeUndefined()
    expect(cleanNote(null)).toBeUndefined()
    expect(() => cleanNote('x'.repeat(MAX_NOTE_LENGTH + 1))).toThrow()
  })
})
