import { LoginRefused, type Sessions } from '../../auth/sessions.js'
import { asObject } from '../body.js'
import { authenticated } from '../guard.js'
import type { Router } from '../router.js'
import { Refusal } from '../../refusal.js'

/** POST /api/login, POST /api/logout, POST /api/logout/all, POST /api/session (refresh), GET /api/me. */
export function sessionRoutes(router: Router, sessions: Sessions) {
  router.add('POST', '/api/login', async (request) => {
    const body = asObject(await request.json())
    try {
      return { status: 200, body: await sessions.login(body.username, body.password, request.address) }
    } catch (error) {
      if (!(error instanceof LoginRefused)) throw error
      if (error.retryAfterSeconds > 0) {
        throw new Refusal(
          'too-many',
          `Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam ${Math.ceil(error.retryAfterSeconds / 60)} menit.`,
          {
            'Retry-After': String(error.retryAfterSeconds),
          },
        )
      }
      throw new Refusal('unauthenticated', 'Nama pengguna atau kata sandi salah.')
    }
  })

  router.add(
    'POST',
    '/api/logout',
    authenticated(sessions, async (request, session) => {
      await sessions.logout(session, request.address)
      return { status: 204 }
    }),
  )

  // "Keluar dari semua perangkat": every sign-in of the account, on every device.
  router.add(
    'POST',
    '/api/logout/all',
    authenticated(sessions, async (request, session) => {
      await sessions.logout(session, request.address, true)
      return { status: 204 }
    }),
  )

  router.add(
    'POST',
    '/api/session',
    authenticated(sessions, async (_request, session) => ({ status: 200, body: await sessions.refresh(session) })),
  )

  router.add(
    'GET',
    '/api/me',
    authenticated(sessions, (_request, session) => ({ status: 200, body: session.user })),
  )
}
