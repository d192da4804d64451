// The Store contract (src/store/store.ts, the TSDoc of every method) as one suite, run against
// every engine: sqlite.test.ts and postgres.test.ts. Each test opens a fresh, migrated store with
// two tenants, so tests share nothing.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { emailIdentityOf } from '../../src/domain/directory-rules.ts'
import {
  asConnectionId,
  asGroupId,
  asTenantId,
  asUserId,
  type GroupId,
  newConnectionId,
  newGroupId,
  newId,
  newTenantId,
  newUserId,
  type TenantId,
  type UserId,
} from '../../src/domain/ids.ts'
import type { Origin, Tenant } from '../../src/domain/types.ts'
import { parseFilter } from '../../src/scim/filter/parser.ts'
import {
  ENTERPRISE_USER_SCHEMA_URN,
  SCIM_GROUP_SCHEMA_URN,
  SCIM_USER_SCHEMA_URN,
} from '../../src/scim/schemas/index.ts'
import {
  UniqueViolation,
  type AuthorizationStateRecord,
  type LoginConnectionRecord,
  type OneTimeTokenRecord,
  type SessionRecord,
  type SignInLogEntry,
  type GroupRecord,
  type GroupWrite,
  type ListQuery,
  type MemberRecord,
  type MemberReference,
  type MemberType,
  type Page,
  type ProvisioningLogEntry,
  type SigningKeyRecord,
  type Store,
  type TenantDomainRecord,
  type TenantStore,
  type UserRecord,
  type UserWrite,
} from '../../src/store/store.ts'

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

const BASE_TIME = Date.UTC(2025, 0, 1)

/** A fixed ISO-8601 timestamp `n` seconds after 2025-01-01T00:00:00Z. */
function at(n: number): string {
  return new Date(BASE_TIME + n * 1000).toISOString()
}

function userWrite(userName: string, overrides: Partial<UserWrite> = {}): UserWrite {
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

function groupWrite(displayName: string, overrides: Partial<GroupWrite> = {}): GroupWrite {
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
async function addUser(
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

async function addGroup(
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

function query(overrides: Partial<ListQuery> = {}): ListQuery {
  return { sortOrder: 'ascending', startIndex: 1, count: 100, ...overrides }
}

function ids(page: Page<{ readonly id: string }>): string[] {
  return page.items.map((item) => item.id)
}

const users = (...list: UserRecord[]): MemberReference[] =>
  list.map((u) => ({ id: u.id, type: 'User' }))

/** The members of one group as sorted [id, type, origin, display] tuples (order is not promised). */
async function membersOf(tenant: TenantStore, groupId: GroupId): Promise<string[][]> {
  const members = (await tenant.members.list([groupId])).get(groupId) ?? []
  return members.map(memberTuple).sort(byFirst)
}

function memberTuple(m: MemberRecord): string[] {
  return [m.memberId, m.memberType, m.origin, m.display ?? '(null)']
}

function byFirst(x: string[], y: string[]): number {
  return (x[0] ?? '').localeCompare(y[0] ?? '')
}

async function groupIdsOf(tenant: TenantStore, userId: UserId): Promise<string[]> {
  const refs = (await tenant.users.groupsOf([userId])).get(userId) ?? []
  return refs.map((r) => r.groupId).sort()
}

async function rejectsUnique(promise: Promise<unknown>, constraint: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UniqueViolation, `expected UniqueViolation, got ${String(error)}`)
    assert.equal(error.constraint, constraint)
    return true
  })
}

function domainRecord(
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

async function rejectsUniqueAny(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof UniqueViolation)
}

function logEntry(
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
    requestBody: `{"userName":"u${n}@example.com"}`,
    responseBody: null,
    ...overrides,
  }
}

/** Appends entries of any tenants in order, each through its tenant's store (as the log writer does). */
async function appendLog(store: Store, entries: readonly ProvisioningLogEntry[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const entry of entries) await tx.forTenant(entry.tenantId).provisioningLog.append([entry])
  })
}

function signingKey(id: string, createdAt: string): SigningKeyRecord {
  return {
    id,
    algorithm: 'EdDSA',
    publicJwk: `{"kty":"OKP","crv":"Ed25519","x":"${id}"}`,
    privateKeyEncrypted: `sealed:${id}`,
    createdAt,
  }
}

// ---------------------------------------------------------------------------------------------
// The suite

interface Fixture {
  readonly opened: OpenedStore
  readonly store: Store
  /** Two tenants, slugs "acme" and "globex", and their tenant stores. */
  readonly a: Tenant
  readonly b: Tenant
  readonly ta: TenantStore
  readonly tb: TenantStore
}

