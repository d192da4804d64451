// What every part of the Store contract shares: the runner's opened store, the fixture of two
// tenants every test starts from, and builders for records, writes and assertions.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { emailIdentityOf } from '../../../src/domain/directory-rules.ts'
import {
  type GroupId,
  newGroupId,
  newTenantId,
  newUserId,
  type TenantId,
  type UserId,
} from '../../../src/domain/ids.ts'
import type { Origin, Tenant } from '../../../src/domain/types.ts'
import { SCIM_GROUP_SCHEMA_URN, SCIM_USER_SCHEMA_URN } from '../../../src/scim/schemas/index.ts'
import {
  UniqueViolation,
  type GroupRecord,
  type GroupWrite,
  type ListQuery,
  type MemberRecord,
  type MemberReference,
  type Page,
  type ProvisioningLogEntry,
  type SigningKeyRecord,
  type Store,
  type TenantDomainRecord,
  type TenantStore,
  type UserRecord,
  type UserWrite,
} from '../../../src/store/store.ts'

/** What an engine's runner hands the suite: a store that is not migrated yet. */
export interface OpenedStore {
  readonly store: Store
  close(): Promise<void>
  /**
   * The database schema as the engine describes it (tables, columns, indexes, applied
   * migrations), so the suite can tell that a second migrate() changed nothing.
   */
  describeSchema?(): Promise<unknown>
}

// ---------------------------------------------------------------------------------------------
// Builders

export const BASE_TIME = Date.UTC(2025, 0, 1)

/** A fixed ISO-8601 timestamp `n` seconds after 2025-01-01T00:00:00Z. */
export function at(n: number): string {
  return new Date(BASE_TIME + n * 1000).toISOString()
}

export function userWrite(userName: string, overrides: Partial<UserWrite> = {}): UserWrite {
  return {
    userName,
    externalId: null,
    displayName: null,
    active: true,
    doc: { schemas: [SCIM_USER_SCHEMA_URN], userName },
    emails: userName.includes('@') ? [{ value: userName, type: 'work', primary: true }] : [],
    ...overrides,
  }
}

export function groupWrite(displayName: string, overrides: Partial<GroupWrite> = {}): GroupWrite {
  return {
    displayName,
    externalId: null,
    doc: { schemas: [SCIM_GROUP_SCHEMA_URN], displayName },
    ...overrides,
  }
}

interface AddUserOptions {
  /** Attach this existing person instead of creating a new identity. */
  readonly person?: UserId
  readonly origin?: Origin
  readonly role?: string
  readonly write?: Partial<UserWrite>
  readonly at?: string
}

/** A new person (identity keyed by the userName's email, if any) and their membership. */
export async function addUser(
  tenant: TenantStore,
  userName: string,
  options: AddUserOptions = {},
): Promise<UserRecord> {
  const when = options.at ?? at(1)
  let id = options.person
  if (id === undefined) {
    id = newUserId()
    await tenant.users.insertIdentity(id, emailIdentityOf(userName) ?? null, when)
  }
  return tenant.users.insert(
    id,
    userWrite(userName, options.write),
    { origin: options.origin ?? 'SCIM', role: options.role ?? 'Viewer' },
    when,
  )
}

export async function addGroup(
  tenant: TenantStore,
  displayName: string,
  options: { origin?: Origin; at?: string } = {},
): Promise<GroupRecord> {
  return tenant.groups.insert(
    newGroupId(),
    groupWrite(displayName),
    options.origin ?? 'SCIM',
    options.at ?? at(1),
  )
}

export function query(overrides: Partial<ListQuery> = {}): ListQuery {
  return { sortOrder: 'ascending', startIndex: 1, count: 100, ...overrides }
}

export function ids(page: Page<{ readonly id: string }>): string[] {
  return page.items.map((item) => item.id)
}

export const users = (...list: UserRecord[]): MemberReference[] =>
  list.map((u) => ({ id: u.id, type: 'User' }))

