/// <reference lib="dom" />
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from '../harness/server.js'
import { connect, createAccount } from '../harness/clients.js'
import { ayatText, pasal } from '../harness/document.js'
import { ayatTeks, clickInto, launchBrowser, openEditor, placeCaret, SYNC } from '../harness/browser.js'
import { RAPERGUB_SPBE_ID as DOC } from '../../server/documents/rapergub-spbe.js'
import { hasUnprintable } from '../../shared/text.js'

/** Issue 11.5 in Chromium: what typing and pasting put into the draft is text, so the server's firewall never refuses it. */

let server: TestServer
let browser: Browser
let page: Page
let token: string

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  const editor = await createAccount(server, 'editor', 'Bidang Aplikasi Informatika')
  token = editor.token
  ;({ page } = await openEditor(browser, server, { username: editor.user.username, password: editor.password }, DOC))
})

afterAll(async () => {
  await browser?.close()
  await server?.dispose()
})

/** Pastes `text` as plain text at the caret, as the browser does for Ctrl+V. */
const paste = (page: Page, text: string) =>
  page.evaluate((text) => {
    const data = new DataTransfer()
    data.setData('text/plain', text)
    document.querySelector('.naskah')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, text)

test('typed and pasted control characters and non-characters never reach the draft; the rest does, and is saved', async () => {
  await clickInto(page, 'Pasal 2')
  await placeCaret(ayatTeks(page, 'Pasal 2'), 'start')
  await paste(page, 'Tem\u000bpel\u0002an \ufffebersih\uffff ')
  await page.keyboard.type('Ke\u000ctik\u0001an ')

  const reader = connect(server, DOC, token)
  await reader.synced
  await expect.poll(() => ayatText(pasal(reader.doc, 2)).toString().slice(0, 24), SYNC).toBe('Tempelan bersih Ketikan ')
  expect(hasUnprintable(ayatText(pasal(reader.doc, 2)).toString())).toBe(false)
  // Nothing was refused: the editor saved it all and is still editable.
  await expect.poll(() => page.getByTestId('status-simpan').textContent(), SYNC).toBe('Semua perubahan tersimpan')
  reader.destroy()
})
