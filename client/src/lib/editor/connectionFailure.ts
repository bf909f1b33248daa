import { CloseCode } from '../../../../shared/protocol/closeCodes.js'

/** Why the editor cannot be used, when it cannot. */
export type Failure = 'unknown-document' | 'unauthorized' | 'outdated'

/**
 * The lasting failure a close code means, or null for a close the provider recovers from by
 * reconnecting. These are the codes after which the stock provider stops reconnecting, so the
 * page must say what to do instead.
 */
export function failureOf(code: number): Failure | null {
  switch (code) {
    case CloseCode.unknownDocument:
      return 'unknown-document'
    case CloseCode.unauthorized:
      return 'unauthorized'
    case CloseCode.clientOutdated:
      return 'outdated'
    default:
      return null
  }
}
