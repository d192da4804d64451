// GET /sso/login/:connectionId — a connection's login URL: starts the sign-in at its IdP directly.
import type { FastifyInstance } from 'fastify'
import { asConnectionId } from '../../../domain/ids.ts'
import { unknownLoginUrlPage } from './pages.ts'
import type { SsoRouteDeps } from './index.ts'
import { sendSsoPage, startAt } from './start.ts'

export function loginUrlRoute(app: FastifyInstance, deps: SsoRouteDeps): void {
  app.get<{ Params: { connectionId: string } }>(
    '/login/:connectionId',
    {
      schema: {
        params: { type: 'object', properties: { connectionId: { type: 'string', maxLength: 64 } } },
      },
    },
    async (request, reply) => {
      const connection = await deps.store.connections.get(
        asConnectionId(request.params.connectionId),
      )
      if (!connection) return sendSsoPage(reply, unknownLoginUrlPage)
      return startAt(deps, request, reply, connection, 'login')
    },
  )
}
