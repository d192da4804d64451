// The event log (SPEC §6): every change of a tenant's directory as an event, appended in the
// transaction of the change, read by the event feed and the webhook deliveries in position order.
import type { TenantId } from '../../domain/ids.ts'

/**
 * Who caused an event: the IdP over SCIM, an Admin (console), the host application with an API
 * key (/api/v1), the operator (CLI), the person (a sign-in), or Rollcall's own rules.
 */
export interface EventActor {
  readonly type: 'scim' | 'admin' | 'api_key' | 'operator' | 'user' | 'system'
  /** The SCIM token's id, the admin's user id, the API key's id… when there is one. */
  readonly id?: string
}

/** An event to append; the store gives it its id, timestamp, tenant slug and position. */
export interface NewEvent {
  readonly type: string
  readonly data: unknown
  readonly actor: EventActor
  readonly requestId: string | null
}

export interface StoredEvent {
  /** Commit-ordered and never reused: the feed's cursor. */
  readonly position: number
  /** `evt_…`, the `webhook-id` of its deliveries. */
  readonly id: string
  readonly tenantId: TenantId
  readonly type: string
  readonly at: string
  /**
   * The event as JSON, serialised once when it was written: `{"id", "type", "timestamp",
   * "tenant", "data", "actor", "requestId"}`. Feeds and webhooks send these bytes unchanged
   * (webhook signatures are computed over them).
   */
  readonly body: string
}

export interface EventQuery {
  /** Events after this position (0: from the start). */
  readonly after: number
  readonly limit: number
  /** Only these types (none given: all). */
  readonly types?: readonly string[] | undefined
}

/** One tenant's events. */
export interface TenantEventRepository {
  /**
   * Appends events in the caller's transaction: they become visible when it commits, with
   * positions above every event committed before, and never if it rolls back.
   */
  append(events: readonly NewEvent[]): Promise<StoredEvent[]>
  after(query: EventQuery): Promise<StoredEvent[]>
  /** The highest position of the tenant's committed events (0 if none). */
  head(): Promise<number>
}

/** The event log across tenants: the operator's feed, webhook deliveries, retention. */
export interface EventLog {
  /** Events of every tenant (or of `tenantIds`) after a position. */
  after(
    query: EventQuery & { readonly tenantIds?: readonly TenantId[] | undefined },
  ): Promise<StoredEvent[]>
  /** The highest committed position (0 if none). */
  head(): Promise<number>
  get(id: string): Promise<StoredEvent | undefined>
  /** Deletes up to `limit` events older than `before` (ISO); returns how many it deleted. */
  deleteOlderThan(before: string, limit: number): Promise<number>
  /**
   * Calls `listener` soon after a transaction that appended events commits (in this process;
   * on PostgreSQL also in other instances). A wake-up, not a delivery: read with after().
   */
  subscribe(listener: () => void): () => void
}
