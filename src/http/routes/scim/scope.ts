// Per-request SCIM state, decorated on the request by the SCIM scope (provisioning-log.ts).
import type { ProvisioningContext } from '../../../provisioning/context.ts'

export interface ScimRequestState {
  ctx: ProvisioningContext | undefined
  /** Filled in by handlers for the provisioning log. */
  operation: string
  resourceType: string | null
  resourceId: string | null
  startedAt: bigint
}

declare module 'fastify' {
  interface FastifyRequest {
    scim: ScimRequestState
  }
}

export function scimState(request: { scim: ScimRequestState }): ScimRequestState {
  return request.scim
}

/** The authenticated context; the auth hook guarantees it inside SCIM handlers. */
export function contextOf(request: { scim: ScimRequestState }): ProvisioningContext {
  const ctx = request.scim.ctx
  if (!ctx) throw new Error('SCIM context missing: the auth hook did not run')
  return ctx
}
