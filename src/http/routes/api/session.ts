// /api/session — who is signed in (email, tenant, role), and logout (ends the session in the
// database and clears the cookie).
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../../config.ts'
import { endSession, SESSION_COOKIE } from '../../../sessions/sessions.ts'
import type { Store } from '../../../store/store.ts'
import { problemSchema } from '../../plugins/api-errors.ts'
import { requireSession } from '../../plugins/tenant.ts'
import { clearSessionCookie } from '../../plugins/web-session.ts'

export interface SessionRouteDeps {
  readonly config: Config
  readonly store: Store
}

export function sessionRoutes(app: FastifyInstance, deps: SessionRouteDeps): void {
  const { config, store } = deps

  app.get(
    '/session',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            properties: {
              email: { type: 'string' },
              tenant: { type: 'string' },
              role: { type: 'string' },
            },
          },
          401: problemSchema,
        },
      },
    },
    async (request) => {
      const session = requireSession(request.apiSession)
      return { email: session.userName, tenant: session.tenantSlug, role: session.role }
    },
  )

  app.post('/session/logout', async (request, reply) => {
    await endSession(store, request.cookies[SESSION_COOKIE])
    clearSessionCookie(reply, config)
    return reply.code(204).send()
  })
}
