// GET /sso/verify/:token — the CLI's one-time verification link (`connection verify`): consumes
// the token and starts the verification round trip at the connection's IdP.
import type { FastifyInstance } from 'fastify'
import { hashToken } from '../../../credentials/one-time-tokens.ts'
import { expiredVerificationLinkPage } from './pages.ts'
import type { SsoRouteDeps } from './index.ts'
import { sendSsoPage, startAt } from './start.ts'

export function verifyLinkRoute(app: FastifyInstance, deps: SsoRouteDeps): void {
  const { store } = deps
  app.get<{ Params: { token: string } }>(
    '/verify/:token',
    {
      schema: {
        params: { type: 'object', properties: { token: { type: 'string', maxLength: 200 } } },
      },
    },
    async (request, reply) => {
      const record = await store.oneTimeTokens.consume(
        hashToken(request.params.token),
        'verify-connection',
        new Date().toISOString(),
      )
      const connection = record ? await store.connections.get(record.subjectId) : undefined
      if (!record || !connection || connection.tenantId !== record.tenantId) {
        return sendSsoPage(reply, expiredVerificationLinkPage)
      }
      return startAt(deps, request, reply, connection, 'verify')
    },
  )
}
