// Appending a change's events: collected while a transaction makes the change, appended as its
// last step (on PostgreSQL the append holds the lock that orders positions until the commit, so
// it must come last), with the actor and request id of the running context.
import type { TenantId, UserId } from '../domain/ids.ts'
import type { GroupRecord, MemberChange, Store } from '../store/store.ts'
import { currentEventContext, type EventContext } from './context.ts'
import { memberEvents, userEvent } from './data.ts'
import type { EventDraft } from './types.ts'

/** Role changes read and appended per chunk: a rule on a 100k-member group is 200 chunks. */
const ROLE_CHUNK = 500

interface TenantEvents {
  readonly drafts: EventDraft[]
  readonly roleChanged: Set<UserId>
  /** Another tenant's events caused by this one's change: their actor is Rollcall's rule. */
  readonly asSystem: boolean
}

const SYSTEM_CONTEXT = { actor: { type: 'system' as const }, requestId: null }

/** Appends events now, in the caller's transaction. */
export async function appendEvents(
  store: Store,
  tenantId: TenantId,
  drafts: readonly EventDraft[],
  context: EventContext = currentEventContext(),
): Promise<void> {
  if (drafts.length === 0) return
  const { actor, requestId } = context
  await store
    .forTenant(tenantId)
    .events.append(
      drafts.map((d) => ({ type: d.type, data: d.data, actor: { ...actor }, requestId })),
    )
}

/**
 * The events of one unit of work (one transaction), per tenant, appended together by flush().
 * A change in one tenant can touch another (D2 ends the person's memberships elsewhere).
 */
export class EventBatch {
  private readonly tenants = new Map<TenantId, TenantEvents>()

  constructor(private readonly tenantId: TenantId) {}

  private of(tenantId: TenantId): TenantEvents {
    let entry = this.tenants.get(tenantId)
    if (!entry) {
      entry = { drafts: [], roleChanged: new Set(), asSystem: tenantId !== this.tenantId }
      this.tenants.set(tenantId, entry)
    }
    return entry
  }

  /** Events of the batch's tenant. */
  add(...drafts: readonly EventDraft[]): this {
    return this.addTo(this.tenantId, ...drafts)
  }

  /**
   * Events of another tenant that this tenant's change caused (D2): recorded as the system's,
   * since one organisation's actors and requests are not another's business.
   */
  addTo(tenantId: TenantId, ...drafts: readonly EventDraft[]): this {
    this.of(tenantId).drafts.push(...drafts)
    return this
  }

  /** Users whose effective role a change moved; each gets one user.role_changed at flush. */
  rolesChanged(ids: readonly UserId[]): this {
    const set = this.of(this.tenantId).roleChanged
    for (const id of ids) set.add(id)
    return this
  }

  /** A member change's events: one per membership that came or went, and the roles it moved. */
  members(
    type: 'group.member_added' | 'group.member_removed',
    group: Pick<GroupRecord, 'id' | 'displayName'>,
    change: MemberChange,
  ): this {
    this.add(...memberEvents(type, group, change.members))
    return this.rolesChanged(change.roleChanged)
  }

  /** Appends everything in `store`'s transaction: call it as the transaction's last step. */
  async flush(store: Store): Promise<void> {
    const tenants = [...this.tenants]
    this.tenants.clear()
    // Read everything first, then append: on PostgreSQL the first append takes the lock that
    // orders positions until the commit, so the reads of a large role change (a rule on a group
    // of 100k members) stay out of that window. Appended per chunk, so that no single append
    // builds (and returns) the bodies of all of them at once.
    const ready: { tenantId: TenantId; chunks: EventDraft[][]; context: EventContext }[] = []
    for (const [tenantId, { drafts, roleChanged, asSystem }] of tenants) {
      // A role change recorded explicitly (an admin's setRole) is not recorded twice.
      for (const d of drafts) {
        if (d.type === 'user.role_changed') roleChanged.delete((d.data as { id: UserId }).id)
      }
      const chunks = [drafts]
      const ids = [...roleChanged]
      for (let i = 0; i < ids.length; i += ROLE_CHUNK) {
        const users = await store.forTenant(tenantId).users.getMany(ids.slice(i, i + ROLE_CHUNK))
        chunks.push(users.map((u) => userEvent('user.role_changed', u)))
      }
      ready.push({ tenantId, chunks, context: asSystem ? SYSTEM_CONTEXT : currentEventContext() })
    }
    for (const { tenantId, chunks, context } of ready) {
      for (const chunk of chunks) await appendEvents(store, tenantId, chunk, context)
    }
  }
}

/** Runs `fn` with a fresh batch and appends its events after it, in `store`'s transaction. */
export async function recording<T>(
  store: Store,
  tenantId: TenantId,
  fn: (events: EventBatch) => Promise<T>,
): Promise<T> {
  const events = new EventBatch(tenantId)
  const result = await fn(events)
  await events.flush(store)
  return result
}
