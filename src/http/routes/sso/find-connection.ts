// GET /sso — "Sign in with SSO": asks for a work email or an IdP domain, then starts the sign-in
// at the connection whose domain that is (routed only once its tenant verified the domain).
import type { FastifyInstance } from 'fastify'
import { sendPage } from '../../pages.ts'
import { ssoForm, unknownDomainPage } from './pages.ts'
import type { SsoRouteDeps } from './index.ts'
import { sendSsoPage, startAt } from './start.ts'

export function findConnectionRoute(app: FastifyInstance, deps: SsoRouteDeps): void {
  app.get<{ Querystring: { q?: string } }>(
    '/',
    {
      schema: {
        querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 320 } } },
      },
    },
    async (request, reply) => {
      const q = request.query.q?.trim() ?? ''
      if (q === '') return sendPage(reply, 200, 'Sign in with SSO', ssoForm())
      const domain = q.includes('@') ? q.slice(q.lastIndexOf('@') + 1) : q
      const connection = await deps.store.connections.byDomain(domain)
      if (!connection) return sendSsoPage(reply, unknownDomainPage(q, domain))
      return startAt(deps, request, reply, connection, 'login')
    },
  )
}
