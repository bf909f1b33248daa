/**
 * The export formats, apart from the code that builds them (export.ts): a request is checked
 * against these before that code, with its Word library, is loaded.
 */
export const EXPORT_FORMATS = ['docx', 'akn', 'html', 'matriks', 'terpadu', 'perubahan', 'perubahan-html', 'perubahan-akn', 'perbandingan'] as const
/**
 * The formats only an amendment draft has: the naskah terpadu, the amendment regulation itself
 * (Pasal I and II) as Word, print and Akoma Ntoso, and the tabel perbandingan.
 */
export const AMENDMENT_FORMATS: readonly ExportFormat[] = ['terpadu', 'perubahan', 'perubahan-html', 'perubahan-akn', 'perbandingan']
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export const isExportFormat = (value: unknown): value is ExportFormat =>
  typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value)

/** Whether a format reads the draft's suggestions. */
export const needsSuggestions = (format: ExportFormat, usulan: boolean) => format === 'matriks' || (format === 'docx' && usulan)
