// Per-tenant in-flight request bound: under real overload a tenant's IdP gets 429 with
// Retry-After (RFC 7644 §3.12; Entra honours Retry-After) instead of every request slowing down.
// Never reached at Entra's documented 25 requests/second unless requests pile up.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ScimError } from '../../scim/errors.ts'
import { sendScimError } from './scim-errors.ts'

export class TenantLoad {
  private readonly inFlight = new Map<string, number>()

  constructor(private readonly limit: number) {}

  /** Takes a slot for the tenant; false when it already has `limit` requests in flight. */
  tryEnter(tenantId: string): boolean {
    const current = this.inFlight.get(tenantId) ?? 0
    if (current >= this.limit) return false
    this.inFlight.set(tenantId, current + 1)
    return true
  }

  leave(tenantId: string): void {
    const current = this.inFlight.get(tenantId) ?? 0
    if (current <= 1) this.inFlight.delete(tenantId)
    else this.inFlight.set(tenantId, current - 1)
  }
}

/**
 * Adds the bound to a SCIM scope: an onRequest hook, after authentication resolved
 * request.tenant, takes a slot or answers 429; the slot is given back when the response is sent
 * or the client aborts.
 */
export function registerTenantLoad(app: FastifyInstance, limit: number): void {
  const load = new TenantLoad(limit)
  const slots = new WeakMap<FastifyRequest, string>()
  const release = (request: FastifyRequest) => {
    const tenantId = slots.get(request)
    if (tenantId === undefined) return
    slots.delete(request)
    load.leave(tenantId)
  }
  app.addHook('onRequest', async (request, reply) => {
    const tenant = request.tenant
    if (!tenant) return undefined
    if (!load.tryEnter(tenant.id)) {
      return sendScimError(
        reply,
        new ScimError(
          429,
          'Too many concurrent requests for this tenant; retry after the Retry-After delay.',
          undefined,
          { headers: { 'retry-after': '2' } },
        ),
      )
    }
    slots.set(request, tenant.id)
    return undefined
  })
  app.addHook('onResponse', async (request) => release(request))
  app.addHook('onRequestAbort', async (request) => release(request))
}
