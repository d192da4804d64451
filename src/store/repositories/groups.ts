// The groups of one tenant (RFC 7643 §4.2), identified by name (G1); their members are the
// member repository's.
import type { GroupId, TenantId, UserId } from '../../domain/ids.ts'
import type { Origin } from '../../domain/types.ts'
import type { ListQuery, Page } from './listing.ts'

export interface GroupRecord {
  readonly tenantId: TenantId
  readonly id: GroupId
  readonly displayName: string
  readonly externalId: string | null
  readonly origin: Origin
  /** The SCIM document without members (they live in their own rows). */
  readonly doc: Record<string, unknown>
  readonly version: number
  readonly createdAt: string
  readonly updatedAt: string
}

export interface GroupWrite {
  readonly displayName: string
  readonly externalId: string | null
  readonly doc: Record<string, unknown>
}

export interface GroupRepository {
  get(id: GroupId): Promise<GroupRecord | undefined>
  /** The group whose displayName equals this one case-insensitively (G1). */
  /** The tenant's groups among these ids (in chunks; the caller bounds how many at once). */
  getMany(ids: readonly GroupId[]): Promise<GroupRecord[]>
  getByName(displayName: string): Promise<GroupRecord | undefined>
  /** Like the users' list. */
  list(query: ListQuery): Promise<Page<GroupRecord>>
  /** Throws UniqueViolation('groups_display_name') on a duplicate name. */
  insert(id: GroupId, write: GroupWrite, origin: Origin, at: string): Promise<GroupRecord>
  /** Compare-and-set, like the users' update. `origin` converts the group (G2). */
  update(
    id: GroupId,
    expectedVersion: number,
    write: GroupWrite,
    at: string,
    changes?: { origin?: Origin },
  ): Promise<GroupRecord | undefined>
  /** Bumps version and lastModified after member changes; the group as it is then. */
  touch(id: GroupId, at: string): Promise<GroupRecord | undefined>
  /** Pushes onto `roleChanges` (when given) the members whose role its rule's removal changed. */
  delete(id: GroupId, roleChanges?: UserId[]): Promise<boolean>
}
