import { describe, expect, it } from 'vitest'
import { ayat, bab, pasal, regulation } from '../../../../shared/model/builders.js'
import { numberDocument } from '../../../../shared/model/numbering.js'
import { convertTypedReferences, renderAllReferences } from '../../../../shared/model/references.js'
import { quotedLines } from './quoted.js'

describe('quotedLines', () => {
  it('prints a quoted Pasal under its amendment number, each ayat and item with its own', () => {
    const node = pasal(
      ayat('Tata Kelola SPBE terdiri atas:', { jenis: 'huruf', items: ['Arsitektur SPBE;', 'Peta Rencana SPBE.'] }),
      ayat('Ayat kedua.'),
    )
    const labels = new Map<string, string>()
    labels.set(node.attrs.id as string, 'Pasal 8A')
    labels.set(node.child(0).attrs.id as string, '(1)')
    labels.set(node.child(1).attrs.id as string, '(2)')
    const lines = quotedLines(node, 0, { labelOf: (id) => labels.get(id), referenceAt: () => undefined })
    expect(lines[0]).toEqual({ label: 'Pasal 8A', text: '', depth: 0, heading: true })
    expect(lines.map((l) => l.text)).toEqual(['', 'Tata Kelola SPBE terdiri atas:', 'Arsitektur SPBE;', 'Peta Rencana SPBE.', 'Ayat kedua.'])
    expect(lines.map((l) => l.label)).toEqual(['Pasal 8A', '(1)', '', '', '(2)'])
    expect(lines[2]!.depth).toBe(1)
  })

  it('words a live reference inside the quoted unit as the draft numbers it', () => {
    const draft = regulation({
      nama: 'X',
      menimbang: ['bahwa;'],
      mengingat: ['UUD;'],
      batangTubuh: [bab('UMUM', pasal('Satu.'), pasal('Sebagaimana dimaksud dalam Pasal 1.'))],
    })
    const doc = convertTypedReferences(draft)
    const numbering = numberDocument(doc)
    const references = renderAllReferences(doc, numbering)
    const second = numbering.labels.filter((l) => l.kind === 'pasal')[1]!
    const lines = quotedLines(doc.nodeAt(second.pos)!, second.pos, {
      labelOf: (id) => numbering.byId.get(id)?.label,
      referenceAt: (pos) => references.get(pos)?.text,
    })
    expect(lines.map((l) => `${l.label} ${l.text}`.trim())).toEqual(['Pasal 2', 'Sebagaimana dimaksud dalam Pasal 1.'])
  })
})
