import { canEdit, type User } from '../../../shared/accounts.js'
import type { Suggestion } from '../../../shared/suggestions.js'
import type { Sessions } from '../../auth/sessions.js'
import type { Documents } from '../../documents/documents.js'
import type { Suggestions } from '../../suggestions/suggestions.js'
import type { UnplacedChange } from '../../import/wordChanges.js'
import { inDocument, requireRole, withinLimit } from '../guard.js'
import type { Router } from '../router.js'
import { Refusal } from '../../refusal.js'
import { DOCX, READ_DOCX, wordImport, type ImportOptions } from './docs.js'

/** The answer of the import: the suggestions made, and every change that could not be placed, with why. */
export interface WordImport {
  readonly created: readonly Suggestion[]
  readonly unplaced: readonly UnplacedChange[]
}

/**
 * POST /api/docs/:id/suggestions/import (editors, admins): a Word file of the draft in which
 * someone made tracked changes. Each change becomes a suggestion by the author Word recorded
 * (import/wordAuthor.ts), placed in the live draft by Pasal (import/placeChanges.ts); changes that
 * cannot be placed are answered in `unplaced`, never dropped. The file is read as a Word import is:
 * size-capped, vetted before inflating, in a budgeted worker, one import at a time.
 */
export function wordSuggestionRoutes(
  router: Router,
  sessions: Sessions,
  documents: Documents,
  suggestions: Suggestions,
  accounts: { list(): Promise<User[]> },
  options: ImportOptions,
) {
  router.add(
    'POST',
    '/api/docs/:id/suggestions/import',
    inDocument(sessions, documents, async (request, session, record) => {
      requireRole(session, canEdit)
      const type = request.headers['content-type'] ?? ''
      if (!type.startsWith(DOCX) && !type.startsWith('application/octet-stream')) {
        throw new Refusal('unsupported', `Kirim berkas Word (.docx) dengan Content-Type ${DOCX}.`)
      }
      const body: WordImport = await withinLimit(options.limiter, session, 'impor', async () => {
        const bytes = await request.bytes(options.maxImportBytes)
        const { readTrackedChanges, proposalsOf, placeProposals, wordAuthor, describeChange } = await wordImport()
        const paragraphs = await readTrackedChanges(bytes, { ...READ_DOCX, archive: options.archive })
        if (!paragraphs.some((p) => p.segments.some((s) => s.change))) {
          throw new Refusal('unreadable', 'Berkas ini tidak memuat perubahan terlacak (Lacak Perubahan/Track Changes) untuk dijadikan usulan.')
        }
        const found = proposalsOf(paragraphs)
        const { view, suggestions: existing } = await suggestions.copyOfDraft(record.id)
        let placement: ReturnType<typeof placeProposals>
        try {
          placement = placeProposals(found.proposals, view.doc, view.fragment, existing)
        } finally {
          view.ydoc.destroy()
        }
        const people = await accounts.list()
        const created: Suggestion[] = []
        const unplaced = [...found.unplaced, ...placement.unplaced]
        for (const { suggestion, author, pasal } of placement.placed) {
          try {
            created.push(await suggestions.create(record.id, session.user, { ...suggestion }, wordAuthor(author, people)))
          } catch (error) {
            // The draft changed under the import (or the change breaks a rule): listed with the reason.
            if (!(error instanceof Refusal)) throw error
            unplaced.push({ pasal, text: describeChange(suggestion.anchor.range.quote, suggestion.insert), author, reason: error.message })
          }
        }
        return { created, unplaced }
      })
      return { status: 200, body }
    }),
  )
}
