// Who controls one tenant's records (SPEC §1 origins): what SCIM controls, and handing it back to
// the tenant's admins (INTERNAL) when the tenant stops provisioning (issue #9 "Hand back").
import type { GroupId, UserId } from '../../domain/ids.ts'

export interface ScimControlledSummary {
  readonly users: {
    readonly count: number
    readonly sample: readonly { readonly id: UserId; readonly userName: string }[]
  }
  readonly groups: {
    readonly count: number
    readonly sample: readonly { readonly id: GroupId; readonly displayName: string }[]
  }
  /** Group memberships that SCIM added (G3), users' and nested groups'. */
  readonly memberships: { readonly count: number }
}

export interface ReleasedCounts {
  readonly users: number
  readonly groups: number
  readonly memberships: number
}

export interface OriginRepository {
  /** How many users, groups and memberships are SCIM-controlled, with the first few by name. */
  scimControlled(sampleSize: number): Promise<ScimControlledSummary>
  /**
   * Turns at most `limit` SCIM-origin rows to INTERNAL: users first, then groups, then
   * memberships; users and groups get a new version. Roles do not change (origin plays no part
   * in them). Returns how many of each changed; fewer than `limit` in all means none is left.
   * The released users and groups are pushed onto `released` when given (for the event log).
   */
  releaseToInternal(
    limit: number,
    at: string,
    released?: { userIds: UserId[]; groupIds: GroupId[] },
  ): Promise<ReleasedCounts>
}
