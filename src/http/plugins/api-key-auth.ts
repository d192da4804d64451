// API-key authentication of /api/v1 (the host application's surface): `Authorization: Bearer
// <API key>` on every request, no cookies and so no CSRF to defend. A missing, malformed, unknown
// or revoked key is 401 with WWW-Authenticate (RFC 6750 §3); a read key on a write route 403; a
// tenant key naming another tenant's slug 404, as if the tenant did not exist.
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { authenticateApiKey, type ApiPrincipal } from '../../credentials/api-keys.ts'
import type { Tenant } from '../../domain/types.ts'
import { AppError } from '../../errors.ts'
import type { Store } from '../../store/store.ts'
import { setEventActor } from '../../events/context.ts'

export type { ApiPrincipal } from '../../credentials/api-keys.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key a /api/v1 request acts as (set by apiKeyAuth). */
    apiPrincipal: ApiPrincipal | undefined
  }
}

const REALM = 'Bearer realm="rollcall"'

function refused(detail: string, invalidToken: boolean): AppError {
  return new AppError('unauthenticated', detail, {
    headers: {
      'www-authenticate': invalidToken ? `${REALM}, error="invalid_token"` : REALM,
    },
  })
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The onRequest hook of /api/v1: the principal, and the scope every non-GET route needs. */
export function apiKeyAuth(store: Store): onRequestAsyncHookHandler {
  return async (request) => {
    const header = request.headers.authorization
    const match = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header) : null
    if (!match?.[1]) {
      throw refused('Send an API key: Authorization: Bearer <key>.', header !== undefined)
    }
    const principal = await authenticateApiKey(store, match[1], request.ip)
    if (!principal) throw refused('The API key is not valid (unknown, revoked or mistyped).', true)
    request.apiPrincipal = principal
    setEventActor({ type: 'api_key', id: principal.keyId })
    if (!READ_METHODS.has(request.method) && principal.scope !== 'write') {
      throw AppError.forbidden('This API key is read-only: changes need a key with scope write.')
    }
  }
}

export function principalOf(request: FastifyRequest): ApiPrincipal {
  if (!request.apiPrincipal) throw new Error('principal missing: apiKeyAuth did not run')
  return request.apiPrincipal
}

function noTenant(slug: string): AppError {
  return AppError.notFound(`No tenant "${slug.slice(0, 63)}".`)
}

/** The tenant of a slug as this key may see it: another tenant's is not found, like a missing one. */
export async function tenantForKey(
  store: Store,
  principal: ApiPrincipal,
  slug: string,
): Promise<Tenant> {
  const tenant = await store.tenants.getBySlug(slug)
  if (!tenant) throw noTenant(slug)
  if (principal.tenantId !== null && principal.tenantId !== tenant.id) throw noTenant(slug)
  return tenant
}

/** The tenant a /api/v1 route names in `:tenant`, as the request's key may see it. */
export function keyTenantOf(
  store: Store,
  request: FastifyRequest & { params: { tenant: string } },
): Promise<Tenant> {
  return tenantForKey(store, principalOf(request), request.params.tenant)
}
