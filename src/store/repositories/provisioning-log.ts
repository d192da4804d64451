// The provisioning log (SPEC §5): one tenant's trail of SCIM requests; retention runs across
// tenants.
import type { TenantId } from '../../domain/ids.ts'

/**
 * The method (and path) of an entry that records no SCIM request but an event of the directory
 * (a membership ended by D2, a hand back): shown in the log, never a token's "last used".
 */
export const NOT_A_REQUEST = '-'

export interface ProvisioningLogEntry {
  readonly tenantId: TenantId
  readonly at: string
  readonly requestId: string | null
  readonly method: string
  readonly path: string
  /** e.g. "Create User", "Patch Group", "List Users". */
  readonly operation: string
  readonly resourceType: string | null
  readonly resourceId: string | null
  readonly status: number
  readonly scimType: string | null
  readonly detail: string | null
  readonly durationMs: number
  /** The client's user agent. */
  readonly client: string | null
  /** The client's address (request.ip: behind a trusted proxy, the forwarded one). */
  readonly address: string | null
  readonly requestBody: string | null
  readonly responseBody: string | null
}

/** An entry to append; its tenant is the TenantStore's (a tenantId it carries is ignored). */
export type ProvisioningLogWrite = Omit<ProvisioningLogEntry, 'tenantId'>

export interface StoredProvisioningLogEntry extends ProvisioningLogEntry {
  readonly id: number
}

/** Which entries {@link ProvisioningLogRepository.list} answers; every filter given applies. */
export interface ProvisioningLogQuery {
  readonly limit: number
  /** Only entries older (smaller id) than this one: the next page. */
  readonly beforeId?: number | undefined
  /** Status 400 and above only (the same as outcome 'failure'). */
  readonly failuresOnly?: boolean | undefined
  /** 'success': status below 400; 'failure': 400 and above. */
  readonly outcome?: 'success' | 'failure' | undefined
  /** Exactly this operation, e.g. "Create User". */
  readonly operation?: string | undefined
  /** Exactly this resource type, e.g. "User". */
  readonly resourceType?: string | undefined
  /** Only entries at or after this ISO time. */
  readonly since?: string | undefined
  /** Leaves out the entries of these operations. */
  readonly excludeOperations?: readonly string[] | undefined
  /** SCIM requests only: leaves out the entries of events (method {@link NOT_A_REQUEST}). */
  readonly requestsOnly?: boolean | undefined
}

/** The width of one bar of the activity chart. */
export type ActivityBucket = 'minute' | 'hour' | 'day'

/** Requests (entries) and failures (status 400 and above) in one time bucket. */
export interface ProvisioningActivity {
  /** The bucket's start, an ISO time (UTC). */
  readonly start: string
  readonly requests: number
  readonly failures: number
}

/** One tenant's log. */
export interface ProvisioningLogRepository {
  append(entries: readonly ProvisioningLogWrite[]): Promise<void>
  /** Newest first (by id), at most `limit`, filtered as the query says. */
  list(query: ProvisioningLogQuery): Promise<StoredProvisioningLogEntry[]>
  /** One entry of this tenant; undefined for an unknown id or another tenant's. */
  get(id: number): Promise<StoredProvisioningLogEntry | undefined>
  /**
   * The tenant's entries at or after `since`, counted per UTC `bucket` (minute, hour, day),
   * oldest bucket first. Buckets without entries are left out.
   */
  activity(options: {
    readonly since: string
    readonly bucket: ActivityBucket
  }): Promise<ProvisioningActivity[]>
}

/** Retention across tenants. */
export interface ProvisioningLogRetention {
  /**
   * Deletes entries older than `before` and beyond the newest `maxRowsPerTenant` of each tenant.
   * Returns how many entries went.
   */
  prune(before: string, maxRowsPerTenant: number): Promise<number>
}
