// The sign-in log: one tenant's sign-in outcomes (SSO and local); retention by age runs across
// tenants.
import type { ConnectionId, TenantId } from '../../domain/ids.ts'

export interface SignInLogEntry {
  readonly tenantId: TenantId
  /** null for local (password) sign-ins. */
  readonly connectionId: ConnectionId | null
  readonly at: string
  /** e.g. "signed-in", "transferred", "created", "verified", "refused", "failed". */
  readonly outcome: string
  readonly email: string | null
  readonly detail: string | null
}

/** An entry to append; its tenant is the TenantStore's. */
export type SignInLogWrite = Omit<SignInLogEntry, 'tenantId'>

export interface StoredSignInLogEntry extends SignInLogEntry {
  readonly id: number
}

/** One tenant's log. */
export interface SignInLogRepository {
  append(entry: SignInLogWrite): Promise<void>
  /** A tenant's sign-in log, newest first. */
  list(options: { limit: number }): Promise<StoredSignInLogEntry[]>
}

/** Retention across tenants. */
export interface SignInLogRetention {
  /** Deletes entries older than `before` (the provisioning log's cut-off, by age). */
  prune(before: string): Promise<void>
}
