// /api/tenants/:tenant/sign-in-log — the tenant's recent sign-in attempts and connection
// verifications, newest first, for an Admin of the tenant.
import type { FastifyInstance } from 'fastify'
import type { Store } from '../../../store/store.ts'
import { tenantOf } from '../../plugins/tenant.ts'
import { tenantParams } from './params.ts'

export interface SignInLogRouteDeps {
  readonly store: Store
}

export function signInLogRoutes(app: FastifyInstance, deps: SignInLogRouteDeps): void {
  app.get<{ Params: { tenant: string }; Querystring: { limit?: number } }>(
    '/tenants/:tenant/sign-in-log',
    {
      schema: {
        params: tenantParams,
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } },
        },
      },
    },
    async (request) =>
      deps.store
        .forTenant(tenantOf(request).id)
        .signInLog.list({ limit: request.query.limit ?? 100 }),
  )
}
