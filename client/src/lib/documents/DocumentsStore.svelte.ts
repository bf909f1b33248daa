import type { DocumentRecord, ImportedDocument } from '../../../../shared/documents.js'
import { api, ApiError, upload } from '../api.js'
import type { MetaChange } from './MetaForm.svelte.js'

/** The media type of a Word draft. */
export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
/** As the server's default MAX_IMPORT_BYTES: refused here at once rather than after the upload. */
const MAX_IMPORT_MB = 10

/** The drafts on the server, and creating new ones (from the template, or a Word file); admins only may create. */
export class DocumentsStore {
  #list = $state.raw<DocumentRecord[] | null>(null)
  #error = $state<string | null>(null)
  #creating = $state(false)
  #createError = $state<string | null>(null)
  #amendError = $state<string | null>(null)
  #importing = $state(false)
  #importError = $state<string | null>(null)

  /** Newest first; null until loaded. */
  get list(): DocumentRecord[] | null {
    return this.#list
  }
  /** Why the list could not be loaded. */
  get error(): string | null {
    return this.#error
  }
  get creating(): boolean {
    return this.#creating
  }
  get createError(): string | null {
    return this.#createError
  }
  /** Why the last amendment draft was refused. */
  get amendError(): string | null {
    return this.#amendError
  }
  get importing(): boolean {
    return this.#importing
  }
  get importError(): string | null {
    return this.#importError
  }

  async load(): Promise<void> {
    try {
      this.#list = await api.get<DocumentRecord[]>('/api/docs')
      this.#error = null
    } catch (e) {
      this.#error = e instanceof ApiError ? e.message : 'Daftar rancangan tidak dapat dimuat.'
    }
  }

  /** Creates a draft "… tentang `nama`" of the kind and region `meta` says; null (with `createError`) when refused. */
  async create(nama: string, meta: MetaChange): Promise<DocumentRecord | null> {
    if (!nama.trim()) {
      this.#createError = 'Isi pokok pengaturan, mis. "Pengelolaan Data dan Informasi".'
      return null
    }
    this.#creating = true
    this.#createError = null
    try {
      return await api.post<DocumentRecord>('/api/docs', { nama: nama.trim(), meta })
    } catch (e) {
      this.#createError = e instanceof ApiError ? e.message : 'Rancangan tidak dapat dibuat.'
      return null
    } finally {
      this.#creating = false
    }
  }

  /**
   * Creates an amendment draft ("Rancangan perubahan") of the draft `documentId`, citing it with
   * `citation` (number, year, subject); null (with `amendError`) when refused.
   */
  async createAmendment(documentId: string, citation: { nomor: string; tahun: string; nama: string }): Promise<DocumentRecord | null> {
    if (!documentId) {
      this.#amendError = 'Pilih peraturan yang akan diubah.'
      return null
    }
    this.#creating = true
    this.#amendError = null
    try {
      const { nomor, tahun, nama } = citation
      return await api.post<DocumentRecord>('/api/docs', {
        amends: { documentId, nomor: nomor.trim() || null, tahun: tahun.trim() || null, ...(nama.trim() ? { nama: nama.trim() } : {}) },
      })
    } catch (e) {
      this.#amendError = e instanceof ApiError ? e.message : 'Rancangan perubahan tidak dapat dibuat.'
      return null
    } finally {
      this.#creating = false
    }
  }

  /** Creates a draft from a Word file; null (with `importError`) when it is not one or is refused. */
  async import(file: File): Promise<ImportedDocument | null> {
    this.#importError = null
    const name = file.name.toLowerCase()
    if (!name.endsWith('.docx')) {
      this.#importError = name.endsWith('.doc')
        ? 'Berkas .doc (Word 97–2003) belum didukung: simpan sebagai .docx di Word, lalu impor lagi.'
        : 'Pilih berkas Word (.docx).'
      return null
    }
    if (file.size > MAX_IMPORT_MB * 1024 * 1024) {
      this.#importError = `Berkas terlalu besar (paling besar ${MAX_IMPORT_MB} MB).`
      return null
    }
    this.#importing = true
    try {
      return await upload<ImportedDocument>('/api/docs/import', file, DOCX)
    } catch (e) {
      this.#importError = e instanceof ApiError ? e.message : 'Berkas tidak dapat diimpor.'
      return null
    } finally {
      this.#importing = false
    }
  }
}
