// Webhook endpoints (issue #10): registered service-wide by the operator, each with its delivery
// state (a cursor into the event log and the attempt in progress) and a lease that says which
// instance delivers to it, so that deliveries to one endpoint are never concurrent.
import type { TenantId } from '../../domain/ids.ts'

export interface WebhookEndpointRecord {
  readonly id: string
  readonly url: string
  /** Only this tenant's events; null: every tenant's. */
  readonly tenantId: TenantId | null
  /** Only these event types; null: every type. */
  readonly eventTypes: readonly string[] | null
  readonly enabled: boolean
  /** Why it is disabled ("410 Gone", "by the operator"); null while enabled. */
  readonly disabledReason: string | null
  /** The signing secret, sealed by the SecretBox. */
  readonly secretSealed: string
  /** The secret before the last rotation, still signing until `previousSecretUntil`. */
  readonly previousSecretSealed: string | null
  readonly previousSecretUntil: string | null
  /** The last event position delivered or dead-lettered. */
  readonly cursor: number
  /** The event being attempted (its position), with the attempts made and when to try again. */
  readonly pendingPosition: number | null
  readonly pendingAttempts: number
  readonly nextAttemptAt: string | null
  readonly leaseOwner: string | null
  readonly leaseUntil: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

export type NewWebhookEndpoint = Pick<
  WebhookEndpointRecord,
  'id' | 'url' | 'tenantId' | 'eventTypes' | 'secretSealed' | 'cursor' | 'createdAt'
>

/** The state of an endpoint's ordered stream after an attempt. */
export interface WebhookProgress {
  readonly cursor: number
  readonly pendingPosition: number | null
  readonly pendingAttempts: number
  readonly nextAttemptAt: string | null
}

export interface WebhookClaim {
  readonly owner: string
  /** Endpoints whose lease ended before this ISO time are free. */
  readonly now: string
  readonly leaseUntil: string
  readonly limit: number
  /** Endpoints not to claim (already looked at in this round). */
  readonly exclude: readonly string[]
}

export interface WebhookEndpointRepository {
  create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpointRecord>
  list(): Promise<WebhookEndpointRecord[]>
  get(id: string): Promise<WebhookEndpointRecord | undefined>
  /** Deletes the endpoint with its log, dead letters and queued redeliveries; false if unknown. */
  delete(id: string): Promise<boolean>
  /** Enables (reason null) or disables it; false if unknown. */
  setEnabled(id: string, enabled: boolean, reason: string | null, at: string): Promise<boolean>
  /** Replaces the secret, keeping the current one as the previous until `previousUntil`. */
  rotateSecret(id: string, sealed: string, previousUntil: string, at: string): Promise<boolean>
  /**
   * Leases up to `limit` endpoints with work due to `owner` until `leaseUntil`, atomically: two
   * callers never hold one endpoint at once. Work due: enabled, the lease free (none, or ended
   * before `now`), and events after the cursor (unless a retry is due later than `now`) or a
   * queued redelivery due at `now`.
   */
  claim(claim: WebhookClaim): Promise<WebhookEndpointRecord[]>
  /**
   * Extends the owner's lease and returns the endpoint as it is now (secrets, URL, enabled);
   * undefined if the lease is no longer the owner's.
   */
  renewLease(id: string, owner: string, until: string): Promise<WebhookEndpointRecord | undefined>
  /** Gives the lease up (only the owner's). */
  release(id: string, owner: string): Promise<void>
  /** Records the progress of the ordered stream, only while `owner` holds the lease. */
  saveProgress(id: string, owner: string, progress: WebhookProgress, at: string): Promise<boolean>
}
