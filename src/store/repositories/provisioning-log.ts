// The provisioning log (SPEC §5): one tenant's trail of SCIM requests; retention runs across
// tenants.
import type { TenantId } from '../../domain/ids.ts'

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
  readonly client: string | null
  readonly requestBody: string | null
  readonly responseBody: string | null
}

/** An entry to append; its tenant is the TenantStore's (a tenantId it carries is ignored). */
export type ProvisioningLogWrite = Omit<ProvisioningLogEntry, 'tenantId'>

export interface StoredProvisioningLogEntry extends ProvisioningLogEntry {
  readonly id: number
}

/** One tenant's log. */
export interface ProvisioningLogRepository {
  append(entries: readonly ProvisioningLogWrite[]): Promise<void>
  /** Newest first; `beforeId` pages on, `failuresOnly` keeps status 400 and above. */
  list(options: {
    limit: number
    beforeId?: number | undefined
    failuresOnly?: boolean | undefined
  }): Promise<StoredProvisioningLogEntry[]>
}

/** Retention across tenants. */
export interface ProvisioningLogRetention {
  /**
   * Deletes entries older than `before` and beyond the newest `maxRowsPerTenant` of each tenant.
   * Returns how many entries went.
   */
  prune(before: string, maxRowsPerTenant: number): Promise<number>
}
