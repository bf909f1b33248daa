/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, createAccount } from '../harness/clients.js'
import type { DraftMeta } from '../../shared/documents.js'
import { insertPasalAfter, pasal } from '../harness/document.js'
import { ayatTeks, clean, clickInto, launchBrowser, openEditor, outlinePasalLabels, pasalArticle, signIn, SYNC } from '../harness/browser.js'

/**
 * Issue 17 in Chromium at 1366×768: an admin creates a "Rancangan perubahan" of the sample Pergub
 * from the documents page by keyboard, and Pasal I beside the text follows, live, what a bidang
 * types in another browser, with the amendment's numbers (Pasal 8A) in the editor.
 */

let server: TestServer
let browser: Browser
let admin: Page
let bidang: Page
let draftId = ''

const VIEWPORT = { width: 1366, height: 768 }
const sideView = (page: Page) => page.getByTestId('pasal-perubahan')
const sideWords = async (page: Page) => clean(await sideView(page).innerText())

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  admin = await (await browser.newContext({ viewport: VIEWPORT, locale: 'id-ID' })).newPage()
  await signIn(admin, server, { username: server.admin.username, password: server.admin.password })
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

describe('Rancangan perubahan in the browser', () => {
  test('an admin creates an amendment draft of the sample Pergub with the keyboard, and opens it on Pasal I and II', async () => {
    const form = admin.getByTestId('form-perubahan')
    await form.getByLabel('Peraturan yang diubah').focus()
    await form.getByLabel('Peraturan yang diubah').selectOption('rapergub-spbe')
    await admin.keyboard.press('Tab')
    await admin.keyboard.type('12')
    await admin.keyboard.press('Tab')
    await admin.keyboard.type('2021')
    await admin.keyboard.press('Tab')
    await admin.keyboard.press('Tab')
    await expect.poll(() => admin.evaluate(() => document.activeElement?.textContent?.trim()), SYNC).toBe('Buat rancangan perubahan')
    await admin.keyboard.press('Enter')
    await admin.waitForURL((url) => url.pathname.startsWith('/dokumen/perubahan-'))
    draftId = decodeURIComponent(new URL(admin.url()).pathname.split('/').at(-1)!)
    await admin.locator('.naskah .pasal').first().waitFor()
    await expect.poll(() => sideWords(admin), SYNC).toContain('Belum ada perubahan terhadap naskah dasar.')
    expect(await sideWords(admin)).toContain('Pasal II Peraturan Gubernur ini mulai berlaku pada tanggal diundangkan.')
    expect(clean(await admin.locator('.naskah[role=textbox] .judul').innerText())).toContain(
      'PERUBAHAN ATAS PERATURAN GUBERNUR NOMOR 12 TAHUN 2021 TENTANG PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK',
    )
  })

  test('Pasal I follows live what a bidang types in another browser, and a new Pasal is numbered 8A', async () => {
    const account = await createAccount(server, 'editor', 'Bidang Persandian')
    bidang = (await openEditor(browser, server, { username: account.user.username, password: account.password }, draftId)).page
    await clickInto(bidang, 'Pasal 7')
    await ayatTeks(bidang, 'Pasal 7', 1).click()
    await bidang.keyboard.press('End')
    await bidang.keyboard.type(' Peta Rencana ditinjau setiap tahun.')
    await expect.poll(() => sideWords(admin), SYNC).toContain('Pasal I Ketentuan dalam Peraturan Gubernur Kalimantan Timur Nomor 12 Tahun 2021')
    expect(await sideWords(admin)).toContain(
      'diubah sebagai berikut: Ketentuan ayat (2) Pasal 7 diubah sehingga Pasal 7 berbunyi sebagai berikut: Pasal 7 (1)',
    )
    expect(await sideWords(admin)).toContain('sebagaimana dimaksud dalam Pasal 6')
    expect(await sideWords(admin)).toContain('Peta Rencana ditinjau setiap tahun.')

    // A third drafter, on a stock client, inserts a Pasal after Pasal 8 meanwhile.
    const stock = connect(server, draftId, account.token)
    try {
      await stock.synced
      insertPasalAfter(pasal(stock.doc, 8), 'pasal8asisipan', 'Perangkat Daerah melaporkan belanja SPBE setiap tahun.')
      await expect.poll(() => pasalArticle(admin, 'Pasal 8A').count(), SYNC).toBe(1)
      await expect.poll(() => sideWords(admin), SYNC).toContain('2. Di antara Pasal 8 dan Pasal 9 disisipkan 1 (satu) pasal, yakni Pasal 8A')
      expect(await sideWords(admin)).toContain('1. Ketentuan ayat (2) Pasal 7 diubah')
      const labels = await outlinePasalLabels(admin)
      expect(labels.slice(6, 10)).toEqual(['Pasal 7', 'Pasal 8', 'Pasal 8A', 'Pasal 9'])
    } finally {
      stock.destroy()
    }
    await pasalArticle(admin, 'Pasal 8A').scrollIntoViewIfNeeded()
    await sideView(admin).locator('li').last().scrollIntoViewIfNeeded()
    const folder = new URL('../../docs/screenshots/', import.meta.url)
    await mkdir(folder, { recursive: true })
    const path = new URL('perubahan.png', folder).pathname
    await admin.screenshot({ path })
    console.log(`screenshot: ${path}`)
  })

  test('"Hapus pasal" leaves a base Pasal as "Dihapus." under its number, and removes an inserted Pasal outright', async () => {
    await clickInto(bidang, 'Pasal 9')
    await bidang.keyboard.press('Control+Alt+Shift+X')
    await expect.poll(async () => clean(await ayatTeks(admin, 'Pasal 9').innerText()), SYNC).toBe('Dihapus.')
    await expect.poll(() => sideWords(admin), SYNC).toContain('Pasal 9 dihapus.')
    expect((await outlinePasalLabels(admin)).slice(6, 11)).toEqual(['Pasal 7', 'Pasal 8', 'Pasal 8A', 'Pasal 9', 'Pasal 10'])

    await clickInto(bidang, 'Pasal 8A')
    await bidang.keyboard.press('Control+Alt+Shift+X')
    await expect.poll(() => pasalArticle(admin, 'Pasal 8A').count(), SYNC).toBe(0)
    expect((await outlinePasalLabels(admin)).slice(6, 10)).toEqual(['Pasal 7', 'Pasal 8', 'Pasal 9', 'Pasal 10'])
    expect(await sideWords(admin)).not.toContain('Pasal 8A')
    expect(await sideWords(admin)).toContain('Pasal 9 dihapus.')
  })

  test('Data naskah corrects the citation of the amended regulation, and Pasal I follows in another browser', async () => {
    await bidang.getByRole('button', { name: 'Data naskah' }).click()
    const dialog = bidang.getByRole('dialog', { name: 'Data naskah' })
    const group = dialog.getByRole('group', { name: 'Peraturan yang diubah' })
    expect(await group.getByLabel('Jenis peraturan yang diubah').inputValue()).toBe('pergub')
    expect(await group.getByLabel('Nomor peraturan yang diubah').inputValue()).toBe('12')
    expect(await group.getByLabel('Tahun peraturan yang diubah').inputValue()).toBe('2021')
    expect(await group.getByLabel('Tentang (peraturan yang diubah)').inputValue()).toBe('Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik')
    await group.getByLabel('Nomor peraturan yang diubah').fill('13')
    await group.getByLabel('Tahun peraturan yang diubah').fill('2022')
    await group.getByLabel('Tahun peraturan yang diubah').press('Enter')
    await expect.poll(async () => ((await dialog.isVisible()) ? await dialog.innerText() : 'closed'), SYNC).toBe('closed')

    await expect.poll(() => sideWords(admin), SYNC).toContain('ketentuan dalam Peraturan Gubernur Kalimantan Timur Nomor 13 Tahun 2022 tentang')
    const reader = await createAccount(server, 'viewer')
    const stored = await api<{ meta: DraftMeta }>(server, 'GET', `/api/docs/${encodeURIComponent(draftId)}`, { token: reader.token })
    expect(stored.body.meta.amends).toMatchObject({
      jenis: 'pergub',
      nomor: '13',
      tahun: 2022,
      nama: 'Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik',
    })
  })
})
