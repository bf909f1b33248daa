/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import type { Role, User } from '../../shared/accounts.js'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, api } from '../harness/clients.js'
import { RAPERGUB_SPBE_ID as DOC } from '../../server/documents/rapergub-spbe.js'
import {
  ayatTeks,
  caretAt,
  clean,
  controlNetwork,
  focusEditor,
  launchBrowser,
  newProfile,
  openEditor,
  outlineEntry,
  pasalArticle,
  selectInBlock,
  SYNC,
  visibleText,
  visibleWords,
  type NetworkSwitch,
} from '../harness/browser.js'

/** Issue 13 in Chromium: suggestions ("usulan perubahan") typed in the text, seen live, settled by an editor. */

interface Person {
  readonly user: User
  readonly page: Page
}

let server: TestServer
let browser: Browser
/** A commenter of the Biro Hukum: proposes wording, never changes the text. */
let dewi: Person
/** An editor of the drafting bidang: accepts and rejects in the rapat; her network can be cut. */
let rina: Person
let rinaNetwork: NetworkSwitch
/** A third window, of another bidang, that only watches the text. */
let bayu: Person

async function person(role: Role, name: string, bidang: string, network?: (context: Awaited<ReturnType<typeof newProfile>>) => Promise<void>) {
  const username = name.toLowerCase().split(' ')[0]!
  const password = `sandi-rahasia-${role}-2026`
  const created = await api<User>(server, 'POST', '/api/users', { token: await adminToken(server), body: { username, name, bidang, role, password } })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const context = await newProfile(browser)
  await network?.(context)
  const { page } = await openEditor(browser, server, { username, password }, DOC, { context })
  return { user: created.body, page }
}

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  ;[dewi, rina, bayu] = await Promise.all([
    person('commenter', 'Dewi Lestari', 'Biro Hukum'),
    person('editor', 'Rina Wulandari', 'Bidang Aplikasi Informatika', async (context) => {
      rinaNetwork = await controlNetwork(context)
    }),
    person('viewer', 'Bayu Saputra', 'Bidang Persandian'),
  ])
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

/** Opens the "Usulan" tab of the right panel. */
async function openSuggestions(page: Page) {
  await page.getByRole('tab', { name: /^Usulan/ }).click()
  await page.locator('#panel-usulan').waitFor()
}

/** Every suggestion card in the panel whose change or author holds `text`. */
const card = (page: Page, text: string) => page.getByTestId('usulan').filter({ hasText: text })

/** The status badge of a card ("Terbuka", "Diterima", "Teks sudah berubah", "Mengirim…"). */
const cardStatus = async (locator: Locator) => clean(await locator.locator('.lencana.status-usulan').textContent())

/**
 * Selects `phrase` (its first occurrence) in ayat `index` of Pasal `label`, as a person dragging over
 * it would, and waits until the editor has the selection (a key pressed before acts on the old one).
 */
async function selectPhrase(page: Page, label: string, index: number, phrase: string) {
  const block = ayatTeks(page, label, index)
  const text = await visibleText(block)
  const start = text.indexOf(phrase)
  expect(start, `"${phrase}" in "${text}"`).toBeGreaterThanOrEqual(0)
  await focusEditor(page)
  await selectInBlock(block, start, start + phrase.length)
  await expect.poll(() => outlineEntry(page, label).getAttribute('aria-current'), SYNC).toBe('location')
}

/** The proposed words and the struck words drawn in a Pasal, in document order. */
const marks = async (page: Page, label: string) => ({
  inserted: (await pasalArticle(page, label).locator('ins.usulan-sisip').allTextContents()).map(clean),
  deleted: (await pasalArticle(page, label).locator('del.usulan-hapus').allTextContents()).map(clean),
})