/** The members of one group as sorted [id, type, origin, display] tuples (order is not promised). */
export async function membersOf(tenant: TenantStore, groupId: GroupId): Promise<string[][]> {
  const members = (await tenant.members.list([groupId])).get(groupId) ?? []
  return members.map(memberTuple).sort(byFirst)
}

export function memberTuple(m: MemberRecord): string[] {
  return [m.memberId, m.memberType, m.origin, m.display ?? '(null)']
}

export function byFirst(x: string[], y: string[]): number {
  return (x[0] ?? '').localeCompare(y[0] ?? '')
}

export async function groupIdsOf(tenant: TenantStore, userId: UserId): Promise<string[]> {
  const refs = (await tenant.users.groupsOf([userId])).get(userId) ?? []
  return refs.map((r) => r.groupId).sort()
}

export async function rejectsUnique(promise: Promise<unknown>, constraint: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UniqueViolation, `expected UniqueViolation, got ${String(error)}`)
    assert.equal(error.constraint, constraint)
    return true
  })
}

export function domainRecord(
  tenantId: TenantId,
  domain: string,
  overrides: Partial<TenantDomainRecord> = {},
): TenantDomainRecord {
  return {
    tenantId,
    domain,
    challenge: 'challenge-1',
    status: 'pending',
    verifiedAt: null,
    verifiedMethod: null,
    verifiedBy: null,
    createdAt: at(1),
    ...overrides,
  }
}

export async function rejectsUniqueAny(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof UniqueViolation)
}

export function logEntry(
  tenantId: TenantId,
  n: number,
  overrides: Partial<ProvisioningLogEntry> = {},
): ProvisioningLogEntry {
  return {
    tenantId,
    at: at(n),
    requestId: `req-${n}`,
    method: 'POST',
    path: '/Users',
    operation: 'Create User',
    resourceType: 'User',
    resourceId: `user-${n}`,
    status: 201,
    scimType: null,
    detail: null,
    durationMs: 3.25,
    client: 'Okta SCIM',
    address: '203.0.113.7',
    requestBody: `{"userName":"u${n}@example.com"}`,
    responseBody: null,
    ...overrides,
  }
}

/** Appends entries of any tenants in order, each through its tenant's store (as the log writer does). */
export async function appendLog(
  store: Store,
  entries: readonly ProvisioningLogEntry[],
): Promise<void> {
  await store.transaction(async (tx) => {
    for (const entry of entries) await tx.forTenant(entry.tenantId).provisioningLog.append([entry])
  })
}

export function signingKey(id: string, createdAt: string): SigningKeyRecord {
  return {
    id,
    algorithm: 'EdDSA',
    publicJwk: `{"kty":"OKP","crv":"Ed25519","x":"${id}"}`,
    privateKeyEncrypted: `sealed:${id}`,
    createdAt,
  }
}

export interface Fixture {
  readonly opened: OpenedStore
  readonly store: Store
  /** Two tenants, slugs "acme" and "globex", and their tenant stores. */
  readonly a: Tenant
  readonly b: Tenant
  readonly ta: TenantStore
  readonly tb: TenantStore
}

/** Opens a fresh, migrated store with two tenants for a test, closed when the test ends. */
export type Fresh = (t: TestContext) => Promise<Fixture>

export function freshStores(open: () => Promise<OpenedStore>): Fresh {
  return async function fresh(t: TestContext): Promise<Fixture> {
    const opened = await open()
    t.after(() => opened.close())
    const store = opened.store
    await store.migrate()
    const a = await store.tenants.create({
      id: newTenantId(),
      slug: 'acme',
      name: 'Acme',
      createdAt: at(0),
    })
    const b = await store.tenants.create({
      id: newTenantId(),
      slug: 'globex',
      name: 'Globex',
      createdAt: at(0),
    })
    return { opened, store, a, b, ta: store.forTenant(a.id), tb: store.forTenant(b.id) }
  }
}
