import { canAdminister, normaliseUsername, type AccountChanges, type NewAccount } from '../../../shared/accounts.js'
import type { Accounts } from '../../auth/accounts.js'
import type { Sessions } from '../../auth/sessions.js'
import { asObject } from '../body.js'
import { authenticated, requireRole } from '../guard.js'
import type { Router } from '../router.js'
import { Refusal } from '../../refusal.js'
import { originOf } from '../../../shared/audit.js'

/**
 * Account management for admins: GET/POST /api/users, PATCH/DELETE /api/users/:username; and for
 * everyone signed in, GET /api/people: who can be @mentioned (username, name, bidang; nothing else).
 */
export function userRoutes(router: Router, sessions: Sessions, accounts: Accounts) {
  router.add(
    'GET',
    '/api/people',
    authenticated(sessions, async () => {
      const people = (await accounts.list()).map(({ username, name, bidang }) => ({ username, name, bidang }))
      return { status: 200, body: people.sort((a, b) => a.name.localeCompare(b.name, 'id')) }
    }),
  )

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
      return { status: 201, body: await accounts.add(body as unknown as NewAccount, originOf(session.user, request.address)) }
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
      return { status: 200, body: await accounts.update(request.params.username!, changes, originOf(session.user, request.address)) }
    }),
  )

  router.add(
    'DELETE',
    '/api/users/:username',
    authenticated(sessions, async (request, session) => {
      requireRole(session, canAdminister)
      if (normaliseUsername(request.params.username!) === session.user.username)
        throw new Refusal('conflict', 'Anda tidak dapat menghapus akun Anda sendiri.')
      await accounts.remove(request.params.username!, originOf(session.user, request.address))
      return { status: 204 }
    }),
  )
}
