/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { Thread } from '../../shared/comments.js'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, api, connect, createAccount, roundTrip } from '../harness/clients.js'
import { ayatText, pasal } from '../harness/document.js'
import { launchBrowser, newProfile, SCREENS, signIn, SYNC } from '../harness/browser.js'
import { blockingViolations } from '../harness/axe.js'

/**
 * Issue 15: axe-core finds no serious or critical violation (WCAG 2.1 A/AA and best practices) on
 * the main screens, each with something in it: the login page, the document list, the editor with
 * every side panel, a comparison of versions, and the users page; and at 1024×768, where the panels
 * are a drawer, the editor with each panel in the drawer, the toolbar's "Lainnya" menu, the find
 * bar, Mode rapat, the print page and the "Pasal I & II" panel of an amendment draft.
 */

const SAMPLE = 'rapergub-spbe'

let server: TestServer
let browser: Browser
let page: Page

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  // Content for every panel: a thread with a reply, a saved version, then an edit to compare it with.
  const editor = await createAccount(server, 'editor', 'Bidang Aplikasi Informatika')
  const hukum = await createAccount(server, 'commenter', 'Biro Hukum')
  const client = connect(server, SAMPLE, editor.token)
  await client.synced
  const pasalId = pasal(client.doc, 2).getAttribute('id')!
  const thread = (
    await api<Thread>(server, 'POST', `/api/docs/${SAMPLE}/threads`, {
      token: hukum.token,
      body: { anchor: { pasalId }, text: `@${editor.user.username} mohon rujukan diperiksa.` },
    })
  ).body
  await api(server, 'POST', `/api/docs/${SAMPLE}/threads/${thread.id}/messages`, { token: editor.token, body: { text: 'Sudah diperbaiki.' } })
  expect((await api(server, 'POST', `/api/docs/${SAMPLE}/snapshots`, { token: editor.token, body: { name: 'Sebelum rapat' } })).status).toBe(201)
  ayatText(pasal(client.doc, 2)).insert(0, 'Diubah dalam rapat. ')
  await roundTrip(client)
  client.destroy()
  page = await (await newProfile(browser, SCREENS[1])).newPage()
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

describe('accessibility (axe-core) at 1366×768', () => {
  it('finds nothing serious on the login page', async () => {
    await page.goto(`${server.url}/masuk`)
    await page.getByLabel('Nama pengguna').waitFor()
    expect(await blockingViolations(page)).toEqual([])
  })

  it('finds nothing serious on the document list, the bell open', async () => {
    await signIn(page, server, server.admin)
    await page.getByTestId('dokumen').first().waitFor()
    expect(await blockingViolations(page)).toEqual([])
    await page.getByTestId('lonceng').click()
    await page.getByRole('region', { name: 'Pemberitahuan' }).waitFor()
    expect(await blockingViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
  })

  it('shows where the keyboard focus is on every control of the document list, reached with Tab', async () => {
    // From the first control of the page, as someone arriving with the keyboard.
    await page.getByRole('link', { name: 'Rancang — daftar rancangan' }).focus()
    const seen: string[] = []
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab')
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement
        const style = getComputedStyle(element)
        return {
          name: `${element.tagName} ${element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 30)}`,
          outline: parseFloat(style.outlineWidth),
          style: style.outlineStyle,
        }
      })
      seen.push(focused.name)
      expect(focused.style, `focus ring on ${focused.name}`).not.toBe('none')
      expect(focused.outline, `focus ring on ${focused.name}`).toBeGreaterThanOrEqual(2)
    }
    // The bell and the list's own controls are on the way.
    expect(
      seen.some((name) => name.startsWith('BUTTON Pemberitahuan')),
      seen.join(' | '),
    ).toBe(true)
    expect(seen.some((name) => name.startsWith('BUTTON Ganti nama'))).toBe(true)
  })

  it.each([
    ['Komentar', 'komentar'],
    ['Usulan', 'usulan'],
    ['Kesepakatan', 'sepakat'],
    ['Riwayat versi', 'versi'],
  ])('finds nothing serious in the editor with the %s panel open', async (tab, id) => {
    if (!page.url().includes(`/dokumen/${SAMPLE}`)) {
      await page.goto(`${server.url}/dokumen/${SAMPLE}`)
      await page.locator('.naskah .pasal').first().waitFor()
    }
    await page.getByRole('tab', { name: tab }).click()
    await page.locator(`#panel-${id}`).waitFor({ state: 'visible' })
    if (id === 'komentar') await page.getByTestId('utas').first().waitFor()
    if (id === 'versi') await page.getByTestId('versi').first().waitFor()
    expect(await blockingViolations(page)).toEqual([])
  })

  it('finds nothing serious in a comparison of a version with the live text', async () => {
    await page.getByRole('tab', { name: 'Riwayat versi' }).click()
    await page.getByTestId('versi').filter({ hasText: 'Sebelum rapat' }).getByRole('button', { name: 'Bandingkan' }).click()
    await expect.poll(() => page.getByTestId('perubahan').count(), SYNC).toBeGreaterThan(0)
    expect(await blockingViolations(page)).toEqual([])
  })

  it('finds nothing serious on the users page', async () => {
    await page.goto(`${server.url}/pengguna`)
    await page.getByRole('heading', { level: 2 }).first().waitFor()
    await page.locator('table, ul').first().waitFor()
    expect(await blockingViolations(page)).toEqual([])
  })
})

