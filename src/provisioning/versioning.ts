// meta.version / ETag handling (RFC 7644 §3.14) and the compare-and-set retry loop that makes
// concurrent writes to one resource safe without locks held across requests.
import { AppError } from '../errors.ts'
import { etagListMatches, etagOf } from '../scim/etag.ts'
import { ScimError } from '../scim/errors.ts'
import { recording, type EventBatch } from '../events/record.ts'
import type { Store, TenantStore } from '../store/store.ts'
import type { ProvisioningContext } from './context.ts'

/** RFC 7232 If-Match: "*" or a list of (weak or strong) entity tags. */
export function checkIfMatch(header: string | undefined, version: number): void {
  if (header === undefined) return
  if (!etagListMatches(header, version)) {
    const current = etagOf(version)
    throw ScimError.preconditionFailed(
      `If-Match ${header} does not match the current version ${current}: the resource changed ` +
        'since it was read. Read it again and retry.',
    )
  }
}

export function ifNoneMatchHits(header: string | undefined, version: number): boolean {
  if (header === undefined) return false
  return etagListMatches(header, version)
}

/** Signals that a compare-and-set lost a race; the transaction is rolled back and retried. */
export class VersionConflict extends Error {
  constructor() {
    super('version conflict')
    this.name = 'VersionConflict'
  }
}

const MAX_ATTEMPTS = 8

/** Runs fn again (it opens its own transaction) while it loses compare-and-set races. */
export async function retryOnConflict<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      if (!(error instanceof VersionConflict) || attempt >= MAX_ATTEMPTS) {
        if (error instanceof VersionConflict) {
          throw AppError.conflict('The resource is being changed by other requests; retry.')
        }
        throw error
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt))
    }
  }
}

/** DELETE of a user or group (RFC 7644 §3.6), honouring If-Match; 404 when absent. */
export async function deleteChecked<R extends { version: number }>(
  ctx: ProvisioningContext,
  resourceType: 'User' | 'Group',
  id: string,
  ifMatch: string | undefined,
  operations: (
    tenantStore: TenantStore,
    store: Store,
  ) => {
    get(): Promise<R | undefined>
    /** Deletes `existing`, recording its events in `events`; false when it was gone. */
    remove(existing: R, events: EventBatch): Promise<boolean>
  },
): Promise<void> {
  await ctx.store.transaction((store) =>
    recording(store, ctx.tenant.id, async (events) => {
      const { get, remove } = operations(store.forTenant(ctx.tenant.id), store)
      // Read first: the event of the delete carries the resource as it was.
      const existing = await get()
      if (!existing) throw ScimError.notFound(resourceType, id)
      if (ifMatch !== undefined) checkIfMatch(ifMatch, existing.version)
      if (!(await remove(existing, events))) throw ScimError.notFound(resourceType, id)
    }),
  )
}
