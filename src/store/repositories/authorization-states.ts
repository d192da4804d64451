// Pending OIDC authorization requests (state, nonce, PKCE verifier): started for one tenant's
// connection, taken once by the callback, which knows only the state.
import type { ConnectionId, TenantId } from '../../domain/ids.ts'

export type AuthorizationPurpose = 'verify' | 'login'

/** A pending authorization request (state, nonce, PKCE verifier), kept until its callback. */
export interface AuthorizationStateRecord {
  readonly state: string
  readonly tenantId: TenantId
  readonly connectionId: ConnectionId
  readonly purpose: AuthorizationPurpose
  readonly nonce: string
  readonly codeVerifier: string
  /** sha256 of the browser-binding cookie set when the flow started. */
  readonly bindingHash: string
  readonly createdAt: string
  readonly expiresAt: string
}

/** A new request; its tenant is the TenantStore's. */
export type AuthorizationStateWrite = Omit<AuthorizationStateRecord, 'tenantId'>

/** Starting requests for one tenant's connections. */
export interface AuthorizationStateRepository {
  /** Stores a pending authorization request; throws UniqueViolation on a duplicate state. */
  insert(record: AuthorizationStateWrite): Promise<void>
}

/** Pending requests by state, whatever their tenant. */
export interface AuthorizationStateLookup {
  /**
   * Single use: deletes the pending request with this state and returns it, atomically, so two
   * callbacks racing with the same state cannot both get it. undefined when there is none, or
   * when it expired (expiresAt <= now; the row is deleted all the same).
   */
  consume(state: string, now: string): Promise<AuthorizationStateRecord | undefined>
  /** Deletes the requests that expired at or before `now`. */
  pruneExpired(now: string): Promise<void>
}
