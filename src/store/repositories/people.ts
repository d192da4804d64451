// A person across tenants: their memberships everywhere (the D7 transfer rules read them all)
// and their local password, which is the person's, not one tenant's data.
import type { TenantId, UserId } from '../../domain/ids.ts'
import type { Origin } from '../../domain/types.ts'

/** One tenant membership of a person, as D7 sees it. */
export interface MembershipRecord {
  readonly tenantId: TenantId
  readonly origin: Origin
  readonly active: boolean
  readonly role: string
}

export interface PersonRepository {
  /**
   * Every tenant membership of a person (any tenant, any origin), for the D7 transfer rules.
   * Empty when the person has none (or does not exist).
   */
  membershipsOf(userId: UserId): Promise<MembershipRecord[]>
  /** The scrypt hash of a person's local password, if they have one. */
  getLocalCredential(userId: UserId): Promise<string | undefined>
  /** Sets (inserts or replaces) a person's local password hash. */
  setLocalCredential(userId: UserId, passwordHash: string, at: string): Promise<void>
}
