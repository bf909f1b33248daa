import { describe, expect, it } from 'vitest'
import type { User } from '../../shared/accounts.js'
import { ayat, bab, pasal, regulation } from '../../shared/model/builders.js'
import { numberDocument } from '../../shared/model/numbering.js'
import { encodeDocument, toProsemirror } from '../../shared/model/ydoc.js'
import type { DocumentRecord } from '../../shared/documents.js'
import { MemoryStorage } from '../storage/memory.js'
import { Rooms } from '../rooms/rooms.js'
import type { RoomAccess } from '../rooms/hooks.js'
import { inlineValidator } from '../rooms/validation.js'
import { Suggestions } from './suggestions.js'

const RECORD: DocumentRecord = { id: 'uji-usulan', title: 'Dokumen uji', createdAt: '2026-01-01T00:00:00.000Z', epoch: 'e1' }
const RINA: User = { id: 'id-rina', username: 'rina', name: 'Rina', bidang: 'Bidang Aplikasi Informatika', role: 'editor' }
const DEWI: User = { id: 'id-dewi', username: 'dewi', name: 'Dewi', bidang: 'Biro Hukum', role: 'commenter' }
/** A Word author without an account: labelled with the name Word gives. */
const WORD_AUTHOR = { username: 'word:Pak Harun', name: 'Pak Harun', bidang: 'Word' }

async function setUp() {
  const storage = new MemoryStorage()
  const draft = regulation({
    jenis: 'PERATURAN GUBERNUR',
    nama: 'UJI',
    jabatan: 'GUBERNUR,',
    menimbang: ['bahwa a;'],
    mengingat: ['UUD 1945;'],
    menetapkan: 'PERATURAN GUBERNUR TENTANG UJI.',
    batangTubuh: [bab('KETENTUAN UMUM', pasal(ayat('Dinas dapat membangun aplikasi.'), ayat('Perangkat Daerah dapat membangun jaringan.')))],
    penutup: ['Agar setiap orang mengetahuinya.'],
  })
  await storage.createDocument(RECORD, encodeDocument(draft))
  const access: RoomAccess = { with: (id, task) => rooms.with(id, task), peek: (id) => rooms.peek(id) }
  const suggestions = new Suggestions(storage, access)
  const rooms = new Rooms(
    storage,
    {
      compactAfterUpdates: 500,
      maxBufferedBytes: 1 << 20,
      maxStateBytes: 16 * 1024,
      maxClientsPerConnection: 8,
      validator: inlineValidator,
      syncAnswersPerMinute: 60,
      idleUnloadMs: 0,
    },
    [suggestions],
  )
  const pasalId = numberDocument(draft).labels.find((l) => l.kind === 'pasal')!.id!
  return { storage, rooms, suggestions, pasalId }
}

describe('suggestions placed by their words (importing Word tracked changes)', () => {
  it('places a change by its context, and accepting it attributes the words to the Word author', async () => {
    const { storage, rooms, suggestions, pasalId } = await setUp()
    const suggestion = await suggestions.createByText(RECORD.id, RINA, WORD_AUTHOR, {
      pasalId,
      before: 'Perangkat Daerah ',
      quote: 'dapat',
      insert: 'wajib',
    })
    expect(suggestion).toMatchObject({
      author: WORD_AUTHOR,
      anchor: { pasalId, range: { quote: 'dapat' } },
      status: 'open',
      origin: { pasalLabel: 'Pasal 1' },
    })
    const insertion = await suggestions.createByText(RECORD.id, RINA, WORD_AUTHOR, {
      pasalId,
      before: 'membangun aplikasi',
      quote: '',
      insert: ' terpadu',
    })
    expect(insertion.anchor.range.quote).toBe('')

    await suggestions.accept(RECORD.id, suggestion.id, RINA)
    await suggestions.accept(RECORD.id, insertion.id, RINA)
    const text = await rooms.with(RECORD.id, (room) => toProsemirror(room.doc).textBetween(0, toProsemirror(room.doc).content.size, '|'))
    expect(text).toContain('Dinas dapat membangun aplikasi terpadu.|Perangkat Daerah wajib membangun jaringan.')
    const { authors } = await storage.loadAttribution(RECORD.id)
    expect([...authors.values()]).toEqual([WORD_AUTHOR, WORD_AUTHOR])
    await rooms.closeAll()
  })

  it('refuses a change it cannot place exactly once, and an importer who may not edit', async () => {
    const { rooms, suggestions, pasalId } = await setUp()
    await expect(suggestions.createByText(RECORD.id, RINA, WORD_AUTHOR, { pasalId, before: '', quote: 'dapat', insert: 'wajib' })).rejects.toThrow(
      /lebih dari sekali/,
    )
    await expect(suggestions.createByText(RECORD.id, RINA, WORD_AUTHOR, { pasalId, before: '', quote: 'tidak ada', insert: 'x' })).rejects.toThrow(
      /tidak ditemukan/,
    )
    expect(() => suggestions.createByText(RECORD.id, DEWI, WORD_AUTHOR, { pasalId, before: '', quote: 'Dinas', insert: 'x' })).toThrow(/penyusun/)
    expect(await suggestions.list(RECORD.id)).toEqual([])
    await rooms.closeAll()
  })
})
