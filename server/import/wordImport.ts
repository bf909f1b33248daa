/**
 * What the HTTP routes use of the Word import, in one module so they load it on first use
 * (`wordImport` in routes/docs.ts): its readers, the amendment reader and the XML parser behind
 * them are code an idle server need not hold.
 */
export { readDocxDraft, readTrackedChanges } from './importDocx.js'
export { unmatchedBaseEntry } from './amendment.js'
export { placeProposals } from './placeChanges.js'
export { describeChange, proposalsOf } from './wordChanges.js'
export { wordAuthor } from './wordAuthor.js'