describe('suggestions in the editor', () => {
  const ORIGINAL = 'ditetapkan oleh Gubernur.'
  const ACCEPTED = 'ditetapkan dengan Keputusan Gubernur.'

  test('Dewi (commenter, Biro Hukum) types over a word in Pasal 7: one suggestion, drawn inline for everyone, and the text itself is untouched', async () => {
    // Her toolbar shows mode usulan on and locked.
    const toggle = dewi.page.getByTestId('mode-usulan')
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    expect(await toggle.getAttribute('aria-disabled')).toBe('true')

    await selectPhrase(dewi.page, 'Pasal 7', 0, 'oleh')
    await dewi.page.keyboard.type('dengan Keputusan')

    await openSuggestions(dewi.page)
    const mine = card(dewi.page, 'dengan Keputusan')
    await expect.poll(() => cardStatus(mine), SYNC).toBe('Terbuka')
    for (const page of [dewi.page, rina.page, bayu.page]) {
      // Typing next to her own suggestion extended it: one suggestion, the whole phrase.
      await expect.poll(() => marks(page, 'Pasal 7'), SYNC).toEqual({ inserted: ['dengan Keputusan'], deleted: ['oleh'] })
      // The text (without the proposed words) is what it was: nothing reached the document.
      expect(await visibleWords(ayatTeks(page, 'Pasal 7'))).toContain(ORIGINAL)
      await expect.poll(() => page.getByTestId('jumlah-usulan').textContent(), SYNC).toBe('1 usulan terbuka')
      expect(clean(await outlineEntry(page, 'Pasal 7').locator('.jumlah-usulan-pasal').textContent())).toBe('✎1')
    }
    // The proposed words carry her bidang's colour, and a different line style from the struck ones.
    const style = await pasalArticle(rina.page, 'Pasal 7')
      .locator('ins.usulan-sisip')
      .evaluate((element) => [getComputedStyle(element).textDecorationLine, element.style.getPropertyValue('--warna-usulan')])
    expect(style[0]).toBe('underline')
    expect(style[1]).toMatch(/^#[0-9a-f]{6}$/i)

    await openSuggestions(rina.page)
    const seen = card(rina.page, 'dengan Keputusan')
    await expect.poll(() => cardStatus(seen), SYNC).toBe('Terbuka')
    expect(clean(await seen.locator('.penulis').first().textContent())).toContain('Dewi Lestari Biro Hukum')
    expect(clean(await seen.getByTestId('isi-usulan').locator('del').textContent())).toBe('oleh')
    expect(clean(await seen.getByTestId('isi-usulan').locator('ins').textContent())).toBe('dengan Keputusan')
    // A commenter cannot accept; an editor can.
    expect(await mine.getByRole('button', { name: 'Terima' }).count()).toBe(0)
    expect(await seen.getByRole('button', { name: 'Terima' }).count()).toBe(1)

    // From the keyboard: Enter on the card's header puts the cursor on its Pasal.
    await seen.locator('.kepala-utas').focus()
    await rina.page.keyboard.press('Enter')
    await expect.poll(() => outlineEntry(rina.page, 'Pasal 7').getAttribute('aria-current'), SYNC).toBe('location')
    await pasalArticle(rina.page, 'Pasal 7').evaluate((element) => element.scrollIntoView({ block: 'center' }))
    await rina.page.screenshot({ path: '/work/notes/suggestions.png' })
  })

  test('Rina accepts it: every window shows the new wording, and the comparison attributes the change to Dewi', async () => {
    // A version of the draft as it went into the rapat, to compare with afterwards.
    await rina.page.getByRole('tab', { name: 'Riwayat versi' }).click()
    await rina.page.getByLabel('Nama versi').fill('Sebelum rapat')
    await rina.page.getByRole('button', { name: 'Simpan versi' }).click()
    await rina.page.getByTestId('versi').filter({ hasText: 'Sebelum rapat' }).waitFor({ timeout: SYNC.timeout })
    const saved = bayu.page.getByTestId('versi').filter({ hasText: 'Sebelum rapat' })
    await bayu.page.getByRole('tab', { name: 'Riwayat versi' }).click()
    await saved.waitFor({ timeout: SYNC.timeout })

    await openSuggestions(rina.page)
    await card(rina.page, 'dengan Keputusan').getByRole('button', { name: 'Terima' }).click()

    for (const page of [bayu.page, rina.page, dewi.page]) {
      await expect.poll(() => visibleWords(ayatTeks(page, 'Pasal 7')), SYNC).toContain(ACCEPTED)
      expect(await visibleWords(ayatTeks(page, 'Pasal 7'))).not.toContain(ORIGINAL)
      await expect.poll(() => marks(page, 'Pasal 7'), SYNC).toEqual({ inserted: [], deleted: [] })
    }
    // Settled suggestions leave the default list ("Terbuka"); "Selesai" shows them.
    await expect.poll(() => card(dewi.page, 'dengan Keputusan').count(), SYNC).toBe(0)
    await dewi.page.locator('#panel-usulan').getByRole('button', { name: 'Selesai' }).click()
    await expect.poll(() => cardStatus(card(dewi.page, 'dengan Keputusan')), SYNC).toBe('Diterima')
    expect(clean(await card(dewi.page, 'dengan Keputusan').textContent())).toContain('Diterima oleh Rina Wulandari (Bidang Aplikasi Informatika)')
    await dewi.page.locator('#panel-usulan').getByRole('button', { name: 'Terbuka' }).click()

    // "Bandingkan" from the version before the rapat to the live text names Dewi for the change in Pasal 7.
    await saved.getByRole('button', { name: 'Bandingkan' }).click()
    await expect
      .poll(
        () =>
          bayu.page
            .getByTestId('perubahan')
            .allTextContents()
            .then((all) => all.map(clean)),
        SYNC,
      )
      .toContain(`Pasal 7 diubah oleh ${dewi.user.name} (Biro Hukum)`)
    const inserted = bayu.page.locator('.lihat-versi .naskah article.pasal[data-label="Pasal 7"] ins.perubahan')
    await expect.poll(async () => clean((await inserted.allTextContents()).join(' ')), SYNC).toContain('dengan Keputusan')
    expect(await inserted.first().getAttribute('title')).toBe(`${dewi.user.name} · Biro Hukum`)
    await bayu.page.getByRole('button', { name: 'Kembali ke naskah' }).click()
  })

  test('an editor switches mode usulan on and off with Ctrl+Alt+S: on, typing proposes; off, typing edits', async () => {
    const toggle = rina.page.getByTestId('mode-usulan')
    const block = ayatTeks(rina.page, 'Pasal 8')
    const before = await visibleWords(block)
    await selectPhrase(rina.page, 'Pasal 8', 0, 'Perangkat Daerah')
    await rina.page.keyboard.press('Control+Alt+S')
    await expect.poll(() => toggle.getAttribute('aria-pressed'), SYNC).toBe('true')

    await rina.page.keyboard.type('Setiap Perangkat Daerah')
    for (const page of [rina.page, bayu.page]) {
      await expect.poll(() => marks(page, 'Pasal 8'), SYNC).toEqual({ inserted: ['Setiap Perangkat Daerah'], deleted: ['Perangkat Daerah'] })
      expect(await visibleWords(ayatTeks(page, 'Pasal 8'))).toBe(before)
    }
    await expect.poll(() => cardStatus(card(rina.page, 'Setiap Perangkat Daerah')), SYNC).toBe('Terbuka')

    await rina.page.keyboard.press('Control+Alt+S')
    await expect.poll(() => toggle.getAttribute('aria-pressed'), SYNC).toBe('false')
    await caretAt(block, 'end')
    await rina.page.keyboard.type(' Langsung')
    await expect.poll(() => visibleWords(ayatTeks(bayu.page, 'Pasal 8')), SYNC).toBe(`${before} Langsung`)
  })

  test('a suggestion whose words another person changed shows "teks sudah berubah" with the old and current wording, and cannot be accepted', async () => {
    const PHRASE = 'paling sedikit 1 (satu) kali'
    await selectPhrase(dewi.page, 'Pasal 7', 2, PHRASE)
    await dewi.page.keyboard.type('setiap tahun')
    await expect.poll(() => cardStatus(card(rina.page, 'setiap tahun')), SYNC).toBe('Terbuka')

    // Rina edits the same words directly (mode usulan is off for her now).
    await selectPhrase(rina.page, 'Pasal 7', 2, 'sedikit')
    await rina.page.keyboard.type('lama')

    for (const page of [dewi.page, rina.page]) {
      const stale = card(page, 'setiap tahun')
      await expect.poll(() => cardStatus(stale), SYNC).toBe('Teks sudah berubah')
      // Stale again with each further change: wait for the wording after Rina's last key.
      await expect.poll(async () => clean(await stale.locator('.basi').textContent()), SYNC).toContain('Sekarang: “paling lama 1 (satu) kali”')
      const note = clean(await stale.locator('.basi').textContent())
      expect(note).toContain('Teks sudah berubah')
      expect(note).toContain(`Semula: “${PHRASE}”`)
      expect(await stale.getByRole('button', { name: 'Terima' }).count()).toBe(0)
    }
    await expect.poll(() => marks(rina.page, 'Pasal 7'), SYNC).toEqual({ inserted: [], deleted: [] })
  })

  test('accepting while the connection is down is refused with a message, and nothing is accepted later', async () => {
    await selectPhrase(dewi.page, 'Pasal 9', 0, 'memetakan')
    await dewi.page.keyboard.type('wajib memetakan')
    const proposal = card(rina.page, 'wajib memetakan')
    await expect.poll(() => cardStatus(proposal), SYNC).toBe('Terbuka')
    const before = await visibleWords(ayatTeks(bayu.page, 'Pasal 9'))

    await rinaNetwork.goOffline()
    await expect.poll(() => rina.page.getByTestId('status-sambungan').textContent(), SYNC).toContain('Luring')
    await proposal.getByRole('button', { name: 'Terima' }).click()
    await expect.poll(() => proposal.getByRole('alert').textContent(), SYNC).toBe('Tidak tersambung ke server; usulan belum dapat diterima.')

    await rinaNetwork.goOnline()
    await expect.poll(() => rina.page.getByTestId('status-sambungan').textContent(), SYNC).toContain('Tersambung')
    // Reconnected, the refused accept was not sent after all: the suggestion is open, the text unchanged.
    await expect.poll(() => cardStatus(card(dewi.page, 'wajib memetakan')), SYNC).toBe('Terbuka')
    expect(await visibleWords(ayatTeks(bayu.page, 'Pasal 9'))).toBe(before)
    expect(await cardStatus(proposal)).toBe('Terbuka')
  })

  test('Enter in mode usulan asks for a new ayat from the keyboard, and the proposed ayat is drawn as a block for everyone', async () => {
    const AYAT = 'Pemetaan Proses Bisnis dimutakhirkan paling sedikit 1 (satu) kali dalam 1 (satu) tahun.'
    await focusEditor(dewi.page)
    await caretAt(ayatTeks(dewi.page, 'Pasal 9', 1), 'end')
    await expect.poll(() => outlineEntry(dewi.page, 'Pasal 9').getAttribute('aria-current'), SYNC).toBe('location')
    await dewi.page.keyboard.press('Enter')

    const form = dewi.page.getByRole('dialog', { name: 'Usulkan ayat baru di Pasal 9, sesudah ayat ini' })
    await form.waitFor({ timeout: SYNC.timeout })
    // The focus is in the wording box: type, then Ctrl+Enter proposes.
    await dewi.page.keyboard.type(AYAT)
    await dewi.page.keyboard.press('Control+Enter')
    await form.waitFor({ state: 'hidden', timeout: SYNC.timeout })

    for (const page of [rina.page, bayu.page]) {
      const block = pasalArticle(page, 'Pasal 9').locator('.usulan-blok')
      await expect.poll(async () => clean(await block.textContent()), SYNC).toBe(`Usulan ayat baru — ${dewi.user.name}${AYAT}`)
      // Only proposed: Pasal 9 still has its ayat, and no new one.
      expect(await pasalArticle(page, 'Pasal 9').locator('> div.ayat').count()).toBe(3)
    }
    await expect.poll(() => cardStatus(card(rina.page, AYAT)), SYNC).toBe('Terbuka')
  })
})
