import { describe, expect, it } from 'vitest'
import { pageTitle, parseRoute, printPath } from './routes.js'

describe('routes', () => {
  it('gives a draft its editor and its print view, on their own paths', () => {
    expect(parseRoute('/dokumen/rapergub-spbe')).toEqual({ page: 'editor', docId: 'rapergub-spbe' })
    expect(parseRoute('/dokumen/rapergub-spbe/cetak')).toEqual({ page: 'print', docId: 'rapergub-spbe' })
    expect(parseRoute('/dokumen/rapergub-spbe/cetak/')).toEqual({ page: 'print', docId: 'rapergub-spbe' })
    expect(parseRoute('/dokumen/rapergub-spbe/lain')).toEqual({ page: 'not-found' })
    expect(parseRoute(printPath('a b'))).toEqual({ page: 'print', docId: 'a b' })
    expect(printPath('a b', 'v/1')).toBe('/dokumen/a%20b/cetak?versi=v%2F1')
  })

  it('titles the tab with the draft on its pages and with the page name elsewhere', () => {
    expect(pageTitle({ page: 'editor', docId: 'x' }, 'Rancangan Peraturan Gubernur')).toBe('Rancangan Peraturan Gubernur — Rancang')
    expect(pageTitle({ page: 'editor', docId: 'x' })).toBe('Rancang')
    expect(pageTitle({ page: 'print', docId: 'x' }, 'Rapergub')).toBe('Cetak: Rapergub — Rancang')
    expect(pageTitle({ page: 'documents' })).toBe('Daftar rancangan — Rancang')
    expect(pageTitle({ page: 'users' })).toBe('Kelola pengguna — Rancang')
  })
})
