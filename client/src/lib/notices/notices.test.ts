import { describe, expect, it } from 'vitest'
import type { StatusRecord } from '../../../../shared/agreement.js'
import { addNotice, isDemotion, isObsolete, MAX_NOTICES, noticeText, type LabelOf, type Notice, type NoticeFacts } from './notices.js'

const sari = { username: 'sari', name: 'Sari', bidang: 'Biro Hukum' }
const bayu = { username: 'bayu', name: 'Bayu', bidang: 'Bidang Persandian' }

const agreed = (pasalId: string): StatusRecord => ({
  docId: 'd',
  pasalId,
  status: 'disepakati',
  history: [{ status: 'disepakati', by: sari, at: '2026-01-01T08:00:00.000Z' }],
})
const demoted = (pasalId: string): StatusRecord => ({
  ...agreed(pasalId),
  status: 'dibahas',
  history: [...agreed(pasalId).history, { status: 'dibahas', by: bayu, at: '2026-01-01T09:00:00.000Z', reason: 'teks-diubah' }],
})
const reagreed = (pasalId: string): StatusRecord => ({
  ...demoted(pasalId),
  status: 'disepakati',
  history: [...demoted(pasalId).history, { status: 'disepakati', by: sari, at: '2026-01-01T10:00:00.000Z' }],
})

/** What a notice is worded from, with no reference pointing nowhere unless said. */
const facts = (labelOf: LabelOf, brokenReferences = 0): NoticeFacts => ({ labelOf, brokenReferences })

const demotion = (id: number, pasalId: string): Notice => ({ kind: 'demoted', id, pasalId, record: demoted(pasalId) })

describe('notices (S22)', () => {
  it('names the Pasal by the number it has when shown, not the one it had when the notice came', () => {
    const notice = demotion(1, 'p7')
    const numbers = new Map([['p7', 'Pasal 7']])
    const labelOf = (id: string) => numbers.get(id)
    expect(noticeText(notice, facts(labelOf))).toBe('Pasal 7 kembali ke Dibahas: teksnya diubah oleh Bayu (Bidang Persandian) setelah disepakati.')
    // A Pasal was inserted before it.
    numbers.set('p7', 'Pasal 8')
    expect(noticeText(notice, facts(labelOf))).toBe('Pasal 8 kembali ke Dibahas: teksnya diubah oleh Bayu (Bidang Persandian) setelah disepakati.')
  })

  it('names who restored which version, and when that version was taken', () => {
    const notice: Notice = {
      kind: 'restored',
      id: 2,
      restore: {
        docId: 'd',
        version: { id: 'v1', name: 'Sebelum rapat', createdAt: '2026-01-01T08:00:00.000Z', auto: false },
        before: { id: 'v2', name: 'Sebelum pemulihan ke "Sebelum rapat"', createdAt: '2026-01-02T08:00:00.000Z', auto: true },
        by: sari,
        at: '2026-01-02T08:00:00.000Z',
      },
    }
    const text = noticeText(
      notice,
      facts(() => undefined),
      new Date('2026-03-01T00:00:00.000Z'),
    )
    expect(text).toMatch(
      /^Sari \(Biro Hukum\) memulihkan versi "Sebelum rapat" \(1 Januari 2026 pukul \d\d\.\d\d\): naskah kini sama dengan versi itu\./,
    )
  })

  it('closes a demotion notice once its Pasal changed status again or is gone, and never a restore notice', () => {
    const notice = demotion(1, 'p7')
    const here = (id: string) => (id === 'p7' ? 'Pasal 7' : undefined)
    expect(isObsolete(notice, new Map([['p7', demoted('p7')]]), facts(here))).toBe(false)
    expect(isObsolete(notice, new Map([['p7', reagreed('p7')]]), facts(here))).toBe(true)
    expect(
      isObsolete(
        notice,
        new Map([['p7', demoted('p7')]]),
        facts(() => undefined),
      ),
    ).toBe(true)
    const restore: Notice = {
      kind: 'restored',
      id: 3,
      restore: {
        docId: 'd',
        version: { id: 'v', name: 'v', createdAt: '', auto: true },
        before: { id: 'w', name: 'w', createdAt: '', auto: true },
        by: sari,
        at: '',
      },
    }
    expect(
      isObsolete(
        restore,
        new Map(),
        facts(() => undefined),
      ),
    ).toBe(false)
  })

  it('keeps the newest notice per Pasal and only the last few', () => {
    let list: Notice[] = []
    list = addNotice(list, demotion(1, 'p7'))
    list = addNotice(list, demotion(2, 'p7'))
    expect(list.map((n) => n.id)).toEqual([2])
    for (let i = 3; i < 10; i++) list = addNotice(list, demotion(i, `p${i}`))
    expect(list.map((n) => n.id)).toEqual([7, 8, 9].slice(-MAX_NOTICES))
  })

  it("tells how many references point nowhere after one's own deletion, counted when shown, and closes once none does (S21)", () => {
    const notice: Notice = { kind: 'broken-references', id: 4 }
    expect(
      noticeText(
        notice,
        facts(() => undefined, 2),
      ),
    ).toMatch(/^Penghapusan Anda membuat 2 rujukan tidak menemukan pasal atau ayat/)
    expect(
      noticeText(
        notice,
        facts(() => undefined, 1),
      ),
    ).toMatch(/membuat 1 rujukan/)
    expect(
      isObsolete(
        notice,
        new Map(),
        facts(() => undefined, 1),
      ),
    ).toBe(false)
    expect(
      isObsolete(
        notice,
        new Map(),
        facts(() => undefined, 0),
      ),
    ).toBe(true)
    // A second deletion replaces the first notice rather than stacking another.
    expect(addNotice(addNotice([], notice), { ...notice, id: 5 }).map((n) => n.id)).toEqual([5])
  })

  it('tells only of demotions caused by an edit', () => {
    expect(isDemotion(demoted('p1'))).toBe(true)
    expect(isDemotion(agreed('p1'))).toBe(false)
    expect(isDemotion(reagreed('p1'))).toBe(false)
  })
})
