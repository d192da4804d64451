// Hand back (issue #9): when a tenant stops provisioning, its SCIM-controlled users, groups and
// memberships are released to INTERNAL, so its admins manage them again (D8, G4 no longer bind).
// Refused while a SCIM token is valid: the IdP would take them back on its next cycle.
import type { Tenant } from '../domain/types.ts'
import type { GroupId, UserId } from '../domain/ids.ts'
import { AppError } from '../errors.ts'
import { groupEvent, userEvent } from '../events/data.ts'
import { EventBatch } from '../events/record.ts'
import {
  NOT_A_REQUEST,
  type ReleasedCounts,
  type ScimControlledSummary,
  type Store,
} from '../store/store.ts'

/** Rows released per transaction: a small tenant is one transaction. */
export const HAND_BACK_CHUNK = 5000
const SAMPLE_SIZE = 5
const EVENT_CHUNK = 500

export interface HandBackPreview extends ScimControlledSummary {
  readonly scimEnabled: boolean
}

const SCIM_ENABLED_DETAIL =
  'SCIM provisioning is still enabled for this tenant: its identity provider would take these ' +
  'records back. Disable SCIM first (System Settings → SCIM Provisioning → Disable), then hand ' +
  'back.'

/** What a hand back would change now: counts and the first few users and groups by name. */
export async function previewHandBack(store: Store, tenant: Tenant): Promise<HandBackPreview> {
  const current = await store.tenants.getById(tenant.id)
  const summary = await store.forTenant(tenant.id).origins.scimControlled(SAMPLE_SIZE)
  return { scimEnabled: (current ?? tenant).scimTokenId !== null, ...summary }
}

/**
 * Releases everything SCIM controls in the tenant to INTERNAL. Each transaction re-checks that
 * SCIM is disabled and releases up to `chunkSize` rows; a large tenant takes several, so that one
 * hand back never holds the database's writer (SQLite has one) for long. Every state in between
 * is a valid directory, and running it again finishes the rest.
 */
export async function handBack(
  store: Store,
  tenant: Tenant,
  options: { chunkSize?: number; by?: string } = {},
): Promise<ReleasedCounts> {
  const chunkSize = options.chunkSize ?? HAND_BACK_CHUNK
  const total = { users: 0, groups: 0, memberships: 0 }
  for (;;) {
    const released = await store.transaction(async (tx) => {
      const current = await tx.tenants.getById(tenant.id)
      if (!current) throw AppError.notFound(`The tenant ${tenant.slug} no longer exists.`)
      if (current.scimTokenId !== null) throw AppError.conflict(SCIM_ENABLED_DETAIL)
      const tenantStore = tx.forTenant(tenant.id)
      const ids = { userIds: [] as UserId[], groupIds: [] as GroupId[] }
      const counts = await tenantStore.origins.releaseToInternal(
        chunkSize,
        new Date().toISOString(),
        ids,
      )
      // Their origin is part of what the app sees: each released user and group is updated.
      const events = new EventBatch(tenant.id)
      for (let i = 0; i < ids.userIds.length; i += EVENT_CHUNK) {
        const users = await tenantStore.users.getMany(ids.userIds.slice(i, i + EVENT_CHUNK))
        events.add(...users.map((u) => userEvent('user.updated', u)))
      }
      for (let i = 0; i < ids.groupIds.length; i += EVENT_CHUNK) {
        const groups = await tenantStore.groups.getMany(ids.groupIds.slice(i, i + EVENT_CHUNK))
        events.add(...groups.map((g) => groupEvent('group.updated', g)))
      }
      await events.flush(tx)
      return counts
    })
    total.users += released.users
    total.groups += released.groups
    total.memberships += released.memberships
    if (released.users + released.groups + released.memberships < chunkSize) break
  }
  await store.forTenant(tenant.id).provisioningLog.append([
    {
      at: new Date().toISOString(),
      requestId: null,
      method: NOT_A_REQUEST,
      path: NOT_A_REQUEST,
      operation: 'Hand back',
      resourceType: null,
      resourceId: null,
      status: 200,
      scimType: null,
      detail:
        `${options.by ?? 'An admin'} handed SCIM-controlled records back to INTERNAL: ` +
        `${total.users} users, ${total.groups} groups, ${total.memberships} memberships.`,
      durationMs: 0,
      client: null,
      address: null,
      requestBody: null,
      responseBody: null,
    },
  ])
  return total
}