describe('accessibility (axe-core) at 1024×768', () => {
  let narrow: Page
  let amendmentId = ''

  beforeAll(async () => {
    const created = await api<{ id: string }>(server, 'POST', '/api/docs', {
      token: await adminToken(server),
      body: { amends: { documentId: SAMPLE, nomor: '12', tahun: '2021' } },
    })
    expect(created.status).toBe(201)
    amendmentId = created.body.id
    narrow = await (await newProfile(browser, SCREENS[0])).newPage()
    await signIn(narrow, server, server.admin)
    await narrow.goto(`${server.url}/dokumen/${SAMPLE}`)
    await narrow.locator('.naskah .pasal').first().waitFor()
  })

  it.each([
    ['Komentar', 'komentar'],
    ['Usulan', 'usulan'],
    ['Kesepakatan', 'sepakat'],
    ['Riwayat versi', 'versi'],
  ])('finds nothing serious in the editor with the drawer open on the %s panel', async (tab, id) => {
    const drawer = narrow.locator('button.buka-laci')
    expect(await drawer.isVisible()).toBe(true)
    if ((await drawer.getAttribute('aria-expanded')) !== 'true') await drawer.click()
    await narrow.getByRole('tab', { name: tab }).click()
    await narrow.locator(`#panel-${id}`).waitFor({ state: 'visible' })
    expect(await blockingViolations(narrow)).toEqual([])
  })

  it('finds nothing serious with the toolbar\'s "Lainnya" menu open', async () => {
    await narrow.keyboard.press('Escape')
    await narrow.locator('.naskah .pasal .teks').first().click()
    await narrow.getByRole('button', { name: 'Lainnya' }).click()
    await narrow.getByRole('menu', { name: 'Perintah lainnya' }).waitFor()
    expect(await blockingViolations(narrow)).toEqual([])
    await narrow.keyboard.press('Escape')
  })

  it('finds nothing serious with the find bar open, replacing', async () => {
    await narrow.locator('.naskah .pasal .teks').first().click()
    await narrow.keyboard.press('Control+H')
    await narrow.getByRole('searchbox', { name: 'Cari' }).fill('daerah')
    await expect.poll(() => narrow.locator('.jumlah-temuan').textContent(), SYNC).toMatch(/^\d+ dari \d+$/)
    expect(await blockingViolations(narrow)).toEqual([])
    await narrow.keyboard.press('Escape')
  })

  it('finds nothing serious in Mode rapat', async () => {
    const button = narrow.getByRole('button', { name: 'Mode rapat' })
    await button.click()
    await expect.poll(() => button.getAttribute('aria-pressed'), SYNC).toBe('true')
    expect(await blockingViolations(narrow)).toEqual([])
    await button.click()
  })

  it('finds nothing serious on the print page', async () => {
    await narrow.goto(`${server.url}/dokumen/${SAMPLE}/cetak`)
    await expect.poll(() => narrow.getByRole('button', { name: 'Cetak / simpan PDF' }).isEnabled(), SYNC).toBe(true)
    expect(await blockingViolations(narrow)).toEqual([])
  })

  it('finds nothing serious in the "Pasal I & II" panel of an amendment draft', async () => {
    await narrow.goto(`${server.url}/dokumen/${amendmentId}`)
    await narrow.locator('.naskah .pasal').first().waitFor()
    await narrow.locator('button.buka-laci').click()
    await narrow.getByRole('tab', { name: 'Pasal I & II' }).click()
    await narrow.getByTestId('pasal-perubahan').waitFor()
    await expect.poll(async () => (await narrow.getByTestId('pasal-perubahan').innerText()).length, SYNC).toBeGreaterThan(0)
    expect(await blockingViolations(narrow)).toEqual([])
  })
})
