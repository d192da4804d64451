// Bearer-token authentication of the SCIM scope (RFC 7644 §2): the token must be the current one
// of the tenant named in the URL. Resolves that tenant once (request.tenant, see tenant.ts); any
// other request is answered 404 (malformed slug) or 401 with WWW-Authenticate (RFC 6750 §3).
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { verifyScimToken, type SigningKey } from '../../credentials/scim-tokens.ts'
import { ScimError } from '../../scim/errors.ts'
import type { Store } from '../../store/store.ts'
import { sendScimError } from './scim-errors.ts'
import { isValidSlug } from '../../domain/slugs.ts'

export interface ScimAuthOptions {
  readonly store: Store
  readonly signingKey: SigningKey
  /** Runs before a 401 is sent (the SCIM scope records the attempt for the tenant's admin). */
  readonly onRefused?: (request: FastifyRequest, slug: string) => Promise<void>
}

/** The onRequest hook of the SCIM scope. */
export function scimAuth(options: ScimAuthOptions): onRequestAsyncHookHandler {
  const { store, signingKey } = options
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const slug = (request.params as { tenant?: string }).tenant ?? ''
    if (!isValidSlug(slug)) {
      return sendScimError(reply, ScimError.notFound('Tenant', slug))
    }
    const check = await verifyScimToken(store, signingKey, request.headers.authorization, slug)
    if (!check.ok) {
      reply.header('www-authenticate', 'Bearer realm="rollcall-scim"')
      await options.onRefused?.(request, slug)
      return sendScimError(reply, ScimError.unauthorized(check.reason))
    }
    request.tenant = check.tenant
    return undefined
  }
}
