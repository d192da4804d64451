// The users of one tenant: memberships with their SCIM document (RFC 7643 §4.1), and the global
// identities (people, keyed by email: D1) they belong to.
import type { GroupId, TenantId, UserId } from '../../domain/ids.ts'
import type { Origin } from '../../domain/types.ts'
import type { ListQuery, Page } from './listing.ts'

export interface UserRecord {
  readonly tenantId: TenantId
  readonly id: UserId
  readonly userName: string
  readonly externalId: string | null
  readonly displayName: string | null
  readonly active: boolean
  readonly origin: Origin
  readonly role: string
  /** The SCIM document (RFC 7643 §4.1): client attributes, extensions under their URN. */
  readonly doc: Record<string, unknown>
  readonly version: number
  readonly createdAt: string
  readonly updatedAt: string
  /** When a console session last started for this membership; null if none ever did. */
  readonly lastSignInAt: string | null
  /**
   * The groups the user is a direct member of, sorted by id, when the read was asked for them
   * (ListQuery.withGroups, get's withGroups) and could load them with the user; else absent.
   */
  readonly groups?: readonly GroupReference[] | undefined
}

/** The writable fields of a user membership; columns are derived from `doc` by the caller. */
export interface UserWrite {
  readonly userName: string
  readonly externalId: string | null
  readonly displayName: string | null
  readonly active: boolean
  readonly doc: Record<string, unknown>
  readonly emails: readonly { value: string; type: string | null; primary: boolean }[]
  /** undefined keeps the stored hash; null clears it. */
  readonly passwordHash?: string | null | undefined
}

/** A reference from a user to a group it is a direct member of (RFC 7643 §4.1.2 `groups`). */
export interface GroupReference {
  readonly groupId: GroupId
  readonly display: string
}

/** The person with an email, and where they are a member, as one tenant may know it. */
export interface PersonIdentity {
  readonly userId: UserId
  readonly inThisTenant: { readonly origin: Origin } | undefined
  readonly otherTenantCount: number
  /** Whether one of those other memberships is SCIM-controlled (D2). */
  readonly scimControlledElsewhere: boolean
}

/** The admin's user list (console, admin API): text search, filters, keyset paging by id. */
export interface UserSearch {
  /** Matches a userName or displayName that contains it, case-insensitively. */
  readonly text?: string | undefined
  readonly origin?: Origin | undefined
  readonly role?: string | undefined
  readonly active?: boolean | undefined
  /** Only users whose id sorts after this one: the last id of the page before. */
  readonly after?: UserId | undefined
  readonly limit: number
}

export interface UserSearchPage {
  /** At most `limit` users, in id (creation) order. */
  readonly items: readonly UserRecord[]
  /** How many users match, on every page. */
  readonly total: number
  /** Whether users follow the last one of `items`. */
  readonly hasMore: boolean
}

export interface UserRepository {
  /** The user with this SCIM id that is a member of this tenant, or undefined. */
  /** The user; with `withGroups`, its groups too (UserRecord.groups), in the same statement. */
  get(id: UserId, options?: { readonly withGroups?: boolean }): Promise<UserRecord | undefined>
  /** The members among these ids (in chunks; the caller bounds how many it asks for at once). */
  getMany(ids: readonly UserId[]): Promise<UserRecord[]>
  /**
   * Filtered, sorted, paged members of this tenant; the filter runs in SQL.
   * Paging (RFC 7644 §3.4.2.4): without sortBy, rows come in id (creation) order, and a page
   * whose startIndex follows a page this instance served for the same filter continues right
   * after that page's last row by an index seek — so walking the pages costs the same per page
   * however deep, and rows deleted meanwhile make no row be skipped; its full pages report the
   * total of the walk's first page, and a page that is not full counts again. Any other
   * startIndex is an offset into the current rows. A startIndex past totalResults gives an
   * empty page.
   */
  list(query: ListQuery): Promise<Page<UserRecord>>
  /**
   * The admin's search (UserSearch): rows in id order after `after`, by seeks on the primary key,
   * so each page costs the same however deep; `total` counts every match.
   */
  search(query: UserSearch): Promise<UserSearchPage>
  /** The id of the member whose userName equals this one case-insensitively, if any. */
  findIdByUserName(userName: string): Promise<UserId | undefined>
  /**
   * D2/D5/D6: the person with this normalised email and where they are a member: whether in this
   * tenant (and with which origin) and how many other tenants; never which.
   */
  identityByEmail(emailNorm: string): Promise<PersonIdentity | undefined>
  /** Creates the person (global identity). Throws UniqueViolation('users_email') on a duplicate email. */
  insertIdentity(userId: UserId, emailNorm: string | null, at: string): Promise<void>
  /** Points the person's identity at another email (SCIM userName change). Throws UniqueViolation. */
  setIdentityEmail(userId: UserId, emailNorm: string | null): Promise<void>
  /** Adds the membership of an existing person. Throws UniqueViolation on a duplicate userName. */
  insert(
    userId: UserId,
    write: UserWrite,
    membership: { origin: Origin; role: string },
    at: string,
  ): Promise<UserRecord>
  /**
   * Compare-and-set update: applies only when the stored version equals `expectedVersion`;
   * returns undefined otherwise (the caller re-reads and retries). Bumps the version.
   * Throws UniqueViolation on a duplicate userName.
   */
  update(
    id: UserId,
    expectedVersion: number,
    write: UserWrite,
    at: string,
    changes?: { origin?: Origin },
  ): Promise<UserRecord | undefined>
  /** Removes the membership and the user's group memberships in this tenant (D9). */
  delete(id: UserId): Promise<boolean>
  /**
   * Sets the member's own role (D8: editable even for SCIM-controlled users) and bumps the
   * version; the effective `role` becomes the highest of it and the member's group rules
   * (role-rules.ts). Returns the updated record, or undefined when the user is not a member here.
   */
  setRole(id: UserId, role: string, at: string): Promise<UserRecord | undefined>
  /** Direct groups of each user, in one query. */
  groupsOf(userIds: readonly UserId[]): Promise<Map<UserId, GroupReference[]>>
}
