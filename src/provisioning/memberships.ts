// D2: a SCIM-controlled user belongs to one tenant. When a tenant's SCIM takes control of a
// person (allowed by the rules in domain/directory-rules.ts), their memberships in other tenants
// end here, in the same transaction, and each affected tenant's provisioning log says so (D12).
import type { Store } from '../store/store.ts'

export async function endMembershipsElsewhere(
  store: Store,
  tenantId: string,
  userId: string,
  email: string,
  at: string,
): Promise<number> {
  let ended = 0
  for (const other of await store.membershipsOf(userId)) {
    if (other.tenantId === tenantId) continue
    await store.deleteSessionsOf(other.tenantId, userId)
    if (!(await store.forTenant(other.tenantId).deleteUser(userId))) continue
    ended += 1
    // The acting tenant is not named: one organisation's directory is not another's business.
    await store.appendProvisioningLog([
      {
        tenantId: other.tenantId,
        at,
        requestId: null,
        method: '-',
        path: '-',
        operation: 'Membership ended',
        resourceType: 'User',
        resourceId: userId,
        status: 200,
        scimType: null,
        detail:
          `${email} is now provisioned (SCIM) by the organisation that verified the email's ` +
          'domain, and a provisioned user belongs to one organisation only: their membership ' +
          'here, their group memberships and their sessions ended.',
        durationMs: 0,
        client: null,
        requestBody: null,
        responseBody: null,
      },
    ])
  }
  return ended
}
