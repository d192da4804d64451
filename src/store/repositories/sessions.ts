// Console sessions (D9): started and ended for one member through their tenant; read, touched
// and ended by the hash of the cookie's id, which is all a request carries.
import type { TenantId, UserId } from '../../domain/ids.ts'

export interface SessionRecord {
  /** sha256 (hex) of the session id in the cookie. */
  readonly idHash: string
  readonly userId: UserId
  readonly tenantId: TenantId
  readonly createdAt: string
  readonly lastSeenAt: string
  readonly idleExpiresAt: string
  readonly absoluteExpiresAt: string
}

/** A new session; its tenant is the TenantStore's. */
export type SessionWrite = Omit<SessionRecord, 'tenantId'>

/** A session with what every request needs of its membership, read in one query. */
export interface SessionView extends SessionRecord {
  readonly tenantSlug: string
  readonly userName: string
  readonly role: string
  readonly active: boolean
}

/** The sessions of one tenant's members. */
export interface SessionRepository {
  /**
   * Stores a new session and records its createdAt as the membership's last sign-in; the
   * membership (this tenant, userId) must exist. Call it in a transaction (two statements).
   */
  insert(record: SessionWrite): Promise<void>
  /**
   * Ends every session of a member of this tenant (D9: deactivation, deletion); returns how
   * many. Sessions also go with the membership row itself (foreign key cascade).
   */
  deleteOf(userId: UserId): Promise<number>
}

/** Sessions by id hash, whatever their tenant. */
export interface SessionLookup {
  /**
   * The session with this id hash joined with its tenant and membership, or undefined when it
   * does not exist. Expiry and the membership's active flag are the caller's to check.
   */
  get(idHash: string): Promise<SessionView | undefined>
  /** Records activity: sets lastSeenAt and pushes the idle expiry. */
  touch(idHash: string, lastSeenAt: string, idleExpiresAt: string): Promise<void>
  delete(idHash: string): Promise<void>
  /** Deletes the sessions whose idle or absolute expiry is at or before `now`. */
  pruneExpired(now: string): Promise<void>
}
