// D2: a SCIM-controlled user belongs to one tenant. When a tenant's SCIM takes control of a
// person (allowed by the rules in domain/directory-rules.ts), their memberships in other tenants
// end here, in the same transaction, and each affected tenant's provisioning log says so (D12).
import type { TenantId, UserId } from '../domain/ids.ts'
import { userEvent } from '../events/data.ts'
import type { EventBatch } from '../events/record.ts'
import { NOT_A_REQUEST, type Store } from '../store/store.ts'
import { MEMBERSHIP_ENDED_OPERATION } from './log-writer.ts'

export async function endMembershipsElsewhere(
  store: Store,
  tenantId: TenantId,
  userId: UserId,
  email: string,
  at: string,
  events: EventBatch,
): Promise<number> {
  let ended = 0
  for (const other of await store.people.membershipsOf(userId)) {
    if (other.tenantId === tenantId) continue
    const there = store.forTenant(other.tenantId)
    await there.sessions.deleteOf(userId)
    const member = await there.users.get(userId)
    if (!member || !(await there.users.delete(userId))) continue
    ended += 1
    // That tenant's app learns that the person left it.
    events.addTo(other.tenantId, userEvent('user.deleted', member))
    // The acting tenant is not named: one organisation's directory is not another's business.
    await there.provisioningLog.append([
      {
        at,
        requestId: null,
        method: NOT_A_REQUEST,
        path: NOT_A_REQUEST,
        operation: MEMBERSHIP_ENDED_OPERATION,
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
        address: null,
        requestBody: null,
        responseBody: null,
      },
    ])
  }
  return ended
}
