// The Store interface: everything Rollcall keeps, behind one contract that the SQLite and
// PostgreSQL implementations both honour. Tenancy is structural: directory data is reached only
// through forTenant(tenantId), so a query without a tenant filter cannot be written by accident.
import type { Origin, Tenant } from '../domain/types.ts'
import type { AttributePath, Filter } from '../scim/filter/ast.ts'

export interface UserRecord {
  readonly tenantId: string
  readonly id: string
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
}

export interface GroupRecord {
  readonly tenantId: string
  readonly id: string
  readonly displayName: string
  readonly externalId: string | null
  readonly origin: Origin
  /** The SCIM document without members (they live in their own rows). */
  readonly doc: Record<string, unknown>
  readonly version: number
  readonly createdAt: string
  readonly updatedAt: string
}

export type MemberType = 'User' | 'Group'

export interface MemberRecord {
  readonly memberId: string
  readonly memberType: MemberType
  readonly origin: Origin
  /** The member's displayName (or userName), for `members[].display`. */
  readonly display: string | null
}

/** A reference from a user to a group it is a direct member of (RFC 7643 §4.1.2 `groups`). */
export interface GroupReference {
  readonly groupId: string
  readonly display: string
}

export interface ListQuery {
  readonly filter?: Filter | undefined
  readonly sortBy?: AttributePath | undefined
  readonly sortOrder: 'ascending' | 'descending'
  /** 1-based (RFC 7644 §3.4.2.4). */
  readonly startIndex: number
  readonly count: number
}

export interface Page<T> {
  readonly totalResults: number
  readonly items: readonly T[]
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

export interface GroupWrite {
  readonly displayName: string
  readonly externalId: string | null
  readonly doc: Record<string, unknown>
}

export interface MemberReference {
  readonly id: string
  readonly type: MemberType
}

export interface ProvisioningLogEntry {
  readonly tenantId: string
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

export interface StoredProvisioningLogEntry extends ProvisioningLogEntry {
  readonly id: number
}

export interface SigningKeyRecord {
  readonly id: string
  readonly algorithm: string
  readonly publicJwk: string
  readonly privateKeyEncrypted: string
  readonly createdAt: string
}

/** SPEC §4: a login connection is usable for sign-in only once an admin verified it. */
export type ConnectionStatus = 'draft' | 'verified'

/** An OpenID Connect login connection of a tenant (SPEC §4). */
export interface LoginConnectionRecord {
  readonly id: string
  readonly tenantId: string
  readonly name: string
  readonly issuer: string
  readonly clientId: string
  /** The client secret sealed by the SecretBox (AES-256-GCM under ROLLCALL_SECRET). */
  readonly clientSecretEncrypted: string
  /** As the admin typed it; compared case-insensitively. */
  readonly domain: string
  readonly status: ConnectionStatus
  readonly verifiedAt: string | null
  /** Just-in-time membership (as Viewer) for people who are not members yet. */
  readonly jitEnabled: boolean
  /** ID-token claims that may carry the email, in the order they are tried. */
  readonly emailClaims: readonly string[]
  readonly createdAt: string
  readonly updatedAt: string
}

export interface ConnectionChanges {
  readonly name?: string
  readonly issuer?: string
  readonly clientId?: string
  readonly clientSecretEncrypted?: string
  readonly domain?: string
  readonly status?: ConnectionStatus
  readonly verifiedAt?: string | null
  readonly jitEnabled?: boolean
  readonly emailClaims?: readonly string[]
}

/** D10: a domain is pending until its TXT record is found or the operator vouches for it. */
export type DomainStatus = 'pending' | 'verified'

/** An email domain a tenant claims (SPEC §1 D10). */
export interface TenantDomainRecord {
  readonly tenantId: string
  /** Normalised (lower case). */
  readonly domain: string
  /** The random part of the TXT record value the tenant publishes. */
  readonly challenge: string
  readonly status: DomainStatus
  readonly verifiedAt: string | null
  /** How it was verified: the TXT record was found, or the operator vouched for it. */
  readonly verifiedMethod: 'dns' | 'operator' | null
  /** Who vouched (operator), or the record name that was found (dns). */
  readonly verifiedBy: string | null
  readonly createdAt: string
}

export type AuthorizationPurpose = 'verify' | 'login'

/** A pending authorization request (state, nonce, PKCE verifier), kept until its callback. */
export interface AuthorizationStateRecord {
  readonly state: string
  readonly tenantId: string
  readonly connectionId: string
  readonly purpose: AuthorizationPurpose
  readonly nonce: string
  readonly codeVerifier: string
  /** sha256 of the browser-binding cookie set when the flow started. */
  readonly bindingHash: string
  readonly createdAt: string
  readonly expiresAt: string
}

export type OneTimeTokenPurpose = 'verify-connection' | 'set-password'

export interface OneTimeTokenRecord {
  /** sha256 (hex) of the token; the token itself is never stored. */
  readonly tokenHash: string
  readonly purpose: OneTimeTokenPurpose
  readonly tenantId: string
  /** The connection id (verify-connection) or the user id (set-password). */
  readonly subjectId: string
  readonly createdAt: string
  readonly expiresAt: string
}

export interface SignInLogEntry {
  readonly tenantId: string
  /** null for local (password) sign-ins. */
  readonly connectionId: string | null
  readonly at: string
  /** e.g. "signed-in", "transferred", "created", "verified", "refused", "failed". */
  readonly outcome: string
  readonly email: string | null
  readonly detail: string | null
}

export interface StoredSignInLogEntry extends SignInLogEntry {
  readonly id: number
}

export interface SessionRecord {
  /** sha256 (hex) of the session id in the cookie. */
  readonly idHash: string
  readonly userId: string
  readonly tenantId: string
  readonly createdAt: string
  readonly lastSeenAt: string
  readonly idleExpiresAt: string
  readonly absoluteExpiresAt: string
}

/** A session with what every request needs of its membership, read in one query. */
export interface SessionView extends SessionRecord {
  readonly tenantSlug: string
  readonly userName: string
  readonly role: string
  readonly active: boolean
}

/** One tenant membership of a person, as D7 sees it. */
export interface MembershipRecord {
  readonly tenantId: string
  readonly origin: Origin
  readonly active: boolean
  readonly role: string
}

/** Thrown by writes that break a uniqueness rule; the caller turns it into SCIM 409. */
export class UniqueViolation extends Error {
  constructor(readonly constraint: string) {
    super(`unique constraint violated: ${constraint}`)
    this.name = 'UniqueViolation'
  }
}

/** Thrown when the database cannot be reached or answered with a transient failure. */
export class StoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreUnavailable'
  }
}

