// The tenant of a request, resolved once and decorated as `request.tenant`: from the SCIM bearer
// token (scim-auth.ts, in the SCIM scope) or, in the admin API, from the console session of an
// Admin of the tenant named in the URL (adminTenantHook). Handlers read it with tenantOf.
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import type { Tenant } from '../../domain/types.ts'
import { AppError } from '../../errors.ts'
import type { SessionView, Store } from '../../store/store.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant the request acts for, once resolved (undefined before, or outside a tenant). */
    tenant: Tenant | undefined
  }
}

/** Decorates every request with `tenant` (shared by the scopes, hence fastify-plugin). */
export const tenantPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('tenant', undefined)
  },
  { name: 'rollcall-tenant' },
)

/** The resolved tenant; the scope's hook guarantees it inside tenant routes. */
export function tenantOf(request: FastifyRequest): Tenant {
  if (!request.tenant) throw new Error('tenant missing: the tenant hook did not run')
  return request.tenant
}

/** The signed-in session, or `unauthenticated`. */
export function requireSession(session: SessionView | undefined): SessionView {
  if (!session) throw AppError.unauthenticated()
  return session
}

/**
 * Admin API routes under /tenants/:tenant: the tenant of the URL, for an Admin signed in to that
 * very tenant; `unauthenticated` or `forbidden` otherwise. Runs after validation, as handlers did.
 */
export function adminTenantHook(
  store: Store,
  sessionOf: (request: FastifyRequest) => SessionView | undefined,
): preHandlerAsyncHookHandler {
  return async (request) => {
    const session = requireSession(sessionOf(request))
    const slug = (request.params as { tenant: string }).tenant
    if (session.tenantSlug !== slug) {
      throw AppError.forbidden(
        `You are signed in to another tenant; sign in to "${slug}" to manage it.`,
      )
    }
    if (session.role !== 'Admin')
      throw AppError.forbidden('Only an Admin of this tenant may do this.')
    const tenant = await store.tenants.getById(session.tenantId)
    if (!tenant) throw AppError.unauthenticated()
    request.tenant = tenant
  }
}
