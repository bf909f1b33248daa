import type { DocumentListing, DocumentRecord, ImportedDocument } from '../../../../shared/documents.js'
import { api, ApiError, upload } from '../api.js'
import type { MetaChange } from './MetaForm.svelte.js'

/** The media type of a Word draft. */
export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
/** As the server's default MAX_IMPORT_BYTES: refused here at once rather than after the upload. */
const MAX_IMPORT_MB = 10

/**
 * The drafts on the server, and creating new ones (from the template, or a Word file), renaming and
 * archiving them; admins only may do those.
 */
export class DocumentsStore {
  #list = $state.raw<DocumentListing[] | null>(null)
  #error = $state<string | null>(null)
  /** Whether the list holds the archived drafts ("Diarsipkan") instead of the others. */
  #archived = false
  #changing = $state<string | null>(null)
  #changeError = $state<{ id: string; message: string } | null>(null)
  #creating = $state(false)
  #createError = $state<string | null>(null)
  #importing = $state(false)
  #importError = $state<string | null>(null)

  /** Most recently changed first; null until loaded. */
  get list(): DocumentListing[] | null {
    return this.#list
  }
  /** The draft being renamed or (un)archived right now. */
  get changing(): string | null {
    return this.#changing
  }
  /** Why the last rename or (un)archive of a draft was refused. */
  get changeError(): { id: string; message: string } | null {
    return this.#changeError
  }

  /** Gives a draft a new title (admin); resolves whether the server took it. */
  rename(id: string, title: string): Promise<boolean> {
    return this.#change(id, { title })
  }

  /** Archives a draft, or takes it out of the archive (admin): it moves to the other list. */
  setArchived(id: string, archived: boolean): Promise<boolean> {
    return this.#change(id, { archived })
  }

  async #change(id: string, change: { title?: string; archived?: boolean }): Promise<boolean> {
    this.#changing = id
    this.#changeError = null
    try {
      await api.patch(`/api/docs/${encodeURIComponent(id)}`, change)
      await this.load()
      return true
    } catch (e) {
      this.#changeError = { id, message: e instanceof ApiError ? e.message : 'Perubahan tidak dapat disimpan.' }
      return false
    } finally {
      this.#changing = null
    }
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
  get importing(): boolean {
    return this.#importing
  }
  get importError(): string | null {
    return this.#importError
  }

  /** Loads the archived drafts, or the others (default: those loaded last). */
  async load(archived = this.#archived): Promise<void> {
    if (archived !== this.#archived) {
      this.#archived = archived
      this.#list = null
    }
    try {
      this.#list = await api.get<DocumentListing[]>(this.#archived ? '/api/docs?archived=1' : '/api/docs')
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