export interface TenantStore {
  readonly tenantId: string

  /** The user with this SCIM id that is a member of this tenant, or undefined. */
  getUser(id: string): Promise<UserRecord | undefined>
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
  listUsers(query: ListQuery): Promise<Page<UserRecord>>
  /** The id of the member whose userName equals this one case-insensitively, if any. */
  findUserIdByUserName(userName: string): Promise<string | undefined>
  /**
   * D2/D5/D6: the person with this normalised email and where they are a member: whether in this
   * tenant (and with which origin) and how many other tenants; never which.
   */
  identityByEmail(emailNorm: string): Promise<
    | {
        readonly userId: string
        readonly inThisTenant: { readonly origin: Origin } | undefined
        readonly otherTenantCount: number
        /** Whether one of those other memberships is SCIM-controlled (D2). */
        readonly scimControlledElsewhere: boolean
      }
    | undefined
  >
  /** Creates the person (global identity). Throws UniqueViolation('users_email') on a duplicate email. */
  insertIdentity(userId: string, emailNorm: string | null, at: string): Promise<void>
  /** Points the person's identity at another email (SCIM userName change). Throws UniqueViolation. */
  setIdentityEmail(userId: string, emailNorm: string | null): Promise<void>
  /** Adds the membership of an existing person. Throws UniqueViolation on a duplicate userName. */
  insertUser(
    userId: string,
    write: UserWrite,
    membership: { origin: Origin; role: string },
    at: string,
  ): Promise<UserRecord>
  /**
   * Compare-and-set update: applies only when the stored version equals `expectedVersion`;
   * returns undefined otherwise (the caller re-reads and retries). Bumps the version.
   * Throws UniqueViolation on a duplicate userName.
   */
  updateUser(
    id: string,
    expectedVersion: number,
    write: UserWrite,
    at: string,
    changes?: { origin?: Origin },
  ): Promise<UserRecord | undefined>
  /** Removes the membership and the user's group memberships in this tenant (D9). */
  deleteUser(id: string): Promise<boolean>
  /**
   * Sets the role of a member (D8: editable even for SCIM-controlled users) and bumps the
   * version. Returns the updated record, or undefined when the user is not a member here.
   */
  setRole(id: string, role: string, at: string): Promise<UserRecord | undefined>
  /** Direct groups of each user, in one query. */
  groupsOfUsers(userIds: readonly string[]): Promise<Map<string, GroupReference[]>>

  getGroup(id: string): Promise<GroupRecord | undefined>
  /** The group whose displayName equals this one case-insensitively (G1). */
  getGroupByName(displayName: string): Promise<GroupRecord | undefined>
  /** Like listUsers. */
  listGroups(query: ListQuery): Promise<Page<GroupRecord>>
  /** Throws UniqueViolation('groups_display_name') on a duplicate name. */
  insertGroup(id: string, write: GroupWrite, origin: Origin, at: string): Promise<GroupRecord>
  /** Compare-and-set, like updateUser. `origin` converts the group (G2). */
  updateGroup(
    id: string,
    expectedVersion: number,
    write: GroupWrite,
    at: string,
    changes?: { origin?: Origin },
  ): Promise<GroupRecord | undefined>
  /** Bumps version and lastModified after member changes, without reading the group. */
  touchGroup(id: string, at: string): Promise<void>
  deleteGroup(id: string): Promise<boolean>

