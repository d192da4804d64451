// GET /api/v1/tenants and /api/v1/tenants/{tenant}: an operator key sees every tenant, a tenant
// key its own.
import type { FastifyInstance } from 'fastify'
import { directoryTenantOf } from '../../../directory/directory-api.ts'
import { keyTenantOf, principalOf } from '../../plugins/api-key-auth.ts'
import type { V1RouteDeps } from './index.ts'
import { tenantParams, tenantSchema, type TenantParams } from './schemas.ts'

export function tenantRoutes(app: FastifyInstance, deps: V1RouteDeps): void {
  const { store } = deps
  app.get(
    '/tenants',
    {
      schema: {
        summary: 'The tenants this key sees',
        response: {
          200: { type: 'object', properties: { data: { type: 'array', items: tenantSchema } } },
        },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      if (principal.tenantId !== null) {
        const own = await store.tenants.getById(principal.tenantId)
        return { data: own ? [directoryTenantOf(own)] : [] }
      }
      return { data: (await store.tenants.list()).map(directoryTenantOf) }
    },
  )

  app.get<TenantParams>(
    '/tenants/:tenant',
    { schema: { summary: 'A tenant', params: tenantParams, response: { 200: tenantSchema } } },
    async (request) => directoryTenantOf(await keyTenantOf(store, request)),
  )
}