export function defineStoreContract(
  name: string,
  open: () => Promise<OpenedStore>,
  skip: string | false,
): void {
  /** A fresh, migrated store with two tenants, closed when the test ends. */
  async function fresh(t: TestContext): Promise<Fixture> {
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

  describe(`Store contract (${name})`, { skip }, () => {
    describe('migrate', () => {
      it('runs again on a migrated database without error and leaves the schema as it was', async (t) => {
        const { opened, store } = await fresh(t)
        const before = await opened.describeSchema?.()
        await store.migrate()
        await store.migrate()
        const after = await opened.describeSchema?.()
        if (opened.describeSchema) assert.match(JSON.stringify(before), /tenant_users/)
        assert.deepEqual(after, before)
      })

      it('keeps every row when it runs again', async (t) => {
        const { store, a, ta } = await fresh(t)
        const user = await addUser(ta, 'keep@example.com')
        const group = await addGroup(ta, 'Keepers')
        await ta.members.upsert(group.id, users(user), 'SCIM', at(2))
        await store.migrate()
        assert.deepEqual(await store.tenants.getById(a.id), a)
        assert.deepEqual(await ta.users.get(user.id), user)
        assert.deepEqual(await ta.groups.get(group.id), group)
        assert.deepEqual(await groupIdsOf(ta, user.id), [group.id])
      })
    })

    describe('tenants', () => {
      it('creates a tenant with SCIM disabled and the lenient profile', async (t) => {
        const { store } = await fresh(t)
        const id = newTenantId()
        const tenant = await store.tenants.create({
          id,
          slug: 'initech',
          name: 'Initech',
          createdAt: at(7),
        })
        assert.deepEqual(tenant, {
          id,
          slug: 'initech',
          name: 'Initech',
          createdAt: at(7),
          scimStrictProfile: false,
          scimTokenId: null,
        })
      })

      it('refuses a second tenant with the same slug with UniqueViolation tenants_slug', async (t) => {
        const { store, a } = await fresh(t)
        await rejectsUnique(
          store.tenants.create({
            id: newTenantId(),
            slug: 'acme',
            name: 'Other Acme',
            createdAt: at(1),
          }),
          'tenants_slug',
        )
        assert.deepEqual(await store.tenants.getBySlug('acme'), a)
      })

      it('finds a tenant by slug and by id, and answers undefined for unknown ones', async (t) => {
        const { store, a, b } = await fresh(t)
        assert.deepEqual(await store.tenants.getBySlug('acme'), a)
        assert.deepEqual(await store.tenants.getBySlug('globex'), b)
        assert.deepEqual(await store.tenants.getById(b.id), b)
        assert.equal(await store.tenants.getBySlug('nope'), undefined)
        assert.equal(await store.tenants.getById(newTenantId()), undefined)
      })

      it('lists every tenant sorted by slug', async (t) => {
        const { store } = await fresh(t)
        await store.tenants.create({
          id: newTenantId(),
          slug: 'zeta',
          name: 'Zeta',
          createdAt: at(1),
        })
        await store.tenants.create({
          id: newTenantId(),
          slug: 'beta',
          name: 'Beta',
          createdAt: at(2),
        })
        const tenants = await store.tenants.list()
        assert.deepEqual(
          tenants.map((tenant) => tenant.slug),
          ['acme', 'beta', 'globex', 'zeta'],
        )
      })

      it('sets and clears the SCIM token id of one tenant only', async (t) => {
        const { store, a, b } = await fresh(t)
        await store.forTenant(a.id).scim.setToken('token-1', at(5))
        assert.equal((await store.tenants.getById(a.id))?.scimTokenId, 'token-1')
        assert.equal((await store.tenants.getBySlug('globex'))?.scimTokenId, null)
        await store.forTenant(a.id).scim.setToken('token-2', at(6))
        assert.equal((await store.tenants.getById(a.id))?.scimTokenId, 'token-2')
        await store.forTenant(a.id).scim.setToken(null, at(7))
        assert.deepEqual(await store.tenants.getById(a.id), a)
        assert.deepEqual(await store.tenants.getById(b.id), b)
      })

      it('turns the strict SCIM profile on and off for one tenant only', async (t) => {
        const { store, a, b } = await fresh(t)
        await store.forTenant(a.id).scim.setStrictProfile(true)
        assert.equal((await store.tenants.getById(a.id))?.scimStrictProfile, true)
        assert.equal((await store.tenants.getById(b.id))?.scimStrictProfile, false)
        await store.forTenant(a.id).scim.setStrictProfile(false)
        assert.deepEqual(await store.tenants.getById(a.id), a)
      })
    })

    describe('signing key', () => {
      it('has no signing key before one is inserted', async (t) => {
        const { store } = await fresh(t)
        assert.equal(await store.signingKeys.get(), undefined)
      })

      it('stores the first key and returns it', async (t) => {
        const { store } = await fresh(t)
        const key = signingKey('key-1', at(1))
        assert.deepEqual(await store.signingKeys.insert(key), key)
        assert.deepEqual(await store.signingKeys.get(), key)
      })

      it('keeps the first key when a second one is inserted, and returns the first', async (t) => {
        const { store } = await fresh(t)
        const first = signingKey('key-1', at(1))
        await store.signingKeys.insert(first)
        assert.deepEqual(await store.signingKeys.insert(signingKey('key-2', at(2))), first)
        assert.deepEqual(await store.signingKeys.get(), first)
      })

      it('keeps the first key even when the second one claims an earlier creation time', async (t) => {
        // Two processes starting together: the one that generated its key first may store it last.
        const { store } = await fresh(t)
        const first = signingKey('key-1', at(2))
        await store.signingKeys.insert(first)
        assert.deepEqual(await store.signingKeys.insert(signingKey('key-2', at(1))), first)
        assert.deepEqual(await store.signingKeys.get(), first)
      })
    })

    describe('users', () => {
      it('reads back an inserted user with version 1 and the given columns, doc and membership', async (t) => {
        const { a, ta } = await fresh(t)
        const id = newUserId()
        await ta.users.insertIdentity(id, 'alice@example.com', at(1))
        const write = userWrite('Alice@Example.com', {
          externalId: 'ext-alice',
          displayName: 'Alice Smith',
          active: false,
          doc: {
            schemas: [SCIM_USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN],
            userName: 'Alice@Example.com',
            name: { givenName: 'Alice', familyName: 'Smith' },
            [ENTERPRISE_USER_SCHEMA_URN]: { department: 'R&D', manager: { value: 'm-1' } },
          },
        })
        const inserted = await ta.users.insert(
          id,
          write,
          { origin: 'INTERNAL', role: 'Admin' },
          at(2),
        )
        assert.deepEqual(inserted, {
          tenantId: a.id,
          id,
          userName: 'Alice@Example.com',
          externalId: 'ext-alice',
          displayName: 'Alice Smith',
          active: false,
          origin: 'INTERNAL',
          role: 'Admin',
          doc: write.doc,
          version: 1,
          createdAt: at(2),
          updatedAt: at(2),
        })
        assert.deepEqual(await ta.users.get(id), inserted)
      })

      it('answers undefined for an unknown user id', async (t) => {
        const { ta } = await fresh(t)
        assert.equal(await ta.users.get(newUserId()), undefined)
      })

      it('refuses a second userName that differs only in case with UniqueViolation tenant_users_user_name', async (t) => {
        const { ta } = await fresh(t)
        const bob = await addUser(ta, 'bob@example.com')
        const other = newUserId()
        await ta.users.insertIdentity(other, null, at(2))
        await rejectsUnique(
          ta.users.insert(
            other,
            userWrite('BOB@Example.COM', { emails: [] }),
            { origin: 'SCIM', role: 'Viewer' },
            at(2),
          ),
          'tenant_users_user_name',
        )
        assert.equal(await ta.users.get(other), undefined)
        assert.equal(await ta.users.findIdByUserName('bob@example.com'), bob.id)
      })

      it('refuses a second identity with the same normalised email with UniqueViolation users_email', async (t) => {
        const { ta } = await fresh(t)
        const first = newUserId()
        await ta.users.insertIdentity(first, 'carol@example.com', at(1))
        await rejectsUnique(
          ta.users.insertIdentity(newUserId(), 'carol@example.com', at(2)),
          'users_email',
        )
        assert.equal((await ta.users.identityByEmail('carol@example.com'))?.userId, first)
      })

      it('allows any number of identities without an email', async (t) => {
        const { ta } = await fresh(t)
        await ta.users.insertIdentity(newUserId(), null, at(1))
        await ta.users.insertIdentity(newUserId(), null, at(1))
        const u1 = await addUser(ta, 'no-email-1')
        const u2 = await addUser(ta, 'no-email-2')
        assert.equal((await ta.users.get(u1.id))?.userName, 'no-email-1')
        assert.equal((await ta.users.get(u2.id))?.userName, 'no-email-2')
      })

      it('finds a user id by userName case-insensitively, and nothing for an unknown userName', async (t) => {
        const { ta } = await fresh(t)
        const dana = await addUser(ta, 'Dana.Scully@Example.com')
        assert.equal(await ta.users.findIdByUserName('dana.scully@example.com'), dana.id)
        assert.equal(await ta.users.findIdByUserName('DANA.SCULLY@EXAMPLE.COM'), dana.id)
        assert.equal(await ta.users.findIdByUserName('dana@example.com'), undefined)
      })

      describe('identityByEmail', () => {
        it('answers undefined for an email no person has', async (t) => {
          const { ta } = await fresh(t)
          await addUser(ta, 'someone@example.com')
          assert.equal(await ta.users.identityByEmail('nobody@example.com'), undefined)
        })

        it('reports a person without memberships as in no tenant', async (t) => {
          const { ta } = await fresh(t)
          const id = newUserId()
          await ta.users.insertIdentity(id, 'loner@example.com', at(1))
          assert.deepEqual(await ta.users.identityByEmail('loner@example.com'), {
            userId: id,
            inThisTenant: undefined,
            otherTenantCount: 0,
            scimControlledElsewhere: false,
          })
        })

        it('reports the membership here with its origin and counts the other tenants', async (t) => {
          const { store, ta, tb } = await fresh(t)
          const c = await store.tenants.create({
            id: newTenantId(),
            slug: 'initech',
            name: 'Initech',
            createdAt: at(0),
          })
          const tc = store.forTenant(c.id)
          const erin = await addUser(ta, 'erin@example.com', { origin: 'INTERNAL' })
          await addUser(tb, 'erin@example.com', { person: erin.id, origin: 'INTERNAL' })
          assert.deepEqual(await ta.users.identityByEmail('erin@example.com'), {
            userId: erin.id,
            inThisTenant: { origin: 'INTERNAL' },
            otherTenantCount: 1,
            scimControlledElsewhere: false,
          })
          assert.deepEqual(await tc.users.identityByEmail('erin@example.com'), {
            userId: erin.id,
            inThisTenant: undefined,
            otherTenantCount: 2,
            scimControlledElsewhere: false,
          })
        })

        it('tells whether the person is SCIM-controlled in another tenant, not counting this one', async (t) => {
          const { store, ta, tb } = await fresh(t)
          const c = await store.tenants.create({
            id: newTenantId(),
            slug: 'initech',
            name: 'Initech',
            createdAt: at(0),
          })
          const tc = store.forTenant(c.id)
          const finn = await addUser(ta, 'finn@example.com', { origin: 'SCIM' })
          await addUser(tb, 'finn@example.com', { person: finn.id, origin: 'INTERNAL' })
          assert.deepEqual(await ta.users.identityByEmail('finn@example.com'), {
            userId: finn.id,
            inThisTenant: { origin: 'SCIM' },
            otherTenantCount: 1,
            scimControlledElsewhere: false,
          })
          assert.deepEqual(await tb.users.identityByEmail('finn@example.com'), {
            userId: finn.id,
            inThisTenant: { origin: 'INTERNAL' },
            otherTenantCount: 1,
            scimControlledElsewhere: true,
          })
          assert.deepEqual(await tc.users.identityByEmail('finn@example.com'), {
            userId: finn.id,
            inThisTenant: undefined,
            otherTenantCount: 2,
            scimControlledElsewhere: true,
          })
        })
      })

      describe('updateUser', () => {
        it('applies a write whose version matches: new columns, doc and emails, version bumped, createdAt kept', async (t) => {
          const { ta } = await fresh(t)
          const dave = await addUser(ta, 'dave@example.com', {
            write: { displayName: 'Dave', externalId: 'ext-1' },
            at: at(1),
          })
          const write = userWrite('david@example.com', {
            displayName: 'David',
            externalId: 'ext-2',
            active: false,
            doc: { schemas: [SCIM_USER_SCHEMA_URN], userName: 'david@example.com', title: 'Boss' },
            emails: [
              { value: 'david@example.com', type: 'work', primary: true },
              { value: 'D@Home.example', type: 'home', primary: false },
            ],
          })
          const updated = await ta.users.update(dave.id, 1, write, at(9))
          assert.deepEqual(updated, {
            ...dave,
            userName: 'david@example.com',
            displayName: 'David',
            externalId: 'ext-2',
            active: false,
            doc: write.doc,
            version: 2,
            updatedAt: at(9),
          })
          assert.deepEqual(await ta.users.get(dave.id), updated)
          assert.equal(await ta.users.findIdByUserName('dave@example.com'), undefined)
          assert.equal(await ta.users.findIdByUserName('DAVID@example.com'), dave.id)
          const byEmail = async (email: string) =>
            ids(await ta.users.list(query({ filter: parseFilter(`emails.value eq "${email}"`) })))
          assert.deepEqual(await byEmail('dave@example.com'), [])
          assert.deepEqual(await byEmail('d@home.example'), [dave.id])
          assert.deepEqual(await byEmail('david@example.com'), [dave.id])
          const again = await ta.users.update(
            dave.id,
            2,
            userWrite('david@example.com', { emails: [] }),
            at(10),
          )
          assert.equal(again?.version, 3)
          assert.deepEqual(await byEmail('david@example.com'), [])
        })

        it('returns undefined and changes neither the user nor its emails when the version is stale', async (t) => {
          const { ta } = await fresh(t)
          const gil = await addUser(ta, 'gil@example.com')
          const changed = await ta.users.update(
            gil.id,
            1,
            userWrite('gil@example.com', { displayName: 'Gil' }),
            at(5),
          )
          assert.equal(changed?.version, 2)
          const stale = await ta.users.update(
            gil.id,
            1,
            userWrite('gilbert@example.com', { emails: [] }),
            at(6),
          )
          assert.equal(stale, undefined)
          assert.equal(
            await ta.users.update(gil.id, 7, userWrite('gilbert@example.com'), at(6)),
            undefined,
          )
          assert.deepEqual(await ta.users.get(gil.id), changed)
          const page = await ta.users.list(
            query({ filter: parseFilter('emails.value eq "gil@example.com"') }),
          )
          assert.deepEqual(ids(page), [gil.id])
        })

        it('returns undefined for a user that is not a member', async (t) => {
          const { ta } = await fresh(t)
          assert.equal(
            await ta.users.update(newUserId(), 1, userWrite('ghost@example.com'), at(5)),
            undefined,
          )
        })

        it('converts the origin when asked, and keeps it otherwise', async (t) => {
          const { ta } = await fresh(t)
          const hal = await addUser(ta, 'hal@example.com', { origin: 'INTERNAL', role: 'Editor' })
          const same = await ta.users.update(hal.id, 1, userWrite('hal@example.com'), at(2))
          assert.equal(same?.origin, 'INTERNAL')
          const converted = await ta.users.update(hal.id, 2, userWrite('hal@example.com'), at(3), {
            origin: 'SCIM',
          })
          assert.equal(converted?.origin, 'SCIM')
          assert.equal(converted?.role, 'Editor')
          assert.equal((await ta.users.get(hal.id))?.origin, 'SCIM')
        })

        it('refuses a userName another member has, case-insensitively, with UniqueViolation and changes nothing', async (t) => {
          const { ta } = await fresh(t)
          await addUser(ta, 'ivy@example.com')
          const jon = await addUser(ta, 'jon@example.com')
          await rejectsUnique(
            ta.users.update(jon.id, 1, userWrite('IVY@example.com'), at(3)),
            'tenant_users_user_name',
          )
          assert.deepEqual(await ta.users.get(jon.id), jon)
        })
      })

      it('points a person at another email, clears it, and refuses one another person has', async (t) => {
        const { ta } = await fresh(t)
        const gina = newUserId()
        await ta.users.insertIdentity(gina, 'gina@example.com', at(1))
        await ta.users.insertIdentity(newUserId(), 'hank@example.com', at(1))
        await ta.users.setIdentityEmail(gina, 'gina@new.example')
        assert.equal(await ta.users.identityByEmail('gina@example.com'), undefined)
        assert.equal((await ta.users.identityByEmail('gina@new.example'))?.userId, gina)
        await rejectsUnique(ta.users.setIdentityEmail(gina, 'hank@example.com'), 'users_email')
        assert.equal((await ta.users.identityByEmail('gina@new.example'))?.userId, gina)
        await ta.users.setIdentityEmail(gina, null)
        assert.equal(await ta.users.identityByEmail('gina@new.example'), undefined)
      })

      it('deletes a membership with its emails and group memberships, keeps the person, and returns false the second time', async (t) => {
        const { ta } = await fresh(t)
        const ivan = await addUser(ta, 'ivan@example.com')
        const other = await addUser(ta, 'other@example.com')
        const g1 = await addGroup(ta, 'One')
        const g2 = await addGroup(ta, 'Two')
        await ta.members.upsert(g1.id, users(ivan, other), 'SCIM', at(2))
        await ta.members.upsert(g2.id, users(ivan), 'INTERNAL', at(2))

        assert.equal(await ta.users.delete(ivan.id), true)
        assert.equal(await ta.users.get(ivan.id), undefined)
        assert.equal(await ta.users.findIdByUserName('ivan@example.com'), undefined)
        assert.deepEqual(
          (await membersOf(ta, g1.id)).map((m) => m[0]),
          [other.id],
        )
        assert.deepEqual(await membersOf(ta, g2.id), [])
        assert.deepEqual(await groupIdsOf(ta, ivan.id), [])
        assert.deepEqual(ids(await ta.users.list(query())), [other.id])
        assert.deepEqual(await ta.users.identityByEmail('ivan@example.com'), {
          userId: ivan.id,
          inThisTenant: undefined,
          otherTenantCount: 0,
          scimControlledElsewhere: false,
        })
        assert.equal(await ta.users.delete(ivan.id), false)

        // Back as a member without emails: the old email rows must be gone.
        await addUser(ta, 'ivan-again', { person: ivan.id, write: { emails: [] } })
        const page = await ta.users.list(
          query({ filter: parseFilter('emails.value eq "ivan@example.com"') }),
        )
        assert.deepEqual(ids(page), [])
        assert.deepEqual(await groupIdsOf(ta, ivan.id), [])
      })

      it('returns false when deleting a user that is not a member', async (t) => {
        const { ta } = await fresh(t)
        assert.equal(await ta.users.delete(newUserId()), false)
      })

      it('lists the direct groups of several users in one call', async (t) => {
        const { ta } = await fresh(t)
        const u1 = await addUser(ta, 'u1@example.com')
        const u2 = await addUser(ta, 'u2@example.com')
        const u3 = await addUser(ta, 'u3@example.com')
        const eng = await addGroup(ta, 'Engineering')
        const ops = await addGroup(ta, 'Ops')
        const parent = await addGroup(ta, 'Everyone')
        await ta.members.upsert(eng.id, users(u1, u2), 'SCIM', at(2))
        await ta.members.upsert(ops.id, users(u1), 'INTERNAL', at(2))
        await ta.members.upsert(parent.id, [{ id: eng.id, type: 'Group' }], 'SCIM', at(2))

        const groups = await ta.users.groupsOf([u1.id, u2.id, u3.id])
        const sorted = (id: UserId) =>
          [...(groups.get(id) ?? [])].sort((x, y) => x.groupId.localeCompare(y.groupId))
        assert.deepEqual(sorted(u1.id), [
          { groupId: eng.id, display: 'Engineering' },
          { groupId: ops.id, display: 'Ops' },
        ])
        assert.deepEqual(sorted(u2.id), [{ groupId: eng.id, display: 'Engineering' }])
        assert.deepEqual(sorted(u3.id), [])
        assert.deepEqual(await ta.users.groupsOf([]), new Map())
      })
    })

    describe('groups', () => {
      it('reads back an inserted group with version 1', async (t) => {
        const { a, ta } = await fresh(t)
        const id = newGroupId()
        const write = groupWrite('Engineering', {
          externalId: 'ext-eng',
          doc: { schemas: [SCIM_GROUP_SCHEMA_URN], displayName: 'Engineering', extra: { n: 1 } },
        })
        const group = await ta.groups.insert(id, write, 'INTERNAL', at(3))
        assert.deepEqual(group, {
          tenantId: a.id,
          id,
          displayName: 'Engineering',
          externalId: 'ext-eng',
          origin: 'INTERNAL',
          doc: write.doc,
          version: 1,
          createdAt: at(3),
          updatedAt: at(3),
        })
        assert.deepEqual(await ta.groups.get(id), group)
        assert.equal(await ta.groups.get(newGroupId()), undefined)
      })

      it('refuses a second group whose name differs only in case with UniqueViolation groups_display_name', async (t) => {
        const { ta } = await fresh(t)
        const first = await addGroup(ta, 'Sales Team')
        await rejectsUnique(
          ta.groups.insert(newGroupId(), groupWrite('SALES team'), 'SCIM', at(2)),
          'groups_display_name',
        )
        assert.deepEqual(ids(await ta.groups.list(query())), [first.id])
      })

      it('finds a group by name case-insensitively, and nothing for an unknown name', async (t) => {
        const { ta } = await fresh(t)
        const group = await addGroup(ta, 'Data Science')
        assert.deepEqual(await ta.groups.getByName('data science'), group)
        assert.deepEqual(await ta.groups.getByName('DATA SCIENCE'), group)
        assert.equal(await ta.groups.getByName('Data'), undefined)
      })

      it('updates a group whose version matches, bumping the version and keeping createdAt', async (t) => {
        const { ta } = await fresh(t)
        const group = await addGroup(ta, 'Marketing', { at: at(1) })
        const write = groupWrite('Growth', {
          externalId: 'ext-growth',
          doc: { schemas: [SCIM_GROUP_SCHEMA_URN], displayName: 'Growth' },
        })
        const updated = await ta.groups.update(group.id, 1, write, at(4))
        assert.deepEqual(updated, {
          ...group,
          displayName: 'Growth',
          externalId: 'ext-growth',
          doc: write.doc,
          version: 2,
          updatedAt: at(4),
        })
        assert.deepEqual(await ta.groups.get(group.id), updated)
        assert.equal(await ta.groups.getByName('marketing'), undefined)
        assert.deepEqual(await ta.groups.getByName('growth'), updated)
      })

      it('returns undefined and changes nothing when the group version is stale', async (t) => {
        const { ta } = await fresh(t)
        const group = await addGroup(ta, 'Finance')
        const updated = await ta.groups.update(group.id, 1, groupWrite('Finance EU'), at(2))
        assert.equal(updated?.version, 2)
        assert.equal(
          await ta.groups.update(group.id, 1, groupWrite('Finance US'), at(3)),
          undefined,
        )
        assert.deepEqual(await ta.groups.get(group.id), updated)
        assert.equal(
          await ta.groups.update(newGroupId(), 1, groupWrite('Nobody'), at(3)),
          undefined,
        )
      })

      it('converts the origin of a group when asked, and keeps it otherwise', async (t) => {
        const { ta } = await fresh(t)
        const group = await addGroup(ta, 'Legal', { origin: 'INTERNAL' })
        const same = await ta.groups.update(group.id, 1, groupWrite('Legal'), at(2))
        assert.equal(same?.origin, 'INTERNAL')
        const converted = await ta.groups.update(group.id, 2, groupWrite('Legal'), at(3), {
          origin: 'SCIM',
        })
        assert.equal(converted?.origin, 'SCIM')
        assert.equal((await ta.groups.get(group.id))?.origin, 'SCIM')
      })

      it('refuses a rename to a name another group has, case-insensitively, and changes nothing', async (t) => {
        const { ta } = await fresh(t)
        await addGroup(ta, 'Support')
        const other = await addGroup(ta, 'Helpdesk')
        await rejectsUnique(
          ta.groups.update(other.id, 1, groupWrite('SUPPORT'), at(2)),
          'groups_display_name',
        )
        assert.deepEqual(await ta.groups.get(other.id), other)
      })

      it('touches a group: version bumped and updatedAt set, everything else kept', async (t) => {
        const { ta } = await fresh(t)
        const group = await addGroup(ta, 'Platform', { at: at(1) })
        await ta.groups.touch(group.id, at(8))
        assert.deepEqual(await ta.groups.get(group.id), { ...group, version: 2, updatedAt: at(8) })
        await ta.groups.touch(group.id, at(9))
        assert.deepEqual(await ta.groups.get(group.id), { ...group, version: 3, updatedAt: at(9) })
        // The bumped version is the one compare-and-set expects.
        assert.equal(await ta.groups.update(group.id, 1, groupWrite('Platform'), at(10)), undefined)
        assert.equal(
          (await ta.groups.update(group.id, 3, groupWrite('Platform'), at(10)))?.version,
          4,
        )
      })

      it('deletes a group with its members, removes it from the groups it belonged to, and returns false the second time', async (t) => {
        const { ta } = await fresh(t)
        const user = await addUser(ta, 'kate@example.com')
        const parent = await addGroup(ta, 'Parent')
        const child = await addGroup(ta, 'Child')
        await ta.members.upsert(
          parent.id,
          [...users(user), { id: child.id, type: 'Group' }],
          'SCIM',
          at(2),
        )
        await ta.members.upsert(child.id, users(user), 'SCIM', at(2))

        assert.equal(await ta.groups.delete(child.id), true)
        assert.equal(await ta.groups.get(child.id), undefined)
        assert.deepEqual(
          (await membersOf(ta, parent.id)).map((m) => m[0]),
          [user.id],
        )
        assert.deepEqual(await groupIdsOf(ta, user.id), [parent.id])
        assert.deepEqual(await ta.members.findTargets([child.id]), new Map())
        assert.equal(await ta.groups.delete(child.id), false)

        // A group created again under the same id starts without members.
        await ta.groups.insert(child.id, groupWrite('Child'), 'SCIM', at(3))
        assert.deepEqual(await membersOf(ta, child.id), [])
      })
    })

    describe('members', () => {
      it('adds members with the given origin and lists them with their display names', async (t) => {
        const { ta } = await fresh(t)
        const uma = await addUser(ta, 'uma@example.com', { write: { displayName: 'Uma Thurman' } })
        const vic = await addUser(ta, 'vic@example.com')
        const sub = await addGroup(ta, 'Sub Team')
        const group = await addGroup(ta, 'Team')
        await ta.members.upsert(
          group.id,
          [...users(uma, vic), { id: sub.id, type: 'Group' }],
          'SCIM',
          at(2),
        )
        assert.deepEqual(
          await membersOf(ta, group.id),
          [
            [uma.id, 'User', 'SCIM', 'Uma Thurman'],
            [vic.id, 'User', 'SCIM', 'vic@example.com'],
            [sub.id, 'Group', 'SCIM', 'Sub Team'],
          ].sort(byFirst),
        )
      })

      it('lists the members of several groups at once, with an empty list for a group without members', async (t) => {
        const { ta } = await fresh(t)
        const user = await addUser(ta, 'wes@example.com')
        const full = await addGroup(ta, 'Full')
        const empty = await addGroup(ta, 'Empty')
        await ta.members.upsert(full.id, users(user), 'INTERNAL', at(2))
        const members = await ta.members.list([full.id, empty.id])
        assert.deepEqual(members.get(full.id)?.map(memberTuple), [
          [user.id, 'User', 'INTERNAL', 'wes@example.com'],
        ])
        assert.deepEqual(members.get(empty.id), [])
      })

      it('converts an existing membership of the other origin to the given origin', async (t) => {
        const { ta } = await fresh(t)
        const xan = await addUser(ta, 'xan@example.com')
        const yul = await addUser(ta, 'yul@example.com')
        const group = await addGroup(ta, 'Mixed')
        await ta.members.upsert(group.id, users(xan), 'INTERNAL', at(2))
        await ta.members.upsert(group.id, users(yul), 'SCIM', at(2))
        await ta.members.upsert(group.id, users(xan), 'SCIM', at(3))
        await ta.members.upsert(group.id, users(yul), 'INTERNAL', at(3))
        assert.deepEqual(
          (await membersOf(ta, group.id)).map((m) => [m[0], m[2]]),
          [
            [xan.id, 'SCIM'],
            [yul.id, 'INTERNAL'],
          ].sort(byFirst),
        )
      })

      it('leaves an existing membership of the other origin alone with keepExisting, and still adds new ones', async (t) => {
        const { ta } = await fresh(t)
        const zed = await addUser(ta, 'zed@example.com')
        const amy = await addUser(ta, 'amy@example.com')
        const group = await addGroup(ta, 'Kept')
        await ta.members.upsert(group.id, users(zed), 'SCIM', at(2))
        await ta.members.upsert(group.id, users(zed, amy), 'INTERNAL', at(3), {
          keepExisting: true,
        })
        assert.deepEqual(
          (await membersOf(ta, group.id)).map((m) => [m[0], m[2]]),
          [
            [zed.id, 'SCIM'],
            [amy.id, 'INTERNAL'],
          ].sort(byFirst),
        )
      })

      it('stores a member listed twice in one call once', async (t) => {
        const { ta } = await fresh(t)
        const ben = await addUser(ta, 'ben@example.com')
        const group = await addGroup(ta, 'Twice')
        await ta.members.upsert(group.id, users(ben, ben), 'SCIM', at(2))
        await ta.members.upsert(group.id, users(ben, ben), 'INTERNAL', at(3), {
          keepExisting: true,
        })
        assert.deepEqual(await membersOf(ta, group.id), [
          [ben.id, 'User', 'SCIM', 'ben@example.com'],
        ])
      })

      it('removes only the given members of the given origin', async (t) => {
        const { ta } = await fresh(t)
        const cal = await addUser(ta, 'cal@example.com')
        const deb = await addUser(ta, 'deb@example.com')
        const eve = await addUser(ta, 'eve@example.com')
        const group = await addGroup(ta, 'Removal')
        await ta.members.upsert(group.id, users(cal, eve), 'SCIM', at(2))
        await ta.members.upsert(group.id, users(deb), 'INTERNAL', at(2))
        await ta.members.remove(group.id, [cal.id, deb.id, newUserId()], 'SCIM')
        assert.deepEqual(
          (await membersOf(ta, group.id)).map((m) => [m[0], m[2]]),
          [
            [deb.id, 'INTERNAL'],
            [eve.id, 'SCIM'],
          ].sort(byFirst),
        )
        await ta.members.remove(group.id, [deb.id], 'INTERNAL')
        await ta.members.remove(group.id, [], 'SCIM')
        assert.deepEqual(
          (await membersOf(ta, group.id)).map((m) => m[0]),
          [eve.id],
        )
      })

      it('removes every member of the origin except the kept ones, leaving the other origin alone', async (t) => {
        const { ta } = await fresh(t)
        const [m1, m2, m3, m4] = [
          await addUser(ta, 'm1@example.com'),
          await addUser(ta, 'm2@example.com'),
          await addUser(ta, 'm3@example.com'),
          await addUser(ta, 'm4@example.com'),
        ]
        const group = await addGroup(ta, 'Replace')
        const other = await addGroup(ta, 'Untouched')
        await ta.members.upsert(group.id, users(m1, m2, m3), 'SCIM', at(2))
        await ta.members.upsert(group.id, users(m4), 'INTERNAL', at(2))
        await ta.members.upsert(other.id, users(m1, m2, m3), 'SCIM', at(2))
        await ta.members.removeExcept(group.id, [m2.id, newUserId()], 'SCIM')
        assert.deepEqual(
          (await membersOf(ta, group.id)).map((m) => [m[0], m[2]]),
          [
            [m2.id, 'SCIM'],
            [m4.id, 'INTERNAL'],
          ].sort(byFirst),
        )
        assert.equal((await membersOf(ta, other.id)).length, 3)
        await ta.members.removeExcept(group.id, [], 'SCIM')
        assert.deepEqual(
          (await membersOf(ta, group.id)).map((m) => m[0]),
          [m4.id],
        )
      })

      it('removes every member of the origin except the kept ones when more than 500 ids are kept', async (t) => {
        const { store, ta } = await fresh(t)
        const group = await addGroup(ta, 'Large')
        const other = await addGroup(ta, 'Large too')
        const scim = Array.from({ length: 620 }, () => newUserId())
        const internal = Array.from({ length: 3 }, () => newUserId())
        const refs = (list: UserId[]): MemberReference[] => list.map((id) => ({ id, type: 'User' }))
        await store.transaction(async (trx) => {
          const tx = trx.forTenant(ta.tenantId)
          await tx.members.upsert(group.id, refs(scim), 'SCIM', at(2))
          await tx.members.upsert(group.id, refs(internal), 'INTERNAL', at(2))
          await tx.members.upsert(other.id, refs(scim), 'SCIM', at(2))
        })
        const kept = scim.slice(0, 550)
        const keep = [...kept, ...internal, ...Array.from({ length: 10 }, () => newUserId())]
        await ta.members.removeExcept(group.id, keep, 'SCIM')
        const members = (await ta.members.list([group.id])).get(group.id) ?? []
        assert.deepEqual(
          members
            .filter((m) => m.origin === 'SCIM')
            .map((m) => m.memberId)
            .sort(),
          [...kept].sort(),
        )
        assert.deepEqual(
          members
            .filter((m) => m.origin === 'INTERNAL')
            .map((m) => m.memberId)
            .sort(),
          [...internal].sort(),
        )
        assert.equal(members.length, 553)
        assert.equal(((await ta.members.list([other.id])).get(other.id) ?? []).length, 620)
      })

      it('tells users from groups among the given ids, ignoring unknown ids and other tenants', async (t) => {
        const { ta, tb } = await fresh(t)
        const user = await addUser(ta, 'fay@example.com')
        const group = await addGroup(ta, 'Targets')
        const theirUser = await addUser(tb, 'gus@example.com')
        const theirGroup = await addGroup(tb, 'Their targets')
        const targets = await ta.members.findTargets([
          user.id,
          group.id,
          theirUser.id,
          theirGroup.id,
          newId(),
          user.id,
        ])
        assert.deepEqual(
          targets,
          new Map<string, MemberType>([
            [user.id, 'User'],
            [group.id, 'Group'],
          ]),
        )
        assert.deepEqual(await ta.members.findTargets([]), new Map())
      })
    })

    describe('listing users and groups', () => {
      /** Users created in this order (so their ids, the default order, follow it). */
      async function seedUsers(
        tenant: TenantStore,
        names: readonly string[],
      ): Promise<UserRecord[]> {
        const out: UserRecord[] = []
        for (const [i, userName] of names.entries()) {
          out.push(await addUser(tenant, userName, { at: at(10 + i) }))
        }
        return out
      }

      it('filters users with a parsed SCIM filter, comparing userName case-insensitively', async (t) => {
        const { ta } = await fresh(t)
        const [alice, bob, carol] = await seedUsers(ta, [
          'alice@example.com',
          'bob@example.org',
          'carol@example.com',
        ])
        assert.ok(alice && bob && carol)
        await ta.users.update(
          bob.id,
          1,
          userWrite('bob@example.org', { active: false, displayName: 'Bob Smith' }),
          at(30),
        )
        const run = async (text: string) =>
          ids(await ta.users.list(query({ filter: parseFilter(text) })))
        assert.deepEqual(await run('userName eq "ALICE@Example.com"'), [alice.id])
        assert.deepEqual(await run('userName ew "example.com"'), [alice.id, carol.id])
        assert.deepEqual(await run('active eq false'), [bob.id])
        assert.deepEqual(await run('displayName co "smith"'), [bob.id])
        assert.deepEqual(await run('emails.value eq "carol@example.com"'), [carol.id])
        assert.deepEqual(await run('not (userName sw "a") and active eq true'), [carol.id])
        assert.deepEqual(await run('userName eq "nobody@example.com"'), [])
        const page = await ta.users.list(
          query({ filter: parseFilter('userName ew "example.com"') }),
        )
        assert.equal(page.totalResults, 2)
      })

      it('filters users by the groups they belong to, and groups by their members', async (t) => {
        const { ta } = await fresh(t)
        const [hana, ian] = await seedUsers(ta, ['hana@example.com', 'ian@example.com'])
        assert.ok(hana && ian)
        const eng = await addGroup(ta, 'Engineering')
        const english = await addGroup(ta, 'English club')
        const sales = await addGroup(ta, 'Sales')
        await ta.members.upsert(eng.id, users(hana), 'SCIM', at(2))
        await ta.members.upsert(sales.id, users(hana, ian), 'SCIM', at(2))
        const usersIn = async (groupId: string) =>
          ids(await ta.users.list(query({ filter: parseFilter(`groups.value eq "${groupId}"`) })))
        assert.deepEqual(await usersIn(eng.id), [hana.id])
        assert.deepEqual(await usersIn(sales.id), [hana.id, ian.id])
        const groupsWith = async (text: string) =>
          ids(await ta.groups.list(query({ filter: parseFilter(text) })))
        assert.deepEqual(await groupsWith(`members.value eq "${ian.id}"`), [sales.id])
        assert.deepEqual(await groupsWith('displayName sw "ENG"'), [eng.id, english.id])
        assert.deepEqual(await groupsWith('displayName eq "sales"'), [sales.id])
      })

      it('lists users and groups in creation order when no sortBy is given', async (t) => {
        const { ta } = await fresh(t)
        const created = await seedUsers(ta, [
          'zoe@example.com',
          'adam@example.com',
          'mia@example.com',
        ])
        assert.deepEqual(
          ids(await ta.users.list(query())),
          created.map((u) => u.id),
        )
        const groups = [
          await addGroup(ta, 'Zulu'),
          await addGroup(ta, 'Alpha'),
          await addGroup(ta, 'Mike'),
        ]
        assert.deepEqual(
          ids(await ta.groups.list(query())),
          groups.map((g) => g.id),
        )
      })

      it('sorts users by userName case-insensitively, ascending and descending', async (t) => {
        const { ta } = await fresh(t)
        const [carol, alice, bob] = await seedUsers(ta, [
          'carol@example.com',
          'Alice@example.com',
          'bob@example.com',
        ])
        assert.ok(carol && alice && bob)
        const sortBy = { attr: 'userName' }
        const ascending = await ta.users.list(query({ sortBy, sortOrder: 'ascending' }))
        assert.deepEqual(ids(ascending), [alice.id, bob.id, carol.id])
        const descending = await ta.users.list(query({ sortBy, sortOrder: 'descending' }))
        assert.deepEqual(ids(descending), [carol.id, bob.id, alice.id])
        assert.equal(descending.totalResults, 3)
      })

      it('sorts groups by displayName descending', async (t) => {
        const { ta } = await fresh(t)
        const b = await addGroup(ta, 'beta')
        const a = await addGroup(ta, 'Alpha')
        const c = await addGroup(ta, 'Gamma')
        const page = await ta.groups.list(
          query({ sortBy: { attr: 'displayName' }, sortOrder: 'descending' }),
        )
        assert.deepEqual(ids(page), [c.id, b.id, a.id])
      })

      it('returns the page at startIndex (1-based) of count rows with the total of all matches', async (t) => {
        const { ta } = await fresh(t)
        const created = await seedUsers(ta, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'])
        const page = await ta.users.list(query({ startIndex: 3, count: 2 }))
        assert.deepEqual(
          ids(page),
          created.slice(2, 4).map((u) => u.id),
        )
        assert.equal(page.totalResults, 7)
        const last = await ta.users.list(query({ startIndex: 6, count: 5 }))
        assert.deepEqual(
          ids(last),
          created.slice(5).map((u) => u.id),
        )
        assert.equal(last.totalResults, 7)
      })

      async function walk<T extends { readonly id: string }>(
        list: (q: ListQuery) => Promise<Page<T>>,
        base: Partial<ListQuery>,
        count: number,
      ): Promise<{ seen: string[]; totals: number[] }> {
        const seen: string[] = []
        const totals: number[] = []
        for (let startIndex = 1; ; startIndex += count) {
          const page = await list(query({ ...base, startIndex, count }))
          totals.push(page.totalResults)
          seen.push(...ids(page))
          if (page.items.length < count || startIndex + count > page.totalResults) break
          assert.ok(totals.length < 100, 'paging does not end')
        }
        return { seen, totals }
      }

      it('walks every page in order: each user exactly once, the right total on every page', async (t) => {
        const { ta } = await fresh(t)
        const created = await seedUsers(
          ta,
          Array.from({ length: 10 }, (_, i) => `walker${i}@example.com`),
        )
        const { seen, totals } = await walk((q) => ta.users.list(q), {}, 3)
        assert.deepEqual(
          seen,
          created.map((u) => u.id),
        )
        assert.deepEqual(totals, [10, 10, 10, 10])
        // A second walk with another page size gives the same rows.
        assert.deepEqual(
          (await walk((q) => ta.users.list(q), {}, 4)).seen,
          created.map((u) => u.id),
        )
      })

      it('walks every page of a filtered, sorted listing', async (t) => {
        const { ta } = await fresh(t)
        const names = ['w-kim', 'x-lou', 'W-ann', 'w-zed', 'y-bo', 'w-eli', 'W-cy', 'z-al', 'w-dan']
        const created = await seedUsers(ta, names)
        const matching = created
          .filter((u) => u.userName.toLowerCase().startsWith('w'))
          .sort((x, y) => y.userName.toLowerCase().localeCompare(x.userName.toLowerCase()))
        const base: Partial<ListQuery> = {
          filter: parseFilter('userName sw "w"'),
          sortBy: { attr: 'userName' },
          sortOrder: 'descending',
        }
        const { seen, totals } = await walk((q) => ta.users.list(q), base, 2)
        assert.deepEqual(
          seen,
          matching.map((u) => u.id),
        )
        assert.deepEqual(totals, [6, 6, 6])
        // The same filter in creation order.
        const unsorted = await walk(
          (q) => ta.users.list(q),
          { filter: parseFilter('userName sw "w"') },
          4,
        )
        assert.deepEqual(
          unsorted.seen,
          created.filter((u) => u.userName.toLowerCase().startsWith('w')).map((u) => u.id),
        )
        assert.deepEqual(unsorted.totals, [6, 6])
      })

      it('walks every page of groups', async (t) => {
        const { ta } = await fresh(t)
        const created: GroupRecord[] = []
        for (let i = 0; i < 7; i++) created.push(await addGroup(ta, `Group ${i}`))
        const { seen, totals } = await walk((q) => ta.groups.list(q), {}, 2)
        assert.deepEqual(
          seen,
          created.map((g) => g.id),
        )
        assert.deepEqual(totals, [7, 7, 7, 7])
      })

      it('returns only the total when count is 0', async (t) => {
        const { ta } = await fresh(t)
        await seedUsers(ta, ['c1@example.com', 'c2@example.com', 'c3@example.org'])
        await addGroup(ta, 'Counted')
        assert.deepEqual(await ta.users.list(query({ count: 0 })), { totalResults: 3, items: [] })
        assert.deepEqual(
          await ta.users.list(query({ count: 0, filter: parseFilter('userName ew ".com"') })),
          { totalResults: 2, items: [] },
        )
        assert.deepEqual(await ta.groups.list(query({ count: 0, startIndex: 5 })), {
          totalResults: 1,
          items: [],
        })
      })

      it('returns an empty page with the right total when startIndex is past the end', async (t) => {
        const { ta } = await fresh(t)
        await seedUsers(ta, ['e1', 'e2', 'e3'])
        assert.deepEqual(await ta.users.list(query({ startIndex: 4, count: 2 })), {
          totalResults: 3,
          items: [],
        })
        assert.deepEqual(await ta.users.list(query({ startIndex: 50, count: 10 })), {
          totalResults: 3,
          items: [],
        })
        assert.deepEqual(await ta.groups.list(query({ startIndex: 2, count: 10 })), {
          totalResults: 0,
          items: [],
        })
      })

      it('continues after the last row of the previous page when a row on it was deleted meanwhile (no row skipped)', async (t) => {
        const { ta } = await fresh(t)
        const [s1, s2, s3, s4, s5, s6] = await seedUsers(ta, ['s1', 's2', 's3', 's4', 's5', 's6'])
        assert.ok(s1 && s2 && s3 && s4 && s5 && s6)
        assert.deepEqual(ids(await ta.users.list(query({ startIndex: 1, count: 2 }))), [
          s1.id,
          s2.id,
        ])
        await ta.users.delete(s1.id)
        // The client saw s1, s2: its next page starts after s2, whatever was deleted before it,
        // and keeps the walk's total (RFC 7644 §3.4.2.4: no consistency between pages).
        const page = await ta.users.list(query({ startIndex: 3, count: 2 }))
        assert.deepEqual({ ...page, items: ids(page) }, { totalResults: 6, items: [s3.id, s4.id] })
        const next = await ta.users.list(query({ startIndex: 5, count: 2 }))
        assert.deepEqual(ids(next), [s5.id, s6.id])
        // A page that is not full ends the walk and counts again: the total is exact there.
        const end = await ta.users.list(query({ startIndex: 7, count: 2 }))
        assert.deepEqual({ ...end, items: ids(end) }, { totalResults: 5, items: [] })
        // A startIndex that no page of this instance ended before is an offset into the rows now.
        const cold = await ta.users.list(query({ startIndex: 2, count: 2 }))
        assert.deepEqual(ids(cold), [s3.id, s4.id])
      })

      it('returns no rows for a startIndex past the end, even after an earlier page was read and rows were deleted', async (t) => {
        const { ta } = await fresh(t)
        const [r1, r2, r3, r4] = await seedUsers(ta, ['r1', 'r2', 'r3', 'r4'])
        assert.ok(r1 && r2 && r3 && r4)
        assert.deepEqual(ids(await ta.users.list(query({ startIndex: 1, count: 2 }))), [
          r1.id,
          r2.id,
        ])
        await ta.users.delete(r1.id)
        await ta.users.delete(r2.id)
        await ta.users.delete(r3.id)
        // Only r4 is left: startIndex 3 is past the end.
        const page = await ta.users.list(query({ startIndex: 3, count: 2 }))
        assert.deepEqual({ ...page, items: ids(page) }, { totalResults: 1, items: [] })
      })
    })

    describe('tenant isolation', () => {
      /** The same userName, person-less names and group names in both tenants. */
      async function twins(fixture: Fixture) {
        const { ta, tb } = fixture
        const ua = await addUser(ta, 'jsmith', { write: { displayName: 'J Smith' } })
        const ub = await addUser(tb, 'jsmith', { write: { displayName: 'J Smith' } })
        const ga = await addGroup(ta, 'Admins')
        const gb = await addGroup(tb, 'Admins')
        await ta.members.upsert(ga.id, users(ua), 'SCIM', at(2))
        await tb.members.upsert(gb.id, users(ub), 'SCIM', at(2))
        // Re-read: the member writes do not change the rows, but compare what is stored.
        return {
          ua: (await ta.users.get(ua.id)) ?? ua,
          ub: (await tb.users.get(ub.id)) ?? ub,
          ga: (await ta.groups.get(ga.id)) ?? ga,
          gb: (await tb.groups.get(gb.id)) ?? gb,
        }
      }

      it("reads none of the other tenant's users, groups, members or names", async (t) => {
        const fixture = await fresh(t)
        const { ta, tb } = fixture
        const { ua, ub, ga, gb } = await twins(fixture)
        assert.equal(await ta.users.get(ub.id), undefined)
        assert.equal(await ta.users.findIdByUserName('JSMITH'), ua.id)
        assert.equal(await tb.users.findIdByUserName('jsmith'), ub.id)
        assert.equal(await ta.groups.get(gb.id), undefined)
        assert.deepEqual(await ta.groups.getByName('admins'), ga)
        assert.deepEqual(await tb.groups.getByName('ADMINS'), gb)
        assert.deepEqual(await ta.members.list([gb.id]), new Map([[gb.id, []]]))
        assert.deepEqual(await ta.users.groupsOf([ub.id]), new Map())
        assert.deepEqual(await ta.members.findTargets([ub.id, gb.id]), new Map())
      })

      it('lists and counts only its own rows when both tenants hold the same names', async (t) => {
        const fixture = await fresh(t)
        const { ta, tb } = fixture
        const { ua, ub, ga, gb } = await twins(fixture)
        const filter = parseFilter('userName eq "jsmith"')
        assert.deepEqual(ids(await ta.users.list(query())), [ua.id])
        assert.deepEqual(ids(await ta.users.list(query({ filter }))), [ua.id])
        assert.deepEqual(ids(await tb.users.list(query({ filter }))), [ub.id])
        assert.deepEqual(await ta.users.list(query({ count: 0 })), { totalResults: 1, items: [] })
        assert.deepEqual(ids(await ta.groups.list(query())), [ga.id])
        assert.deepEqual(
          ids(await tb.groups.list(query({ filter: parseFilter('displayName eq "admins"') }))),
          [gb.id],
        )
        assert.deepEqual(
          ids(await ta.users.list(query({ filter: parseFilter(`groups.value eq "${gb.id}"`) }))),
          [],
        )
        assert.deepEqual(
          ids(await ta.groups.list(query({ filter: parseFilter(`members.value eq "${ub.id}"`) }))),
          [],
        )
        const paged = await ta.users.list(query({ startIndex: 2, count: 1 }))
        assert.deepEqual(paged, { totalResults: 1, items: [] })
      })

      it("changes none of the other tenant's rows through updates, touches, deletes or member writes", async (t) => {
        const fixture = await fresh(t)
        const { ta, tb } = fixture
        const { ua, ub, ga, gb } = await twins(fixture)
        assert.equal(await ta.users.update(ub.id, 1, userWrite('taken-over'), at(5)), undefined)
        assert.equal(await ta.groups.update(gb.id, 1, groupWrite('Taken over'), at(5)), undefined)
        await ta.groups.touch(gb.id, at(5))
        await ta.members.remove(gb.id, [ub.id], 'SCIM')
        await ta.members.removeExcept(gb.id, [], 'SCIM')
        // Adding to a group that is not in this tenant must not reach the other tenant's group.
        await ta.members.upsert(gb.id, users(ua), 'SCIM', at(5)).catch(() => undefined)
        assert.equal(await ta.users.delete(ub.id), false)
        assert.equal(await ta.groups.delete(gb.id), false)

        assert.deepEqual(await tb.users.get(ub.id), ub)
        assert.deepEqual(await tb.groups.get(gb.id), gb)
        assert.deepEqual(await membersOf(tb, gb.id), [[ub.id, 'User', 'SCIM', 'J Smith']])
        assert.deepEqual(await groupIdsOf(tb, ub.id), [gb.id])
        // And this tenant's own rows are as they were.
        assert.deepEqual(await ta.users.get(ua.id), ua)
        assert.deepEqual(await ta.groups.get(ga.id), ga)
        assert.deepEqual(await membersOf(ta, ga.id), [[ua.id, 'User', 'SCIM', 'J Smith']])
      })

      it('updates and deletes one membership of a person who belongs to both tenants, leaving the other', async (t) => {
        const { ta, tb } = await fresh(t)
        const pat = await addUser(ta, 'pat@example.com', { origin: 'INTERNAL' })
        const patB = await addUser(tb, 'pat@example.com', { person: pat.id, origin: 'SCIM' })
        const ga = await addGroup(ta, 'Crew')
        const gb = await addGroup(tb, 'Crew')
        await ta.members.upsert(ga.id, users(pat), 'SCIM', at(2))
        await tb.members.upsert(gb.id, users(patB), 'SCIM', at(2))

        const updated = await ta.users.update(
          pat.id,
          1,
          userWrite('pat@example.com', { displayName: 'Pat A' }),
          at(3),
        )
        assert.equal(updated?.version, 2)
        assert.deepEqual(await tb.users.get(pat.id), patB)
        assert.equal(await ta.users.delete(pat.id), true)
        assert.deepEqual(await tb.users.get(pat.id), patB)
        assert.deepEqual(await groupIdsOf(tb, pat.id), [gb.id])
        assert.deepEqual(
          ids(
            await tb.users.list(
              query({ filter: parseFilter('emails.value eq "pat@example.com"') }),
            ),
          ),
          [pat.id],
        )
        assert.deepEqual(await tb.users.identityByEmail('pat@example.com'), {
          userId: pat.id,
          inThisTenant: { origin: 'SCIM' },
          otherTenantCount: 0,
          scimControlledElsewhere: false,
        })
      })
    })

    describe('transactions', () => {
      it('commits a transaction that succeeds and returns its result', async (t) => {
        const { store, a, ta } = await fresh(t)
        let userId = asUserId('')
        const result = await store.transaction(async (trx) => {
          const tx = trx.forTenant(a.id)
          const user = await addUser(tx, 'kim@example.com')
          userId = user.id
          const group = await addGroup(tx, 'Committed')
          await tx.members.upsert(group.id, users(user), 'SCIM', at(2))
          return 42
        })
        assert.equal(result, 42)
        assert.equal((await ta.users.get(userId))?.userName, 'kim@example.com')
        assert.deepEqual(
          (await ta.users.groupsOf([userId])).get(userId)?.map((g) => g.display),
          ['Committed'],
        )
      })

      it("rolls back every write made through the transaction's store when the function throws, and rethrows", async (t) => {
        const { store, a, ta } = await fresh(t)
        const lou = await addUser(ta, 'lou@example.com')
        const old = await addGroup(ta, 'Existing')
        await ta.members.upsert(old.id, users(lou), 'SCIM', at(2))
        const before = {
          lou: await ta.users.get(lou.id),
          old: await ta.groups.get(old.id),
          members: await membersOf(ta, old.id),
          tenant: await store.tenants.getById(a.id),
        }
        const boom = new Error('boom')
        let newUser = asUserId('')
        let newGroup = asGroupId('')
        await assert.rejects(
          store.transaction(async (trx) => {
            const tx = trx.forTenant(a.id)
            newUser = (await addUser(tx, 'new@example.com')).id
            newGroup = (await addGroup(tx, 'Fresh')).id
            await tx.users.update(lou.id, 1, userWrite('louis@example.com'), at(5))
            await tx.users.setIdentityEmail(lou.id, 'louis@example.com')
            await tx.members.upsert(old.id, [{ id: newUser, type: 'User' }], 'SCIM', at(5))
            await tx.members.upsert(old.id, users(lou), 'INTERNAL', at(5))
            await tx.members.upsert(newGroup, users(lou), 'SCIM', at(5))
            await tx.groups.touch(old.id, at(5))
            await tx.groups.update(old.id, 2, groupWrite('Renamed'), at(6))
            await trx.tenants.create({
              id: newTenantId(),
              slug: 'rolled-back',
              name: 'Gone',
              createdAt: at(5),
            })
            await trx.forTenant(a.id).scim.setToken('token-x', at(5))
            await trx.forTenant(a.id).provisioningLog.append([logEntry(a.id, 5)])
            assert.ok(await tx.users.get(newUser), 'the transaction sees its own writes')
            throw boom
          }),
          (error: unknown) => error === boom,
        )
        assert.equal(await ta.users.get(newUser), undefined)
        assert.equal(await ta.users.identityByEmail('new@example.com'), undefined)
        assert.equal(await ta.groups.get(newGroup), undefined)
        assert.equal(await ta.groups.getByName('fresh'), undefined)
        assert.deepEqual(await ta.users.get(lou.id), before.lou)
        assert.equal((await ta.users.identityByEmail('lou@example.com'))?.userId, lou.id)
        assert.deepEqual(await ta.groups.get(old.id), before.old)
        assert.deepEqual(await membersOf(ta, old.id), before.members)
        assert.deepEqual(await groupIdsOf(ta, lou.id), [old.id])
        assert.equal(await store.tenants.getBySlug('rolled-back'), undefined)
        assert.deepEqual(await store.tenants.getById(a.id), before.tenant)
        assert.deepEqual(await store.forTenant(a.id).provisioningLog.list({ limit: 10 }), [])
      })

      it('rolls back earlier writes when a uniqueness failure ends the transaction, and reports UniqueViolation', async (t) => {
        const { store, a, ta } = await fresh(t)
        await addUser(ta, 'taken@example.com')
        let first = asUserId('')
        await rejectsUnique(
          store.transaction(async (trx) => {
            const tx = trx.forTenant(a.id)
            first = (await addUser(tx, 'first@example.com')).id
            const id = newUserId()
            await tx.users.insertIdentity(id, null, at(2))
            await tx.users.insert(
              id,
              userWrite('TAKEN@example.com', { emails: [] }),
              { origin: 'SCIM', role: 'Viewer' },
              at(2),
            )
          }),
          'tenant_users_user_name',
        )
        assert.equal(await ta.users.get(first), undefined)
        assert.equal(await ta.users.identityByEmail('first@example.com'), undefined)
      })

      it('runs a nested transaction inside the outer one: it sees the outer writes and rolls back with it', async (t) => {
        const { store, a, ta } = await fresh(t)
        let outerUser = asUserId('')
        let innerUser = asUserId('')
        const boom = new Error('outer fails after the nested call')
        await assert.rejects(
          store.transaction(async (trx) => {
            const tx = trx.forTenant(a.id)
            outerUser = (await addUser(tx, 'outer@example.com')).id
            const inner = await trx.transaction(async (nested) => {
              const ntx = nested.forTenant(a.id)
              assert.equal((await ntx.users.get(outerUser))?.userName, 'outer@example.com')
              innerUser = (await addUser(ntx, 'inner@example.com')).id
              return 'inner result'
            })
            assert.equal(inner, 'inner result')
            assert.equal((await tx.users.get(innerUser))?.userName, 'inner@example.com')
            throw boom
          }),
          (error: unknown) => error === boom,
        )
        assert.equal(await ta.users.get(outerUser), undefined)
        assert.equal(await ta.users.get(innerUser), undefined)
        assert.equal(await ta.users.identityByEmail('inner@example.com'), undefined)
      })

      it('rolls back only the failing one of several concurrent transactions, and commits the others', async (t) => {
        const { store, a, ta } = await fresh(t)
        await addUser(ta, 'occupied@example.com')
        const boom = new Error('second fails')
        const made: Record<string, string> = {}
        const results = await Promise.allSettled([
          store.transaction(async (trx) => {
            made.one = (await addUser(trx.forTenant(a.id), 'one@example.com')).id
            return 'one'
          }),
          store.transaction(async (trx) => {
            made.two = (await addUser(trx.forTenant(a.id), 'two@example.com')).id
            throw boom
          }),
          store.transaction(async (trx) => {
            made.three = (await addGroup(trx.forTenant(a.id), 'Three')).id
            return 'three'
          }),
          store.transaction(async (trx) => {
            const tx = trx.forTenant(a.id)
            made.four = (await addUser(tx, 'four@example.com')).id
            // The email identity is taken: UniqueViolation after this transaction's first write.
            await addUser(tx, 'OCCUPIED@example.com')
          }),
        ])
        assert.deepEqual(
          results.map((r) => r.status),
          ['fulfilled', 'rejected', 'fulfilled', 'rejected'],
        )
        assert.equal(results[0]?.status === 'fulfilled' && results[0].value, 'one')
        assert.equal(results[1]?.status === 'rejected' && results[1].reason, boom)
        const fourth = results[3]
        assert.ok(fourth?.status === 'rejected' && fourth.reason instanceof UniqueViolation)
        assert.equal((await ta.users.get(asUserId(made.one ?? '')))?.userName, 'one@example.com')
        assert.equal(await ta.users.get(asUserId(made.two ?? '')), undefined)
        assert.equal(await ta.users.identityByEmail('two@example.com'), undefined)
        assert.equal((await ta.groups.get(asGroupId(made.three ?? '')))?.displayName, 'Three')
        assert.equal(await ta.users.get(asUserId(made.four ?? '')), undefined)
        assert.equal(await ta.users.identityByEmail('four@example.com'), undefined)
      })

      it('commits a nested transaction together with the outer one', async (t) => {
        const { store, a, ta } = await fresh(t)
        let innerUser = asUserId('')
        await store.transaction(async (trx) => {
          await trx.transaction(async (nested) => {
            innerUser = (await addUser(nested.forTenant(a.id), 'nested@example.com')).id
          })
        })
        assert.equal((await ta.users.get(innerUser))?.userName, 'nested@example.com')
      })
    })

    describe('provisioning log', () => {
      it("lists a tenant's entries newest first with every field, and none of another tenant", async (t) => {
        const { store, a, b } = await fresh(t)
        const entries = [
          logEntry(a.id, 1),
          logEntry(a.id, 2, {
            method: 'PATCH',
            path: '/Groups/g-1',
            operation: 'Patch Group',
            resourceType: 'Group',
            resourceId: 'g-1',
            status: 409,
            scimType: 'uniqueness',
            detail: 'displayName taken',
            requestId: null,
            client: null,
            requestBody: null,
            responseBody: '{"status":"409"}',
          }),
          logEntry(b.id, 3),
          logEntry(a.id, 4, {
            operation: 'List Users',
            method: 'GET',
            resourceType: null,
            resourceId: null,
          }),
        ]
        await appendLog(store, entries)
        await store.forTenant(a.id).provisioningLog.append([])
        const listed = await store.forTenant(a.id).provisioningLog.list({ limit: 10 })
        assert.deepEqual(
          listed.map(({ id: _id, ...rest }) => rest),
          [entries[3], entries[1], entries[0]],
        )
        const listedIds = listed.map((e) => e.id)
        assert.deepEqual(
          listedIds,
          [...listedIds].sort((x, y) => y - x),
        )
        assert.ok(listedIds.every((id) => Number.isInteger(id)))
        assert.deepEqual(
          (await store.forTenant(b.id).provisioningLog.list({ limit: 10 })).map((e) => e.requestId),
          ['req-3'],
        )
        assert.equal((await store.forTenant(a.id).provisioningLog.list({ limit: 2 })).length, 2)
      })

      it('pages newest first with beforeId, each entry exactly once', async (t) => {
        const { store, a, b } = await fresh(t)
        for (let i = 1; i <= 7; i++) {
          await appendLog(store, [logEntry(a.id, i), logEntry(b.id, 100 + i)])
        }
        const seen: string[] = []
        let beforeId: number | undefined
        for (;;) {
          const page = await store.forTenant(a.id).provisioningLog.list({ limit: 3, beforeId })
          seen.push(...page.map((e) => e.requestId ?? ''))
          const last = page[page.length - 1]
          if (page.length < 3 || last === undefined) break
          beforeId = last.id
        }
        assert.deepEqual(seen, ['req-7', 'req-6', 'req-5', 'req-4', 'req-3', 'req-2', 'req-1'])
      })

      it('lists only failures (status 400 and above) with failuresOnly', async (t) => {
        const { store, a } = await fresh(t)
        const statuses = [200, 201, 400, 404, 204, 409, 500, 399]
        await appendLog(
          store,
          statuses.map((status, i) => logEntry(a.id, i, { status })),
        )
        const failures = await store
          .forTenant(a.id)
          .provisioningLog.list({ limit: 10, failuresOnly: true })
        assert.deepEqual(
          failures.map((e) => e.status),
          [500, 409, 404, 400],
        )
        const second = failures[1]
        assert.ok(second)
        const older = await store.forTenant(a.id).provisioningLog.list({
          limit: 10,
          failuresOnly: true,
          beforeId: second.id,
        })
        assert.deepEqual(
          older.map((e) => e.status),
          [404, 400],
        )
        const all = await store
          .forTenant(a.id)
          .provisioningLog.list({ limit: 10, failuresOnly: false })
        assert.equal(all.length, statuses.length)
      })

      it('prunes entries older than the cut-off in every tenant and returns how many it deleted', async (t) => {
        const { store, a, b } = await fresh(t)
        for (let i = 1; i <= 5; i++) {
          await appendLog(store, [logEntry(a.id, i), logEntry(b.id, i)])
        }
        assert.equal(await store.provisioningLog.prune(at(3), 100), 4)
        const left = async (tenantId: TenantId) =>
          (await store.forTenant(tenantId).provisioningLog.list({ limit: 10 })).map((e) => e.at)
        assert.deepEqual(await left(a.id), [at(5), at(4), at(3)])
        assert.deepEqual(await left(b.id), [at(5), at(4), at(3)])
        assert.equal(await store.provisioningLog.prune(at(3), 100), 0)
      })

      it('prunes each tenant down to its newest maxRowsPerTenant entries', async (t) => {
        const { store, a, b } = await fresh(t)
        for (let i = 1; i <= 6; i++) await appendLog(store, [logEntry(a.id, 10 + i)])
        for (let i = 1; i <= 2; i++) await appendLog(store, [logEntry(b.id, 10 + i)])
        assert.equal(await store.provisioningLog.prune(at(0), 3), 3)
        const left = async (tenantId: TenantId) =>
          (await store.forTenant(tenantId).provisioningLog.list({ limit: 10 })).map(
            (e) => e.requestId,
          )
        assert.deepEqual(await left(a.id), ['req-16', 'req-15', 'req-14'])
        assert.deepEqual(await left(b.id), ['req-12', 'req-11'])
        // Both rules at once: age first, then the cap; the count covers both.
        await appendLog(store, [logEntry(a.id, 17), logEntry(a.id, 18)])
        // Age removes req-14 (acme) and req-11, req-12 (globex); the cap then req-15, req-16.
        assert.equal(await store.provisioningLog.prune(at(15), 2), 5)
        assert.deepEqual(await left(a.id), ['req-18', 'req-17'])
        assert.deepEqual(await left(b.id), [])
      })
    })

    describe('sign-in', () => {
      function connection(
        tenantId: TenantId,
        domain: string,
        overrides: Partial<LoginConnectionRecord> = {},
      ): LoginConnectionRecord {
        return {
          id: newConnectionId(),
          tenantId,
          name: `IdP of ${domain}`,
          issuer: 'https://login.example.com/tid/v2.0',
          clientId: 'client-1',
          clientSecretEncrypted: 'v1.sealed',
          domain,
          status: 'draft',
          verifiedAt: null,
          jitEnabled: true,
          emailClaims: ['email', 'preferred_username', 'upn'],
          createdAt: at(1),
          updatedAt: at(1),
          ...overrides,
        }
      }

      it('creates, reads, lists, updates and deletes login connections of a tenant', async (t) => {
        const { store, a, b } = await fresh(t)
        const first = await store.forTenant(a.id).connections.create(connection(a.id, 'Acme.com'))
        const second = await store.forTenant(a.id).connections.create(
          connection(a.id, 'acme.org', {
            createdAt: at(2),
            jitEnabled: false,
            emailClaims: ['upn'],
          }),
        )
        await store.forTenant(b.id).connections.create(connection(b.id, 'globex.com'))
        assert.deepEqual(await store.connections.get(first.id), first)
        assert.equal(first.domain, 'Acme.com')
        assert.deepEqual(second.emailClaims, ['upn'])
        assert.equal(second.jitEnabled, false)
        assert.deepEqual(
          (await store.forTenant(a.id).connections.list()).map((c) => c.id),
          [first.id, second.id],
        )
        // Only a domain its tenant verified routes to a connection (D11).
        assert.equal(await store.connections.byDomain('ACME.COM'), undefined)
        await store.forTenant(a.id).domains.add(domainRecord(a.id, 'acme.com'))
        assert.equal(await store.connections.byDomain('ACME.COM'), undefined)
        await store
          .forTenant(a.id)
          .domains.markVerified('acme.com', { at: at(3), method: 'dns', by: 'x' })
        assert.equal((await store.connections.byDomain('ACME.COM'))?.id, first.id)
        assert.equal(await store.connections.byDomain('nope.com'), undefined)

        const updated = await store
          .forTenant(a.id)
          .connections.update(
            first.id,
            { status: 'verified', verifiedAt: at(5), name: 'Entra', jitEnabled: false },
            at(5),
          )
        assert.equal(updated?.status, 'verified')
        assert.equal(updated?.verifiedAt, at(5))
        assert.equal(updated?.name, 'Entra')
        assert.equal(updated?.jitEnabled, false)
        assert.equal(updated?.issuer, first.issuer)
        assert.equal(updated?.updatedAt, at(5))
        // Another tenant's id is not found through this tenant.
        assert.equal(
          await store.forTenant(b.id).connections.update(first.id, { name: 'x' }, at(6)),
          undefined,
        )
        assert.equal(await store.forTenant(b.id).connections.delete(first.id), false)
        assert.equal(await store.forTenant(a.id).connections.delete(first.id), true)
        assert.equal(await store.connections.get(first.id), undefined)
        assert.equal(await store.forTenant(a.id).connections.delete(first.id), false)
      })

      it('refuses a second connection with the same domain in one tenant, case-insensitively', async (t) => {
        const { store, a, b } = await fresh(t)
        const first = await store.forTenant(a.id).connections.create(connection(a.id, 'acme.com'))
        await rejectsUnique(
          store.forTenant(a.id).connections.create(connection(a.id, 'ACME.com')),
          'login_connections_domain',
        )
        const other = await store.forTenant(a.id).connections.create(connection(a.id, 'globex.com'))
        await rejectsUnique(
          store.forTenant(a.id).connections.update(other.id, { domain: 'Acme.COM' }, at(3)),
          'login_connections_domain',
        )
        assert.equal((await store.connections.get(first.id))?.domain, 'acme.com')
        // Another tenant may name the same domain: first come must not block its owner.
        const elsewhere = await store
          .forTenant(b.id)
          .connections.create(connection(b.id, 'ACME.com'))
        await store.forTenant(b.id).domains.add(domainRecord(b.id, 'acme.com'))
        await store
          .forTenant(b.id)
          .domains.markVerified('acme.com', { at: at(4), method: 'dns', by: 'x' })
        assert.equal((await store.connections.byDomain('acme.com'))?.id, elsewhere.id)
      })

      it('gives a pending authorization state once, and never when it expired', async (t) => {
        const { store, a } = await fresh(t)
        const record: AuthorizationStateRecord = {
          state: 'state-1',
          tenantId: a.id,
          connectionId: asConnectionId('c-1'),
          purpose: 'verify',
          nonce: 'n-1',
          codeVerifier: 'v-1',
          bindingHash: 'b-1',
          createdAt: at(1),
          expiresAt: at(600),
        }
        await store.forTenant(a.id).authorizationStates.insert(record)
        await store
          .forTenant(a.id)
          .authorizationStates.insert({ ...record, state: 'state-2', expiresAt: at(10) })
        await rejectsUniqueAny(store.forTenant(a.id).authorizationStates.insert(record))
        const results = await Promise.all([
          store.authorizationStates.consume('state-1', at(2)),
          store.authorizationStates.consume('state-1', at(2)),
        ])
        assert.deepEqual(
          results.filter((r) => r !== undefined),
          [record],
        )
        assert.equal(await store.authorizationStates.consume('state-1', at(3)), undefined)
        assert.equal(await store.authorizationStates.consume('state-2', at(10)), undefined)
        assert.equal(await store.authorizationStates.consume('unknown', at(1)), undefined)
      })

      it('finds a one-time token until it is consumed once, by its purpose and before expiry', async (t) => {
        const { store, a } = await fresh(t)
        const token: OneTimeTokenRecord = {
          tokenHash: 'h-1',
          purpose: 'set-password',
          tenantId: a.id,
          subjectId: asUserId('user-1'),
          createdAt: at(1),
          expiresAt: at(100),
        }
        await store.forTenant(a.id).oneTimeTokens.insert(token)
        assert.deepEqual(await store.oneTimeTokens.find('h-1', 'set-password', at(2)), token)
        assert.equal(await store.oneTimeTokens.find('h-1', 'verify-connection', at(2)), undefined)
        assert.equal(await store.oneTimeTokens.find('h-1', 'set-password', at(100)), undefined)
        assert.equal(
          await store.oneTimeTokens.consume('h-1', 'verify-connection', at(2)),
          undefined,
        )
        assert.deepEqual(await store.oneTimeTokens.consume('h-1', 'set-password', at(2)), token)
        assert.equal(await store.oneTimeTokens.consume('h-1', 'set-password', at(2)), undefined)
        await store
          .forTenant(a.id)
          .oneTimeTokens.insert({ ...token, tokenHash: 'h-2', expiresAt: at(5) })
        assert.equal(await store.oneTimeTokens.consume('h-2', 'set-password', at(6)), undefined)
      })

      it("lists a tenant's sign-in log newest first, and none of another tenant", async (t) => {
        const { store, a, b } = await fresh(t)
        const entry: SignInLogEntry = {
          tenantId: a.id,
          connectionId: asConnectionId('c-1'),
          at: at(1),
          outcome: 'signed-in',
          email: 'ann@example.com',
          detail: null,
        }
        await store.forTenant(a.id).signInLog.append(entry)
        await store.forTenant(a.id).signInLog.append({
          ...entry,
          at: at(2),
          outcome: 'refused',
          connectionId: null,
          email: null,
          detail: 'no email',
        })
        await store.forTenant(b.id).signInLog.append(entry)
        const listed = await store.forTenant(a.id).signInLog.list({ limit: 10 })
        assert.deepEqual(
          listed.map(({ id: _id, ...rest }) => rest),
          [
            {
              ...entry,
              at: at(2),
              outcome: 'refused',
              connectionId: null,
              email: null,
              detail: 'no email',
            },
            entry,
          ],
        )
        assert.equal((await store.forTenant(a.id).signInLog.list({ limit: 1 })).length, 1)
        assert.equal((await store.forTenant(b.id).signInLog.list({ limit: 10 })).length, 1)
      })

      it('prunes sign-in log entries older than the provisioning log cut-off', async (t) => {
        const { store, a } = await fresh(t)
        const entry: SignInLogEntry = {
          tenantId: a.id,
          connectionId: null,
          at: at(1),
          outcome: 'refused',
          email: null,
          detail: null,
        }
        await store.forTenant(a.id).signInLog.append(entry)
        await store.forTenant(a.id).signInLog.append({ ...entry, at: at(3) })
        await store.signInLog.prune(at(2))
        assert.deepEqual(
          (await store.forTenant(a.id).signInLog.list({ limit: 10 })).map((e) => e.at),
          [at(3)],
        )
      })

      it('keeps one local password hash per person and replaces it', async (t) => {
        const { store, ta } = await fresh(t)
        const user = await addUser(ta, 'admin@example.com', { origin: 'INTERNAL', role: 'Admin' })
        assert.equal(await store.people.getLocalCredential(user.id), undefined)
        await store.people.setLocalCredential(user.id, 'scrypt$1', at(1))
        await store.people.setLocalCredential(user.id, 'scrypt$2', at(2))
        assert.equal(await store.people.getLocalCredential(user.id), 'scrypt$2')
      })

      it('counts login failures per key within a window and forgets them when cleared', async (t) => {
        const { store } = await fresh(t)
        await store.loginFailures.record(['account:x', 'address:1'], at(1))
        await store.loginFailures.record(['account:x', 'address:1'], at(5))
        await store.loginFailures.record(['address:1'], at(9))
        await store.loginFailures.record([], at(9))
        assert.deepEqual(await store.loginFailures.count('account:x', at(0)), {
          count: 2,
          oldestAt: at(1),
          latestAt: at(5),
        })
        assert.deepEqual(await store.loginFailures.count('account:x', at(2)), {
          count: 1,
          oldestAt: at(5),
          latestAt: at(5),
        })
        assert.deepEqual(await store.loginFailures.count('address:1', at(0)), {
          count: 3,
          oldestAt: at(1),
          latestAt: at(9),
        })
        assert.deepEqual(await store.loginFailures.count('other', at(0)), {
          count: 0,
          oldestAt: null,
          latestAt: null,
        })
        await store.loginFailures.clear('account:x')
        assert.equal((await store.loginFailures.count('account:x', at(0))).count, 0)
        assert.equal((await store.loginFailures.count('address:1', at(0))).count, 3)
      })

      it('stores sessions with their membership, touches, deletes them, and ends them with the membership', async (t) => {
        const { store, a, b, ta, tb } = await fresh(t)
        const user = await addUser(ta, 'sam@example.com', { origin: 'INTERNAL', role: 'Admin' })
        await addUser(tb, 'sam@example.com', { person: user.id, origin: 'INTERNAL' })
        const session: SessionRecord = {
          idHash: 's-1',
          userId: user.id,
          tenantId: a.id,
          createdAt: at(1),
          lastSeenAt: at(1),
          idleExpiresAt: at(100),
          absoluteExpiresAt: at(1000),
        }
        await store.forTenant(a.id).sessions.insert(session)
        await store.forTenant(a.id).sessions.insert({ ...session, idHash: 's-2' })
        await store.forTenant(b.id).sessions.insert({ ...session, idHash: 's-3' })
        assert.deepEqual(await store.sessions.get('s-1'), {
          ...session,
          tenantSlug: 'acme',
          userName: 'sam@example.com',
          role: 'Admin',
          active: true,
        })
        await store.sessions.touch('s-1', at(50), at(150))
        const touched = await store.sessions.get('s-1')
        assert.equal(touched?.lastSeenAt, at(50))
        assert.equal(touched?.idleExpiresAt, at(150))
        await store.sessions.delete('s-1')
        assert.equal(await store.sessions.get('s-1'), undefined)
        assert.equal(await store.forTenant(a.id).sessions.deleteOf(user.id), 1)
        assert.equal(await store.sessions.get('s-2'), undefined)
        assert.ok(await store.sessions.get('s-3'), "the other tenant's session stays")
        // A deleted membership takes its sessions with it.
        assert.equal(await tb.users.delete(user.id), true)
        assert.equal(await store.sessions.get('s-3'), undefined)
      })

      it('prunes expired states, tokens, sessions and old login failures', async (t) => {
        const { store, a, ta } = await fresh(t)
        const user = await addUser(ta, 'pat@example.com', { origin: 'INTERNAL' })
        const base = {
          tenantId: a.id,
          connectionId: asConnectionId('c'),
          purpose: 'login' as const,
          nonce: 'n',
          codeVerifier: 'v',
          bindingHash: 'b',
          createdAt: at(0),
        }
        await store
          .forTenant(a.id)
          .authorizationStates.insert({ ...base, state: 'old', expiresAt: at(5) })
        await store
          .forTenant(a.id)
          .authorizationStates.insert({ ...base, state: 'new', expiresAt: at(50) })
        const session = { userId: user.id, tenantId: a.id, createdAt: at(0), lastSeenAt: at(0) }
        await store.forTenant(a.id).sessions.insert({
          ...session,
          idHash: 'idle',
          idleExpiresAt: at(5),
          absoluteExpiresAt: at(50),
        })
        await store.forTenant(a.id).sessions.insert({
          ...session,
          idHash: 'live',
          idleExpiresAt: at(50),
          absoluteExpiresAt: at(50),
        })
        await store.loginFailures.record(['k'], at(1))
        await store.loginFailures.record(['k'], at(20))
        await store.authorizationStates.pruneExpired(at(10))
        await store.oneTimeTokens.pruneExpired(at(10))
        await store.sessions.pruneExpired(at(10))
        await store.loginFailures.pruneBefore(at(10))
        assert.equal(await store.authorizationStates.consume('old', at(0)), undefined)
        assert.ok(await store.authorizationStates.consume('new', at(0)))
        assert.equal(await store.sessions.get('idle'), undefined)
        assert.ok(await store.sessions.get('live'))
        assert.equal((await store.loginFailures.count('k', at(0))).count, 1)
      })

      it('sets the role of a member, bumping the version, and lists every membership of a person', async (t) => {
        const { store, a, b, ta, tb } = await fresh(t)
        const user = await addUser(ta, 'role@example.com', { origin: 'INTERNAL' })
        await addUser(tb, 'role@example.com', {
          person: user.id,
          origin: 'SCIM',
          write: { active: false },
        })
        const promoted = await ta.users.setRole(user.id, 'Admin', at(9))
        assert.equal(promoted?.role, 'Admin')
        assert.equal(promoted?.version, user.version + 1)
        assert.equal(promoted?.updatedAt, at(9))
        assert.equal(await ta.users.setRole(asUserId('nobody'), 'Admin', at(9)), undefined)
        const memberships = await store.people.membershipsOf(user.id)
        assert.deepEqual(
          [...memberships].sort((x, y) => (x.tenantId === a.id ? -1 : y.tenantId === a.id ? 1 : 0)),
          [
            { tenantId: a.id, origin: 'INTERNAL', active: true, role: 'Admin' },
            { tenantId: b.id, origin: 'SCIM', active: false, role: 'Viewer' },
          ],
        )
        assert.deepEqual(await store.people.membershipsOf(asUserId('nobody')), [])
      })
    })

    describe('verified domains', () => {
      it("adds, reads, lists and removes a tenant's domains, normalised", async (t) => {
        const { store, a, b } = await fresh(t)
        const added = await store.forTenant(a.id).domains.add(domainRecord(a.id, 'Contoso.COM'))
        assert.deepEqual(added, { ...domainRecord(a.id, 'contoso.com') })
        await store.forTenant(a.id).domains.add(domainRecord(a.id, 'acme.org'))
        await store
          .forTenant(b.id)
          .domains.add(domainRecord(b.id, 'contoso.com', { challenge: 'other' }))
        assert.deepEqual(await store.forTenant(a.id).domains.get('CONTOSO.com'), added)
        assert.deepEqual(
          (await store.forTenant(a.id).domains.list()).map((d) => d.domain),
          ['acme.org', 'contoso.com'],
        )
        assert.equal((await store.forTenant(b.id).domains.get('contoso.com'))?.challenge, 'other')
        await rejectsUnique(
          store.forTenant(a.id).domains.add(domainRecord(a.id, 'contoso.com')),
          'tenant_domains_tenant',
        )
        assert.equal(await store.forTenant(b.id).domains.remove('acme.org'), false)
        assert.equal(await store.forTenant(a.id).domains.remove('ACME.org'), true)
        assert.equal(await store.forTenant(a.id).domains.get('acme.org'), undefined)
      })

      it('lets one tenant only verify a domain, and names its owner', async (t) => {
        const { store, a, b } = await fresh(t)
        await store.forTenant(a.id).domains.add(domainRecord(a.id, 'contoso.com'))
        await store.forTenant(b.id).domains.add(domainRecord(b.id, 'contoso.com'))
        assert.equal(await store.domains.owner('contoso.com'), undefined)
        const verified = await store.forTenant(a.id).domains.markVerified('contoso.com', {
          at: at(5),
          method: 'operator',
          by: 'ops@example.com',
        })
        assert.equal(verified?.status, 'verified')
        assert.equal(verified?.verifiedAt, at(5))
        assert.equal(verified?.verifiedMethod, 'operator')
        assert.equal(verified?.verifiedBy, 'ops@example.com')
        assert.equal(await store.domains.owner('CONTOSO.com'), a.id)
        await rejectsUnique(
          store
            .forTenant(b.id)
            .domains.markVerified('contoso.com', { at: at(6), method: 'dns', by: 'x' }),
          'tenant_domains_verified',
        )
        assert.equal((await store.forTenant(b.id).domains.get('contoso.com'))?.status, 'pending')
        assert.equal(
          await store
            .forTenant(b.id)
            .domains.markVerified('nope.com', { at: at(6), method: 'dns', by: 'x' }),
          undefined,
        )
        // Removing it frees the domain for another tenant.
        await store.forTenant(a.id).domains.remove('contoso.com')
        assert.equal(await store.domains.owner('contoso.com'), undefined)
        await store
          .forTenant(b.id)
          .domains.markVerified('contoso.com', { at: at(7), method: 'dns', by: 'x' })
        assert.equal(await store.domains.owner('contoso.com'), b.id)
      })

      it('decides two verifications racing for one domain in the database: exactly one wins', async (t) => {
        const { store, a, b } = await fresh(t)
        await store.forTenant(a.id).domains.add(domainRecord(a.id, 'race.com'))
        await store.forTenant(b.id).domains.add(domainRecord(b.id, 'race.com'))
        const results = await Promise.allSettled([
          store.transaction((tx) =>
            tx
              .forTenant(a.id)
              .domains.markVerified('race.com', { at: at(1), method: 'dns', by: 'x' }),
          ),
          store.transaction((tx) =>
            tx
              .forTenant(b.id)
              .domains.markVerified('race.com', { at: at(1), method: 'dns', by: 'x' }),
          ),
        ])
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
        const rejected = results.find((r) => r.status === 'rejected')
        assert.ok(rejected && (rejected as PromiseRejectedResult).reason instanceof UniqueViolation)
        assert.ok([a.id, b.id].includes((await store.domains.owner('race.com')) ?? asTenantId('')))
      })

      it('answers the owner inside a transaction too', async (t) => {
        const { store, a } = await fresh(t)
        await store.forTenant(a.id).domains.add(domainRecord(a.id, 'contoso.com'))
        await store
          .forTenant(a.id)
          .domains.markVerified('contoso.com', { at: at(1), method: 'dns', by: 'x' })
        assert.equal(await store.transaction((tx) => tx.domains.owner('contoso.com')), a.id)
      })
    })

    describe("large batches (issue #7): chunked under every engine's bound-parameter limit", () => {
      const byEmail = async (tenant: TenantStore, email: string) =>
        ids(await tenant.users.list(query({ filter: parseFilter(`emails.value eq "${email}"`) })))
      const aliases = (n: number, from: number) =>
        Array.from({ length: n }, (_, i) => ({
          value: `alias${from + i}@example.com`,
          type: 'other',
          primary: false,
        }))

      it('inserts a user with 5,000 emails and rewrites them as 6,000', async (t) => {
        const { ta } = await fresh(t)
        const user = await addUser(ta, 'many@example.com', { write: { emails: aliases(5000, 0) } })
        assert.deepEqual(await byEmail(ta, 'alias4999@example.com'), [user.id])
        const write = userWrite('many@example.com', { emails: aliases(6000, 10_000) })
        assert.ok(await ta.users.update(user.id, user.version, write, at(2)))
        assert.deepEqual(await byEmail(ta, 'alias4999@example.com'), [])
        assert.deepEqual(await byEmail(ta, 'alias15999@example.com'), [user.id])
        assert.deepEqual(await byEmail(ta, 'alias10000@example.com'), [user.id])
      })

      it('upserts, finds, lists and removes 20,000 members of one group', async (t) => {
        const { store, a, ta } = await fresh(t)
        const real = await store.transaction(async (tx) => {
          const tenant = tx.forTenant(a.id)
          const made: UserRecord[] = []
          for (let i = 0; i < 600; i++) made.push(await addUser(tenant, `m${i}@example.com`))
          return made
        })
        const group = await addGroup(ta, 'Everyone')
        const memberIds = [
          ...real.map((u) => u.id),
          ...Array.from({ length: 19_400 }, () => newUserId()),
        ]
        const refs: MemberReference[] = memberIds.map((id) => ({ id, type: 'User' }))
        await ta.members.upsert(group.id, refs, 'SCIM', at(2))
        assert.equal((await ta.members.list([group.id])).get(group.id)?.length, 20_000)
        const targets = await ta.members.findTargets([...memberIds, group.id])
        assert.equal(targets.size, 601)
        assert.equal(targets.get(group.id), 'Group')
        const groupsOf = await ta.users.groupsOf(memberIds)
        assert.equal(groupsOf.size, 20_000)
        assert.deepEqual(groupsOf.get(real[599]?.id ?? asUserId('')), [
          { groupId: group.id, display: 'Everyone' },
        ])
        const manyGroups = await ta.members.list([...memberIds.map(asGroupId), group.id])
        assert.equal(manyGroups.get(group.id)?.length, 20_000)
        await ta.members.removeExcept(group.id, memberIds.slice(0, 15_000), 'SCIM')
        assert.equal((await ta.members.list([group.id])).get(group.id)?.length, 15_000)
        await ta.members.remove(group.id, memberIds.slice(0, 10_000), 'SCIM')
        const left = (await ta.members.list([group.id])).get(group.id) ?? []
        assert.deepEqual(left.map((m) => m.memberId).sort(), memberIds.slice(10_000, 15_000).sort())
      })
    })

    describe('ping', () => {
      it('answers a round trip to the database', async (t) => {
        const { store } = await fresh(t)
        await store.ping()
      })
    })

    describe('service settings', () => {
      it('answers undefined for a setting never written', async (t) => {
        const { store } = await fresh(t)
        assert.equal(await store.settings.get('public_url'), undefined)
      })

      it('stores a setting, replaces it on the next write, and keeps keys apart', async (t) => {
        const { store } = await fresh(t)
        await store.settings.set('public_url', 'http://127.0.0.1:8080', at(1))
        await store.settings.set('other', 'x', at(1))
        await store.settings.set('public_url', 'https://rollcall.example.com', at(2))
        assert.deepEqual(await store.settings.get('public_url'), {
          key: 'public_url',
          value: 'https://rollcall.example.com',
          updatedAt: at(2),
        })
        assert.deepEqual(await store.settings.get('other'), {
          key: 'other',
          value: 'x',
          updatedAt: at(1),
        })
      })

      it('keeps settings when migrations run again', async (t) => {
        const { store } = await fresh(t)
        await store.settings.set('public_url', 'https://rollcall.example.com', at(1))
        await store.migrate()
        assert.equal(
          (await store.settings.get('public_url'))?.value,
          'https://rollcall.example.com',
        )
      })
    })
  })
}