  /** Members with their origin and display name. */
  listMembers(groupIds: readonly string[]): Promise<Map<string, MemberRecord[]>>
  /** Which of these ids are users / groups of this tenant. */
  findMemberTargets(ids: readonly string[]): Promise<Map<string, MemberType>>
  /**
   * Adds members with this origin. An existing membership of the other origin is converted to
   * `origin` (G3, SCIM adds) unless `keepExisting` (an admin adding an INTERNAL member leaves an
   * existing SCIM membership alone). Costs O(members given).
   */
  upsertMembers(
    groupId: string,
    members: readonly MemberReference[],
    origin: Origin,
    at: string,
    options?: { keepExisting?: boolean },
  ): Promise<void>
  /** Removes these members, but only those of the given origin (G5). */
  removeMembers(groupId: string, memberIds: readonly string[], origin: Origin): Promise<void>
  /** Removes every member of the given origin except `keep` (a SCIM replace of members, G5). */
  removeMembersExcept(groupId: string, keep: readonly string[], origin: Origin): Promise<void>
}

/** A service-wide key/value setting and when it was last written. */
export interface ServiceSettingRecord {
  readonly key: string
  readonly value: string
  readonly updatedAt: string
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres'
  /** Applies pending migrations (idempotent). */
  migrate(): Promise<void>
  /** Runs fn in one transaction; everything it does through the given store commits or none. */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>
  forTenant(tenantId: string): TenantStore

  createTenant(tenant: {
    id: string
    slug: string
    name: string
    createdAt: string
  }): Promise<Tenant>
  getTenantBySlug(slug: string): Promise<Tenant | undefined>
  getTenantById(id: string): Promise<Tenant | undefined>
  listTenants(): Promise<Tenant[]>
  /** Sets (or with null clears) the one valid SCIM token id of the tenant. */
  setScimToken(tenantId: string, tokenId: string | null, at: string): Promise<void>
  setScimStrictProfile(tenantId: string, strict: boolean): Promise<void>

  getSigningKey(): Promise<SigningKeyRecord | undefined>
  /** Inserts the key unless one exists; returns the key that is stored afterwards. */
  insertSigningKey(key: SigningKeyRecord): Promise<SigningKeyRecord>

  appendProvisioningLog(entries: readonly ProvisioningLogEntry[]): Promise<void>
  listProvisioningLog(
    tenantId: string,
    options: { limit: number; beforeId?: number | undefined; failuresOnly?: boolean | undefined },
  ): Promise<StoredProvisioningLogEntry[]>
  /**
   * Deletes provisioning log entries older than `before` and beyond the newest
   * `maxRowsPerTenant` of each tenant, and sign-in log entries older than `before`.
   * Returns how many provisioning log entries went.
   */
  pruneProvisioningLog(before: string, maxRowsPerTenant: number): Promise<number>

  /**
   * Every tenant membership of a person (any tenant, any origin), for the D7 transfer rules.
   * Empty when the person has none (or does not exist).
   */
  membershipsOf(userId: string): Promise<MembershipRecord[]>

  /**
   * Creates a login connection. The domain is stored as given and compared case-insensitively:
   * throws UniqueViolation('login_connections_domain') when another connection of the same
   * tenant has the same domain (other tenants may name it too: only a verified domain routes).
   */
  createConnection(record: LoginConnectionRecord): Promise<LoginConnectionRecord>
  /** The connection with this id, of any tenant, or undefined. */
  getConnection(id: string): Promise<LoginConnectionRecord | undefined>
  /**
   * D11: the connection "Sign in with SSO" routes this domain to — the one with this domain of
   * the tenant that verified the domain — or undefined.
   */
  getConnectionByDomain(domain: string): Promise<LoginConnectionRecord | undefined>
  /** The tenant's connections, oldest first. */
  listConnections(tenantId: string): Promise<LoginConnectionRecord[]>
  /**
   * Applies the given changes to a connection of this tenant and sets updatedAt. Returns the
   * updated record, or undefined when the tenant has no such connection (another tenant's id
   * included). Throws UniqueViolation('login_connections_domain') on a taken domain.
   */
  updateConnection(
    tenantId: string,
    id: string,
    changes: ConnectionChanges,
    at: string,
  ): Promise<LoginConnectionRecord | undefined>
  /** Deletes a connection of this tenant; false when there was none. */
  deleteConnection(tenantId: string, id: string): Promise<boolean>

