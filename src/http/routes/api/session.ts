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

// Logout takes no body (none is read; Fastify validates a declared body even when absent, so the
// request is described by its one required header). The onRequest hook of /api answers 415 for
// any other media type before this schema is checked.
const logoutHeaders = {
  type: 'object',
  properties: {
    'content-type': {
      type: 'string',
      description: 'application/json (a charset parameter is allowed); the body may be empty.',
    },
  },
  required: ['content-type'],
} as const

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

  app.post(
    '/session/logout',
    {
      schema: {
        summary: 'Sign out: ends the session in the database and clears its cookie',
        description:
          'Takes no body, but Content-Type: application/json like every state-changing /api ' +
          'request (CSRF). Answers 204 whether or not a session was signed in.',
        headers: logoutHeaders,
        response: {
          204: { type: 'null', description: 'Signed out; the session cookie is cleared.' },
          403: problemSchema,
          415: problemSchema,
        },
      },
    },
    async (request, reply) => {
      await endSession(store, request.cookies[SESSION_COOKIE])
      clearSessionCookie(reply, config)
      return reply.code(204).send()
    },
  )
}
