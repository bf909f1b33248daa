import type { Sessions } from '../../auth/sessions.js'
import type { Notifications } from '../../notifications/notifications.js'
import { asObject } from '../body.js'
import { authenticated } from '../guard.js'
import type { Router } from '../router.js'

/**
 * The bell, each account's own notifications only:
 *   GET  /api/notifications              → {unread, items}
 *   POST /api/notifications/read  {ids?} → {unread, items}; without ids, every one is read
 */
export function notificationRoutes(router: Router, sessions: Sessions, notifications: Notifications) {
  router.add(
    'GET',
    '/api/notifications',
    authenticated(sessions, async (_request, { user }) => ({ status: 200, body: await notifications.list(user) })),
  )
  router.add(
    'POST',
    '/api/notifications/read',
    authenticated(sessions, async (request, { user }) => {
      const { ids } = asObject(await request.json())
      return { status: 200, body: await notifications.markRead(user, ids) }
    }),
  )
}