  /**
   * Adds a pending domain to a tenant. Throws UniqueViolation('tenant_domains_tenant') when the
   * tenant has it already.
   */
  addDomain(record: TenantDomainRecord): Promise<TenantDomainRecord>
  getDomain(tenantId: string, domain: string): Promise<TenantDomainRecord | undefined>
  /** The tenant's domains, in name order. */
  listDomains(tenantId: string): Promise<TenantDomainRecord[]>
  /**
   * Marks a tenant's domain verified. Throws UniqueViolation('tenant_domains_verified') when
   * another tenant verified it first (the database decides: a partial unique index).
   */
  markDomainVerified(
    tenantId: string,
    domain: string,
    verification: { at: string; method: 'dns' | 'operator'; by: string },
  ): Promise<TenantDomainRecord | undefined>
  removeDomain(tenantId: string, domain: string): Promise<boolean>
  /** The id of the tenant that verified this domain, if any (D11, D12). */
  domainOwner(domain: string): Promise<string | undefined>

  /** Stores a pending authorization request; throws UniqueViolation on a duplicate state. */
  insertAuthorizationState(record: AuthorizationStateRecord): Promise<void>
  /**
   * Single use: deletes the pending request with this state and returns it, atomically, so two
   * callbacks racing with the same state cannot both get it. undefined when there is none, or
   * when it expired (expiresAt <= now; the row is deleted all the same).
   */
  consumeAuthorizationState(
    state: string,
    now: string,
  ): Promise<AuthorizationStateRecord | undefined>

  insertOneTimeToken(record: OneTimeTokenRecord): Promise<void>
  /** The unexpired token with this hash and purpose, without using it up. */
  findOneTimeToken(
    tokenHash: string,
    purpose: OneTimeTokenPurpose,
    now: string,
  ): Promise<OneTimeTokenRecord | undefined>
  /**
   * Single use, atomically: deletes the token and returns it when it exists, has this purpose and
   * has not expired; otherwise undefined (a token of another purpose is left alone).
   */
  consumeOneTimeToken(
    tokenHash: string,
    purpose: OneTimeTokenPurpose,
    now: string,
  ): Promise<OneTimeTokenRecord | undefined>

  appendSignInLog(entry: SignInLogEntry): Promise<void>
  /** A tenant's sign-in log, newest first. */
  listSignInLog(tenantId: string, options: { limit: number }): Promise<StoredSignInLogEntry[]>

  /** The scrypt hash of a person's local password, if they have one. */
  getLocalCredential(userId: string): Promise<string | undefined>
  /** Sets (inserts or replaces) a person's local password hash. */
  setLocalCredential(userId: string, passwordHash: string, at: string): Promise<void>

  /** Records one failed local sign-in under each key (e.g. an account and a client address). */
  recordLoginFailure(keys: readonly string[], at: string): Promise<void>
  /** Failures recorded under `key` at or after `since`, and the times of the oldest and latest. */
  countLoginFailures(
    key: string,
    since: string,
  ): Promise<{ count: number; oldestAt: string | null; latestAt: string | null }>
  /** Forgets the failures of a key (after a successful sign-in of that account). */
  clearLoginFailures(key: string): Promise<void>

  /** Stores a new session; the membership (tenantId, userId) must exist. */
  insertSession(record: SessionRecord): Promise<void>
  /**
   * The session with this id hash joined with its tenant and membership, or undefined when it
   * does not exist. Expiry and the membership's active flag are the caller's to check.
   */
  getSession(idHash: string): Promise<SessionView | undefined>
  /** Records activity: sets lastSeenAt and pushes the idle expiry. */
  touchSession(idHash: string, lastSeenAt: string, idleExpiresAt: string): Promise<void>
  deleteSession(idHash: string): Promise<void>
  /**
   * Ends every session of a member of a tenant (D9: deactivation, deletion); returns how many.
   * Sessions also go with the membership row itself (foreign key cascade).
   */
  deleteSessionsOf(tenantId: string, userId: string): Promise<number>
  /** Deletes expired authorization states, one-time tokens, sessions and old login failures. */
  pruneExpiredSignInState(now: string, failuresBefore: string): Promise<void>

  /**
   * A service-wide setting (e.g. `public_url`, which the server records at start for the CLI),
   * or undefined when it was never set.
   */
  getServiceSetting(key: string): Promise<ServiceSettingRecord | undefined>
  /** Sets (inserts or replaces) a service-wide setting; the last writer wins. */
  setServiceSetting(key: string, value: string, at: string): Promise<void>

  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>
  /**
   * Maps a driver error that escaped a store call to UniqueViolation / StoreUnavailable, or
   * returns it unchanged; the HTTP error handlers call it so no driver error reaches a client.
   */
  translateError(error: unknown): unknown
  close(): Promise<void>
}
