import { canAdminister, normaliseUsername } from '../../../shared/accounts.js'
import { AccountError, type Accounts, type NewAccount, type AccountChanges } from '../../auth/accounts.js'
import type { Sessions } from '../../auth/sessions.js'
import { asObject } from '../body.js'
import { authenticated, requireRole } from '../guard.js'
import { HttpError, type Router } from '../router.js'

const STATUS: Record<AccountError['code'], number> = { invalid: 400, 'weak-password': 400, duplicate: 409, unknown: 404, 'last-admin': 409 }

async function account<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof AccountError) throw new HttpError(STATUS[error.code], error.message)
    throw error
  }
}

/** Account management for admins: GET/POST /api/users, PATCH/DELETE /api/users/:username. */
export function userRoutes(router: Router, sessions: Sessions, accounts: Accounts) {
  router.add(
    'GET',
    '/api/users',
    authenticated(sessions, async (_request, session) => {
      requireRole(session, canAdminister)
      return { status: 200, body: await accounts.list() }
    }),
  )

  router.add(
    'POST',
    '/api/users',
    authenticated(sessions, async (request, session) => {
      requireRole(session, canAdminister)
      const body = asObject(await request.json())
      return { status: 201, body: await account(() => accounts.add(body as unknown as NewAccount)) }
    }),
  )

  router.add(
    'PATCH',
    '/api/users/:username',
    authenticated(sessions, async (request, session) => {
      requireRole(session, canAdminister)
      const body = asObject(await request.json())
      const changes: AccountChanges = {
        name: body.name as string | undefined,
        bidang: body.bidang as string | undefined,
        role: body.role as AccountChanges['role'],
        password: body.password as string | undefined,
      }
      return { status: 200, body: await account(() => accounts.update(request.params.username!, changes)) }
    }),
  )

  router.add(
    'DELETE',
    '/api/users/:username',
    authenticated(sessions, async (request, session) => {
      requireRole(session, canAdminister)
      if (normaliseUsername(request.params.username!) === session.user.username)
        throw new HttpError(409, 'Anda tidak dapat menghapus akun Anda sendiri.')
      await account(() => accounts.remove(request.params.username!))
      return { status: 204 }
    }),
  )
}
