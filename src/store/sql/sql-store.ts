// The Store over Kysely, shared by SQLite and PostgreSQL: the queries are the same, the dialect
// supplies capabilities (JSON access, error codes). SCIM filters are compiled to SQL here.
import {
  sql,
  type Kysely,
  type RawBuilder,
  type Selectable,
  type SqlBool,
  type Transaction,
} from 'kysely'
import type { Origin, Tenant } from '../../domain/types.ts'
import { normaliseName } from '../../domain/directory-rules.ts'
import { normaliseDomain } from '../../domain/domains.ts'
import { DomainQueries } from './domains.ts'
import { emailRowsOf, groupColumnsOf, toGroup, toUser, userColumnsOf } from './columns.ts'
import { compileFilter } from './filter/compile-filter.ts'
import { compileSortKey } from './filter/compile-sort.ts'
import type { SqlDialect } from './filter/sql-dialect.ts'
import type {
  Database,
  GroupsTable,
  LoginConnectionsTable,
  SsoStatesTable,
  TenantsTable,
  TenantUsersTable,
} from './tables.ts'
import { GroupCommitter } from './group-commit.ts'
import { PageCursors } from './page-cursors.ts'
import type {
  AuthorizationPurpose,
  AuthorizationStateRecord,
  ConnectionChanges,
  ConnectionStatus,
  LoginConnectionRecord,
  MembershipRecord,
  OneTimeTokenPurpose,
  OneTimeTokenRecord,
  SessionRecord,
  SessionView,
  SignInLogEntry,
  StoredSignInLogEntry,
  GroupRecord,
  GroupReference,
  GroupWrite,
  ListQuery,
  MemberRecord,
  MemberReference,
  MemberType,
  Page,
  ProvisioningLogEntry,
  ServiceSettingRecord,
  SigningKeyRecord,
  Store,
  StoredProvisioningLogEntry,
  TenantDomainRecord,
  TenantStore,
  UserRecord,
  UserWrite,
} from '../store.ts'
import { runMigrations } from './migrate.ts'

export interface SqlStoreOptions {
  readonly db: Kysely<Database>
  readonly dialect: SqlDialect
  /** Translates a driver error into UniqueViolation / StoreUnavailable, or returns it unchanged. */
  readonly translateError: (error: unknown) => unknown
  /** Runs once before migrations (PostgreSQL takes an advisory lock there). */
  readonly withMigrationLock?: <T>(fn: () => Promise<T>) => Promise<T>
  readonly onClose?: () => Promise<void>
  /**
   * A second connection for reads outside transactions (SQLite: reads then never queue behind
   * a write batch holding the single write connection). Defaults to `db`.
   */
  readonly readDb?: Kysely<Database>
  /** Batch concurrent transactions into one commit (SQLite; see group-commit.ts). */
  readonly groupCommit?: boolean
}

function toTenant(row: Selectable<TenantsTable>): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    createdAt: row.created_at,
    scimStrictProfile: row.scim_strict_profile === 1,
    scimTokenId: row.scim_token_id,
  }
}

function toConnection(row: Selectable<LoginConnectionsTable>): LoginConnectionRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecretEncrypted: row.client_secret_encrypted,
    domain: row.domain,
    status: row.status as ConnectionStatus,
    verifiedAt: row.verified_at,
    jitEnabled: row.jit_enabled === 1,
    emailClaims: JSON.parse(row.email_claims) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toOneTimeToken(row: Selectable<Database['one_time_tokens']>): OneTimeTokenRecord {
  return {
    tokenHash: row.token_hash,
    purpose: row.purpose as OneTimeTokenPurpose,
    tenantId: row.tenant_id,
    subjectId: row.subject_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  }
}

function toAuthorizationState(row: Selectable<SsoStatesTable>): AuthorizationStateRecord {
  return {
    state: row.state,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    purpose: row.purpose as AuthorizationPurpose,
    nonce: row.nonce,
    codeVerifier: row.code_verifier,
    bindingHash: row.binding_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  }
}

/** SQLite caps bound parameters per statement; chunk IN lists well below it. */
const IN_CHUNK = 500

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

class SqlTenantStore implements TenantStore {
  /** Reads go here: the write connection inside a transaction, else the read connection. */
  private readonly reader: Kysely<Database>

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: SqlStoreOptions,
    private readonly cursors: PageCursors,
    readonly tenantId: string,
  ) {
    this.reader = db.isTransaction ? db : (options.readDb ?? db)
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      throw this.options.translateError(error)
    }
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const row = await this.reader
      .selectFrom('tenant_users')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('user_id', '=', id)
      .executeTakeFirst()
    return row && toUser(row)
  }

  async findUserIdByUserName(userName: string): Promise<string | undefined> {
    const row = await this.reader
      .selectFrom('tenant_users')
      .select('user_id')
      .where('tenant_id', '=', this.tenantId)
      .where('user_name_norm', '=', normaliseName(userName))
      .executeTakeFirst()
    return row?.user_id
  }

  async listUsers(query: ListQuery): Promise<Page<UserRecord>> {
    return this.list(query, 'User')
  }

  async listGroups(query: ListQuery): Promise<Page<GroupRecord>> {
    return this.list(query, 'Group')
  }

  private async list(query: ListQuery, target: 'User'): Promise<Page<UserRecord>>
  private async list(query: ListQuery, target: 'Group'): Promise<Page<GroupRecord>>
  private async list(
    query: ListQuery,
    target: 'User' | 'Group',
  ): Promise<Page<UserRecord> | Page<GroupRecord>> {
    const dialect = this.options.dialect
    const table = target === 'User' ? ('tenant_users as u' as const) : ('groups as g' as const)
    const alias = target === 'User' ? 'u' : 'g'
    const idColumn = target === 'User' ? sql.ref('u.user_id') : sql.ref('g.id')
    const where = query.filter ? compileFilter(query.filter, target, dialect) : sql<SqlBool>`1 = 1`
    const tenantWhere = sql<SqlBool>`${sql.ref(`${alias}.tenant_id`)} = ${this.tenantId}`

    if (query.count === 0) {
      const total = await this.count(table, tenantWhere, where)
      return { totalResults: total, items: [] }
    }

    // Default order is the id (time-ordered UUIDv7 = creation order). A client walking the pages
    // in order gets index seeks instead of OFFSET scans: the id that ended the previous page is
    // remembered under (tenant, filter, next startIndex).
    const filterKey = query.filter ? JSON.stringify(query.filter) : ''
    const cursorKey = `${this.tenantId}|${target}|${filterKey}`
    let seekAfter: string | undefined
    let knownTotal: number | undefined
    let offset = query.startIndex - 1
    if (query.sortBy === undefined && offset > 0) {
      const cursor = this.cursors.get(cursorKey, query.startIndex)
      if (cursor !== undefined) {
        seekAfter = cursor.lastId
        knownTotal = cursor.total
        offset = 0
      }
    }

    // The table is chosen at run time; Kysely's static row typing cannot follow, so this query
    // is typed loosely and its rows mapped explicitly below.
    const db = this.reader as unknown as Kysely<any> // eslint-disable-line @typescript-eslint/no-explicit-any
    let select = db.selectFrom(table).selectAll(alias).where(tenantWhere).where(where)
    if (seekAfter !== undefined) select = select.where(sql<SqlBool>`${idColumn} > ${seekAfter}`)
    if (seekAfter === undefined && offset > 0 && query.sortBy === undefined) {
      // A cold deep page: find its first id with the offset applied to the id index alone
      // (no row is read for the skipped positions), then seek from there.
      const from = sql.raw(target === 'User' ? 'tenant_users as u' : 'groups as g')
      select = select.where(
        sql<SqlBool>`${idColumn} >= (select ${idColumn} from ${from} where ${tenantWhere} and ${where} order by ${idColumn} limit 1 offset ${offset})`,
      )
      offset = 0
    }
    if (query.sortBy !== undefined) {
      const key = compileSortKey(query.sortBy, target, dialect)
      const direction = query.sortOrder === 'descending' ? sql`desc` : sql`asc`
      select = select.orderBy(sql`${key} ${direction}`).orderBy(idColumn)
    } else {
      select = select.orderBy(idColumn)
    }
    select = select.limit(query.count)
    if (offset > 0) select = select.offset(offset)

    const rows = await this.guard(() => select.execute())
    const items =
      target === 'User'
        ? (rows as Selectable<TenantUsersTable>[]).map(toUser)
        : (rows as Selectable<GroupsTable>[]).map(toGroup)

    // A first page that is not full tells the total by itself: no COUNT for the common
    // "filter=userName eq …" lookups. The full pages of a walk reuse the total of the page
    // before (RFC 7644 §3.4.2.4 promises no consistency between pages); its last page recounts.
    let total: number
    if (items.length < query.count && query.startIndex === 1) {
      total = items.length
    } else if (knownTotal !== undefined && items.length === query.count) {
      total = Math.max(knownTotal, query.startIndex - 1 + items.length)
    } else {
      total = await this.count(table, tenantWhere, where)
    }

    if (query.sortBy === undefined && items.length === query.count) {
      const last = items[items.length - 1]
      if (last)
        this.cursors.set(cursorKey, query.startIndex + query.count, { lastId: last.id, total })
    }
    // After deletions a seek can find rows beyond the current total; a page past the end is empty.
    const visible = query.startIndex > total ? [] : items
    return { totalResults: total, items: visible } as Page<UserRecord> | Page<GroupRecord>
  }

  private async count(
    table: 'tenant_users as u' | 'groups as g',
    tenantWhere: RawBuilder<SqlBool>,
    where: RawBuilder<SqlBool>,
  ): Promise<number> {
    const db = this.reader as unknown as Kysely<any> // eslint-disable-line @typescript-eslint/no-explicit-any
    const row = await this.guard(() =>
      db
        .selectFrom(table)
        .select(sql<number>`count(*)`.as('n'))
        .where(tenantWhere)
        .where(where)
        .executeTakeFirstOrThrow(),
    )
    return Number((row as { n: number | string }).n)
  }

  async identityByEmail(emailNorm: string) {
    const user = await this.reader
      .selectFrom('users')
      .select('id')
      .where('email_norm', '=', emailNorm)
      .executeTakeFirst()
    if (!user) return undefined
    const memberships = await this.reader
      .selectFrom('tenant_users')
      .select(['tenant_id', 'origin'])
      .where('user_id', '=', user.id)
      .execute()
    const here = memberships.find((m) => m.tenant_id === this.tenantId)
    return {
      userId: user.id,
      inThisTenant: here ? { origin: here.origin as Origin } : undefined,
      otherTenantCount: memberships.filter((m) => m.tenant_id !== this.tenantId).length,
      scimControlledElsewhere: memberships.some(
        (m) => m.tenant_id !== this.tenantId && m.origin === 'SCIM',
      ),
    }
  }

  async insertIdentity(userId: string, emailNorm: string | null, at: string): Promise<void> {
    await this.guard(() =>
      this.db
        .insertInto('users')
        .values({ id: userId, email_norm: emailNorm, created_at: at })
        .execute(),
    )
  }

  async setIdentityEmail(userId: string, emailNorm: string | null): Promise<void> {
    await this.guard(() =>
      this.db
        .updateTable('users')
        .set({ email_norm: emailNorm })
        .where('id', '=', userId)
        .execute(),
    )
  }

  private userColumns(write: UserWrite) {
    return userColumnsOf(write)
  }

  private async writeEmails(userId: string, write: UserWrite, replace: boolean): Promise<void> {
    if (replace) {
      await this.db
        .deleteFrom('user_emails')
        .where('tenant_id', '=', this.tenantId)
        .where('user_id', '=', userId)
        .execute()
    }
    const rows = emailRowsOf(this.tenantId, userId, write.emails)
    // 7 bound values a row: one statement for thousands of emails passes SQLite's limit.
    for (const part of chunks(rows)) {
      await this.db.insertInto('user_emails').values(part).execute()
    }
  }

  async insertUser(
    userId: string,
    write: UserWrite,
    membership: { origin: Origin; role: string },
    at: string,
  ): Promise<UserRecord> {
    return this.guard(async () => {
      const row = await this.db
        .insertInto('tenant_users')
        .values({
          tenant_id: this.tenantId,
          user_id: userId,
          ...this.userColumns(write),
          origin: membership.origin,
          role: membership.role,
          password_hash: write.passwordHash ?? null,
          version: 1,
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      await this.writeEmails(userId, write, false)
      return toUser(row)
    })
  }

  async updateUser(
    id: string,
    expectedVersion: number,
    write: UserWrite,
    at: string,
    changes: { origin?: Origin } = {},
  ): Promise<UserRecord | undefined> {
    return this.guard(async () => {
      const row = await this.db
        .updateTable('tenant_users')
        .set({
          ...this.userColumns(write),
          ...(write.passwordHash === undefined ? {} : { password_hash: write.passwordHash }),
          ...(changes.origin ? { origin: changes.origin } : {}),
          version: expectedVersion + 1,
          updated_at: at,
        })
        .where('tenant_id', '=', this.tenantId)
        .where('user_id', '=', id)
        .where('version', '=', expectedVersion)
        .returningAll()
        .executeTakeFirst()
      if (!row) return undefined
      await this.writeEmails(id, write, true)
      return toUser(row)
    })
  }

  async deleteUser(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('tenant_users')
      .where('tenant_id', '=', this.tenantId)
      .where('user_id', '=', id)
      .executeTakeFirst()
    if (Number(result.numDeletedRows) === 0) return false
    // Its user_emails rows go by foreign-key cascade.
    await this.leaveAllGroups(id)
    return true
  }

  async setRole(id: string, role: string, at: string): Promise<UserRecord | undefined> {
    const row = await this.guard(() =>
      this.db
        .updateTable('tenant_users')
        .set((eb) => ({ role, version: eb('version', '+', 1), updated_at: at }))
        .where('tenant_id', '=', this.tenantId)
        .where('user_id', '=', id)
        .returningAll()
        .executeTakeFirst(),
    )
    return row && toUser(row)
  }

  /** Removes a deleted user or group from every group of the tenant it was a member of. */
  private async leaveAllGroups(memberId: string): Promise<void> {
    await this.db
      .deleteFrom('group_members')
      .where('tenant_id', '=', this.tenantId)
      .where('member_id', '=', memberId)
      .execute()
  }

  async groupsOfUsers(userIds: readonly string[]): Promise<Map<string, GroupReference[]>> {
    const result = new Map<string, GroupReference[]>()
    for (const part of chunks(userIds)) {
      if (part.length === 0) continue
      const rows = await this.reader
        .selectFrom('group_members as m')
        .innerJoin('groups as g', (join) =>
          join.onRef('g.tenant_id', '=', 'm.tenant_id').onRef('g.id', '=', 'm.group_id'),
        )
        .select(['m.member_id', 'g.id', 'g.display_name'])
        .where('m.tenant_id', '=', this.tenantId)
        .where('m.member_id', 'in', part)
        // No ORDER BY here: with it, SQLite (no statistics) walks every group of the tenant in id
        // order instead of looking the members up in group_members_member_ix. Sorted below.
        .execute()
      for (const row of rows) {
        const list = result.get(row.member_id) ?? []
        list.push({ groupId: row.id, display: row.display_name })
        result.set(row.member_id, list)
      }
    }
    for (const list of result.values()) list.sort((a, b) => (a.groupId < b.groupId ? -1 : 1))
    return result
  }

  async getGroup(id: string): Promise<GroupRecord | undefined> {
    const row = await this.reader
      .selectFrom('groups')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toGroup(row)
  }

  async getGroupByName(displayName: string): Promise<GroupRecord | undefined> {
    const row = await this.reader
      .selectFrom('groups')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('display_name_norm', '=', normaliseName(displayName))
      .executeTakeFirst()
    return row && toGroup(row)
  }

  private groupColumns(write: GroupWrite) {
    return groupColumnsOf(write)
  }

  async insertGroup(
    id: string,
    write: GroupWrite,
    origin: Origin,
    at: string,
  ): Promise<GroupRecord> {
    return this.guard(async () => {
      const row = await this.db
        .insertInto('groups')
        .values({
          tenant_id: this.tenantId,
          id,
          ...this.groupColumns(write),
          origin,
          version: 1,
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return toGroup(row)
    })
  }

  async updateGroup(
    id: string,
    expectedVersion: number,
    write: GroupWrite,
    at: string,
    changes: { origin?: Origin } = {},
  ): Promise<GroupRecord | undefined> {
    return this.guard(async () => {
      const row = await this.db
        .updateTable('groups')
        .set({
          ...this.groupColumns(write),
          ...(changes.origin ? { origin: changes.origin } : {}),
          version: expectedVersion + 1,
          updated_at: at,
        })
        .where('tenant_id', '=', this.tenantId)
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .returningAll()
        .executeTakeFirst()
      return row && toGroup(row)
    })
  }

  async touchGroup(id: string, at: string): Promise<void> {
    await this.db
      .updateTable('groups')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: at }))
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute()
  }

  async deleteGroup(id: string): Promise<boolean> {
    // Memberships of the group go with it (foreign key cascade); it also leaves other groups.
    await this.db
      .deleteFrom('group_members')
      .where('tenant_id', '=', this.tenantId)
      .where('group_id', '=', id)
      .execute()
    const result = await this.db
      .deleteFrom('groups')
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    if (Number(result.numDeletedRows) === 0) return false
    await this.leaveAllGroups(id)
    return true
  }

  async listMembers(groupIds: readonly string[]): Promise<Map<string, MemberRecord[]>> {
    const result = new Map<string, MemberRecord[]>()
    for (const id of groupIds) result.set(id, [])
    for (const part of chunks(groupIds)) {
      if (part.length === 0) continue
      const rows = await this.reader
        .selectFrom('group_members as m')
        .leftJoin('tenant_users as u', (join) =>
          join.onRef('u.tenant_id', '=', 'm.tenant_id').onRef('u.user_id', '=', 'm.member_id'),
        )
        .leftJoin('groups as g', (join) =>
          join.onRef('g.tenant_id', '=', 'm.tenant_id').onRef('g.id', '=', 'm.member_id'),
        )
        .select([
          'm.group_id',
          'm.member_id',
          'm.member_type',
          'm.origin',
          'u.display_name as user_display',
          'u.user_name',
          'g.display_name as group_display',
        ])
        .where('m.tenant_id', '=', this.tenantId)
        .where('m.group_id', 'in', part)
        .orderBy('m.group_id')
        .orderBy('m.member_id')
        .execute()
      for (const row of rows) {
        result.get(row.group_id)?.push({
          memberId: row.member_id,
          memberType: row.member_type as MemberType,
          origin: row.origin as Origin,
          display: row.user_display ?? row.user_name ?? row.group_display ?? null,
        })
      }
    }
    return result
  }

  async findMemberTargets(ids: readonly string[]): Promise<Map<string, MemberType>> {
    const result = new Map<string, MemberType>()
    for (const part of chunks([...new Set(ids)])) {
      if (part.length === 0) continue
      const users = await this.reader
        .selectFrom('tenant_users')
        .select('user_id')
        .where('tenant_id', '=', this.tenantId)
        .where('user_id', 'in', part)
        .execute()
      for (const u of users) result.set(u.user_id, 'User')
      const groups = await this.reader
        .selectFrom('groups')
        .select('id')
        .where('tenant_id', '=', this.tenantId)
        .where('id', 'in', part)
        .execute()
      for (const g of groups) result.set(g.id, 'Group')
    }
    return result
  }

  async upsertMembers(
    groupId: string,
    members: readonly MemberReference[],
    origin: Origin,
    at: string,
    options: { keepExisting?: boolean } = {},
  ): Promise<void> {
    // One row per member: PostgreSQL refuses an upsert that touches a row twice.
    const unique = [...new Map(members.map((m) => [m.id, m])).values()]
    for (const part of chunks(unique, 200)) {
      if (part.length === 0) continue
      await this.db
        .insertInto('group_members')
        .values(
          part.map((m) => ({
            tenant_id: this.tenantId,
            group_id: groupId,
            member_id: m.id,
            member_type: m.type,
            origin,
            created_at: at,
          })),
        )
        .onConflict((oc) => {
          const target = oc.columns(['tenant_id', 'group_id', 'member_id'])
          return options.keepExisting ? target.doNothing() : target.doUpdateSet({ origin })
        })
        .execute()
    }
  }

  async removeMembers(
    groupId: string,
    memberIds: readonly string[],
    origin: Origin,
  ): Promise<void> {
    for (const part of chunks(memberIds)) {
      if (part.length === 0) continue
      await this.db
        .deleteFrom('group_members')
        .where('tenant_id', '=', this.tenantId)
        .where('group_id', '=', groupId)
        .where('origin', '=', origin)
        .where('member_id', 'in', part)
        .execute()
    }
  }

  async removeMembersExcept(
    groupId: string,
    keep: readonly string[],
    origin: Origin,
  ): Promise<void> {
    let query = this.db
      .deleteFrom('group_members')
      .where('tenant_id', '=', this.tenantId)
      .where('group_id', '=', groupId)
      .where('origin', '=', origin)
    if (keep.length > 0 && keep.length <= IN_CHUNK) {
      query = query.where('member_id', 'not in', keep)
      await query.execute()
      return
    }
    if (keep.length === 0) {
      await query.execute()
      return
    }
    // A very large replacement set: find the members to drop, then delete them in chunks.
    const keepSet = new Set(keep)
    const current = await this.db
      .selectFrom('group_members')
      .select('member_id')
      .where('tenant_id', '=', this.tenantId)
      .where('group_id', '=', groupId)
      .where('origin', '=', origin)
      .execute()
    await this.removeMembers(
      groupId,
      current.map((r) => r.member_id).filter((id) => !keepSet.has(id)),
      origin,
    )
  }
}

export class SqlStore implements Store {
  readonly dialect: 'sqlite' | 'postgres'
  private readonly cursors: PageCursors
  private readonly reader: Kysely<Database>
  private readonly committer: GroupCommitter<Database, Store> | undefined

  constructor(
    private readonly options: SqlStoreOptions,
    private readonly db: Kysely<Database> = options.db,
    cursors?: PageCursors,
  ) {
    this.dialect = options.dialect.name
    this.cursors = cursors ?? new PageCursors(2000)
    this.reader = db.isTransaction ? db : (options.readDb ?? db)
    this.committer =
      options.groupCommit && !db.isTransaction
        ? new GroupCommitter<Database, Store>(
            db,
            (trx) => new SqlStore(this.options, trx, this.cursors),
            options.translateError,
          )
        : undefined
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      throw this.options.translateError(error)
    }
  }

  async migrate(): Promise<void> {
    const run = () => runMigrations(this.db, this.dialect)
    await (this.options.withMigrationLock ? this.options.withMigrationLock(run) : run())
  }

  async transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this)
    if (this.committer) return this.committer.run(fn)
    return this.guard(() =>
      this.db
        .transaction()
        .execute((trx: Transaction<Database>) => fn(new SqlStore(this.options, trx, this.cursors))),
    )
  }

  forTenant(tenantId: string): TenantStore {
    return new SqlTenantStore(this.db, this.options, this.cursors, tenantId)
  }

  async createTenant(tenant: {
    id: string
    slug: string
    name: string
    createdAt: string
  }): Promise<Tenant> {
    return this.guard(async () => {
      const row = await this.db
        .insertInto('tenants')
        .values({
          id: tenant.id,
          slug: tenant.slug,
          name: tenant.name,
          scim_strict_profile: 0,
          scim_token_id: null,
          scim_token_issued_at: null,
          created_at: tenant.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return toTenant(row)
    })
  }

  async getTenantBySlug(slug: string): Promise<Tenant | undefined> {
    const row = await this.guard(() =>
      this.reader.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst(),
    )
    return row && toTenant(row)
  }

  async getTenantById(id: string): Promise<Tenant | undefined> {
    const row = await this.guard(() =>
      this.reader.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst(),
    )
    return row && toTenant(row)
  }

  async listTenants(): Promise<Tenant[]> {
    const rows = await this.reader.selectFrom('tenants').selectAll().orderBy('slug').execute()
    return rows.map(toTenant)
  }

  async setScimToken(tenantId: string, tokenId: string | null, at: string): Promise<void> {
    await this.guard(() =>
      this.db
        .updateTable('tenants')
        .set({ scim_token_id: tokenId, scim_token_issued_at: tokenId === null ? null : at })
        .where('id', '=', tenantId)
        .execute(),
    )
  }

  async setScimStrictProfile(tenantId: string, strict: boolean): Promise<void> {
    await this.db
      .updateTable('tenants')
      .set({ scim_strict_profile: strict ? 1 : 0 })
      .where('id', '=', tenantId)
      .execute()
  }

  async getSigningKey(): Promise<SigningKeyRecord | undefined> {
    const row = await this.reader
      .selectFrom('signing_keys')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .executeTakeFirst()
    return (
      row && {
        id: row.id,
        algorithm: row.algorithm,
        publicJwk: row.public_jwk,
        privateKeyEncrypted: row.private_key_encrypted,
        createdAt: row.created_at,
      }
    )
  }

  async insertSigningKey(key: SigningKeyRecord): Promise<SigningKeyRecord> {
    // Two processes starting at once may both create a key: the insert happens only when the
    // table is empty, inside a transaction that (on PostgreSQL) holds a lock for the check.
    return this.transaction(async (store) => {
      const trx = (store as SqlStore).db
      if (this.dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(7365021902)`.execute(trx)
      const existing = await trx.selectFrom('signing_keys').select('id').executeTakeFirst()
      if (!existing) {
        await trx
          .insertInto('signing_keys')
          .values({
            id: key.id,
            algorithm: key.algorithm,
            public_jwk: key.publicJwk,
            private_key_encrypted: key.privateKeyEncrypted,
            created_at: key.createdAt,
          })
          .execute()
      }
      const stored = await store.getSigningKey()
      if (!stored) throw new Error('signing key was not stored')
      return stored
    })
  }

  async appendProvisioningLog(entries: readonly ProvisioningLogEntry[]): Promise<void> {
    for (const part of chunks(entries, 50)) {
      if (part.length === 0) continue
      await this.guard(() =>
        this.db
          .insertInto('provisioning_log')
          .values(
            part.map((e) => ({
              tenant_id: e.tenantId,
              at: e.at,
              request_id: e.requestId,
              method: e.method,
              path: e.path,
              operation: e.operation,
              resource_type: e.resourceType,
              resource_id: e.resourceId,
              status: e.status,
              scim_type: e.scimType,
              detail: e.detail,
              duration_ms: e.durationMs,
              client: e.client,
              request_body: e.requestBody,
              response_body: e.responseBody,
            })),
          )
          .execute(),
      )
    }
  }

  async listProvisioningLog(
    tenantId: string,
    options: { limit: number; beforeId?: number | undefined; failuresOnly?: boolean | undefined },
  ): Promise<StoredProvisioningLogEntry[]> {
    let query = this.reader
      .selectFrom('provisioning_log')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('id', 'desc')
      .limit(options.limit)
    if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId)
    if (options.failuresOnly) query = query.where('status', '>=', 400)
    const rows = await query.execute()
    return rows.map((r) => ({
      id: Number(r.id),
      tenantId: r.tenant_id,
      at: r.at,
      requestId: r.request_id,
      method: r.method,
      path: r.path,
      operation: r.operation,
      resourceType: r.resource_type,
      resourceId: r.resource_id,
      status: r.status,
      scimType: r.scim_type,
      detail: r.detail,
      durationMs: r.duration_ms,
      client: r.client,
      requestBody: r.request_body,
      responseBody: r.response_body,
    }))
  }

  async pruneProvisioningLog(before: string, maxRowsPerTenant: number): Promise<number> {
    let deleted = 0
    const old = await this.db
      .deleteFrom('provisioning_log')
      .where('at', '<', before)
      .executeTakeFirst()
    deleted += Number(old.numDeletedRows)
    // The sign-in log follows the same retention (by age; its volume is the users' sign-ins).
    await this.db.deleteFrom('sign_in_log').where('at', '<', before).execute()
    const tenants = await this.db.selectFrom('tenants').select('id').execute()
    for (const { id } of tenants) {
      const cutoff = await this.db
        .selectFrom('provisioning_log')
        .select('id')
        .where('tenant_id', '=', id)
        .orderBy('id', 'desc')
        .offset(maxRowsPerTenant)
        .limit(1)
        .executeTakeFirst()
      if (!cutoff) continue
      const result = await this.db
        .deleteFrom('provisioning_log')
        .where('tenant_id', '=', id)
        .where('id', '<=', cutoff.id)
        .executeTakeFirst()
      deleted += Number(result.numDeletedRows)
    }
    return deleted
  }

  async membershipsOf(userId: string): Promise<MembershipRecord[]> {
    const rows = await this.guard(() =>
      this.reader
        .selectFrom('tenant_users')
        .select(['tenant_id', 'origin', 'active', 'role'])
        .where('user_id', '=', userId)
        .orderBy('tenant_id')
        .execute(),
    )
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      origin: r.origin as Origin,
      active: r.active === 1,
      role: r.role,
    }))
  }

  async createConnection(record: LoginConnectionRecord): Promise<LoginConnectionRecord> {
    return this.guard(async () => {
      const row = await this.db
        .insertInto('login_connections')
        .values({
          id: record.id,
          tenant_id: record.tenantId,
          name: record.name,
          issuer: record.issuer,
          client_id: record.clientId,
          client_secret_encrypted: record.clientSecretEncrypted,
          domain: record.domain,
          domain_norm: normaliseDomain(record.domain),
          status: record.status,
          verified_at: record.verifiedAt,
          jit_enabled: record.jitEnabled ? 1 : 0,
          email_claims: JSON.stringify(record.emailClaims),
          created_at: record.createdAt,
          updated_at: record.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return toConnection(row)
    })
  }

  async getConnection(id: string): Promise<LoginConnectionRecord | undefined> {
    const row = await this.guard(() =>
      this.reader
        .selectFrom('login_connections')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    return row && toConnection(row)
  }

  async getConnectionByDomain(domain: string): Promise<LoginConnectionRecord | undefined> {
    const row = await this.guard(() =>
      this.reader
        .selectFrom('login_connections as c')
        .innerJoin('tenant_domains as d', (join) =>
          join
            .onRef('d.tenant_id', '=', 'c.tenant_id')
            .onRef('d.domain_norm', '=', 'c.domain_norm'),
        )
        .selectAll('c')
        .where('c.domain_norm', '=', normaliseDomain(domain))
        .where('d.status', '=', 'verified')
        .executeTakeFirst(),
    )
    return row && toConnection(row)
  }

  async listConnections(tenantId: string): Promise<LoginConnectionRecord[]> {
    const rows = await this.guard(() =>
      this.reader
        .selectFrom('login_connections')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    )
    return rows.map(toConnection)
  }

  async updateConnection(
    tenantId: string,
    id: string,
    changes: ConnectionChanges,
    at: string,
  ): Promise<LoginConnectionRecord | undefined> {
    return this.guard(async () => {
      const row = await this.db
        .updateTable('login_connections')
        .set({
          ...(changes.name === undefined ? {} : { name: changes.name }),
          ...(changes.issuer === undefined ? {} : { issuer: changes.issuer }),
          ...(changes.clientId === undefined ? {} : { client_id: changes.clientId }),
          ...(changes.clientSecretEncrypted === undefined
            ? {}
            : { client_secret_encrypted: changes.clientSecretEncrypted }),
          ...(changes.domain === undefined
            ? {}
            : { domain: changes.domain, domain_norm: normaliseDomain(changes.domain) }),
          ...(changes.status === undefined ? {} : { status: changes.status }),
          ...(changes.verifiedAt === undefined ? {} : { verified_at: changes.verifiedAt }),
          ...(changes.jitEnabled === undefined ? {} : { jit_enabled: changes.jitEnabled ? 1 : 0 }),
          ...(changes.emailClaims === undefined
            ? {}
            : { email_claims: JSON.stringify(changes.emailClaims) }),
          updated_at: at,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst()
      return row && toConnection(row)
    })
  }

  async deleteConnection(tenantId: string, id: string): Promise<boolean> {
    const result = await this.guard(() =>
      this.db
        .deleteFrom('login_connections')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst(),
    )
    return Number(result.numDeletedRows) > 0
  }

  private get domains(): DomainQueries {
    return new DomainQueries(this.db, this.reader)
  }

  addDomain(record: TenantDomainRecord): Promise<TenantDomainRecord> {
    return this.guard(() => this.domains.add(record))
  }

  getDomain(tenantId: string, domain: string): Promise<TenantDomainRecord | undefined> {
    return this.guard(() => this.domains.get(tenantId, domain))
  }

  listDomains(tenantId: string): Promise<TenantDomainRecord[]> {
    return this.guard(() => this.domains.list(tenantId))
  }

  markDomainVerified(
    tenantId: string,
    domain: string,
    verification: { at: string; method: 'dns' | 'operator'; by: string },
  ): Promise<TenantDomainRecord | undefined> {
    return this.guard(() => this.domains.markVerified(tenantId, domain, verification))
  }

  removeDomain(tenantId: string, domain: string): Promise<boolean> {
    return this.guard(() => this.domains.remove(tenantId, domain))
  }

  domainOwner(domain: string): Promise<string | undefined> {
    return this.guard(() => this.domains.owner(domain))
  }

  async insertAuthorizationState(record: AuthorizationStateRecord): Promise<void> {
    await this.guard(() =>
      this.db
        .insertInto('sso_states')
        .values({
          state: record.state,
          tenant_id: record.tenantId,
          connection_id: record.connectionId,
          purpose: record.purpose,
          nonce: record.nonce,
          code_verifier: record.codeVerifier,
          binding_hash: record.bindingHash,
          created_at: record.createdAt,
          expires_at: record.expiresAt,
        })
        .execute(),
    )
  }

  async consumeAuthorizationState(
    state: string,
    now: string,
  ): Promise<AuthorizationStateRecord | undefined> {
    // DELETE … RETURNING: of two callbacks racing with one state, only one gets the row.
    const row = await this.guard(() =>
      this.db.deleteFrom('sso_states').where('state', '=', state).returningAll().executeTakeFirst(),
    )
    if (!row || row.expires_at <= now) return undefined
    return toAuthorizationState(row)
  }

  async insertOneTimeToken(record: OneTimeTokenRecord): Promise<void> {
    await this.guard(() =>
      this.db
        .insertInto('one_time_tokens')
        .values({
          token_hash: record.tokenHash,
          purpose: record.purpose,
          tenant_id: record.tenantId,
          subject_id: record.subjectId,
          created_at: record.createdAt,
          expires_at: record.expiresAt,
        })
        .execute(),
    )
  }

  async findOneTimeToken(
    tokenHash: string,
    purpose: OneTimeTokenPurpose,
    now: string,
  ): Promise<OneTimeTokenRecord | undefined> {
    const row = await this.guard(() =>
      this.reader
        .selectFrom('one_time_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('purpose', '=', purpose)
        .where('expires_at', '>', now)
        .executeTakeFirst(),
    )
    return row && toOneTimeToken(row)
  }

  async consumeOneTimeToken(
    tokenHash: string,
    purpose: OneTimeTokenPurpose,
    now: string,
  ): Promise<OneTimeTokenRecord | undefined> {
    const row = await this.guard(() =>
      this.db
        .deleteFrom('one_time_tokens')
        .where('token_hash', '=', tokenHash)
        .where('purpose', '=', purpose)
        .returningAll()
        .executeTakeFirst(),
    )
    if (!row || row.expires_at <= now) return undefined
    return toOneTimeToken(row)
  }

  async appendSignInLog(entry: SignInLogEntry): Promise<void> {
    await this.guard(() =>
      this.db
        .insertInto('sign_in_log')
        .values({
          tenant_id: entry.tenantId,
          connection_id: entry.connectionId,
          at: entry.at,
          outcome: entry.outcome,
          email: entry.email,
          detail: entry.detail,
        })
        .execute(),
    )
  }

  async listSignInLog(
    tenantId: string,
    options: { limit: number },
  ): Promise<StoredSignInLogEntry[]> {
    const rows = await this.guard(() =>
      this.reader
        .selectFrom('sign_in_log')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('id', 'desc')
        .limit(options.limit)
        .execute(),
    )
    return rows.map((r) => ({
      id: Number(r.id),
      tenantId: r.tenant_id,
      connectionId: r.connection_id,
      at: r.at,
      outcome: r.outcome,
      email: r.email,
      detail: r.detail,
    }))
  }

  async getLocalCredential(userId: string): Promise<string | undefined> {
    const row = await this.guard(() =>
      this.reader
        .selectFrom('local_credentials')
        .select('password_hash')
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    )
    return row?.password_hash
  }

  async setLocalCredential(userId: string, passwordHash: string, at: string): Promise<void> {
    await this.guard(() =>
      this.db
        .insertInto('local_credentials')
        .values({ user_id: userId, password_hash: passwordHash, updated_at: at })
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet({ password_hash: passwordHash, updated_at: at }),
        )
        .execute(),
    )
  }

  async recordLoginFailure(keys: readonly string[], at: string): Promise<void> {
    if (keys.length === 0) return
    await this.guard(() =>
      this.db
        .insertInto('login_failures')
        .values(keys.map((key) => ({ key, at })))
        .execute(),
    )
  }

  async countLoginFailures(
    key: string,
    since: string,
  ): Promise<{ count: number; oldestAt: string | null; latestAt: string | null }> {
    const row = await this.guard(() =>
      this.reader
        .selectFrom('login_failures')
        .select([
          sql<number | string>`count(*)`.as('n'),
          sql<string | null>`min(at)`.as('oldest'),
          sql<string | null>`max(at)`.as('latest'),
        ])
        .where('key', '=', key)
        .where('at', '>=', since)
        .executeTakeFirstOrThrow(),
    )
    return { count: Number(row.n), oldestAt: row.oldest ?? null, latestAt: row.latest ?? null }
  }

  async clearLoginFailures(key: string): Promise<void> {
    await this.guard(() => this.db.deleteFrom('login_failures').where('key', '=', key).execute())
  }

  async insertSession(record: SessionRecord): Promise<void> {
    await this.guard(() =>
      this.db
        .insertInto('sessions')
        .values({
          id_hash: record.idHash,
          user_id: record.userId,
          tenant_id: record.tenantId,
          created_at: record.createdAt,
          last_seen_at: record.lastSeenAt,
          idle_expires_at: record.idleExpiresAt,
          absolute_expires_at: record.absoluteExpiresAt,
        })
        .execute(),
    )
  }

  async getSession(idHash: string): Promise<SessionView | undefined> {
    // Reads committed rows only (SQLite: the read connection): a revocation is seen once committed.
    const row = await this.guard(() =>
      this.reader
        .selectFrom('sessions as s')
        .innerJoin('tenant_users as u', (join) =>
          join.onRef('u.tenant_id', '=', 's.tenant_id').onRef('u.user_id', '=', 's.user_id'),
        )
        .innerJoin('tenants as t', 't.id', 's.tenant_id')
        .select([
          's.id_hash',
          's.user_id',
          's.tenant_id',
          's.created_at',
          's.last_seen_at',
          's.idle_expires_at',
          's.absolute_expires_at',
          't.slug',
          'u.user_name',
          'u.role',
          'u.active',
        ])
        .where('s.id_hash', '=', idHash)
        .executeTakeFirst(),
    )
    return (
      row && {
        idHash: row.id_hash,
        userId: row.user_id,
        tenantId: row.tenant_id,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        idleExpiresAt: row.idle_expires_at,
        absoluteExpiresAt: row.absolute_expires_at,
        tenantSlug: row.slug,
        userName: row.user_name,
        role: row.role,
        active: row.active === 1,
      }
    )
  }

  async touchSession(idHash: string, lastSeenAt: string, idleExpiresAt: string): Promise<void> {
    await this.guard(() =>
      this.db
        .updateTable('sessions')
        .set({ last_seen_at: lastSeenAt, idle_expires_at: idleExpiresAt })
        .where('id_hash', '=', idHash)
        .execute(),
    )
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.guard(() => this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute())
  }

  async deleteSessionsOf(tenantId: string, userId: string): Promise<number> {
    const result = await this.guard(() =>
      this.db
        .deleteFrom('sessions')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    )
    return Number(result.numDeletedRows)
  }

  async pruneExpiredSignInState(now: string, failuresBefore: string): Promise<void> {
    await this.guard(async () => {
      await this.db.deleteFrom('sso_states').where('expires_at', '<=', now).execute()
      await this.db.deleteFrom('one_time_tokens').where('expires_at', '<=', now).execute()
      await this.db
        .deleteFrom('sessions')
        .where((eb) =>
          eb.or([eb('idle_expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]),
        )
        .execute()
      await this.db.deleteFrom('login_failures').where('at', '<', failuresBefore).execute()
    })
  }

  async getServiceSetting(key: string): Promise<ServiceSettingRecord | undefined> {
    const row = await this.guard(() =>
      this.reader
        .selectFrom('service_settings')
        .select(['key', 'value', 'updated_at'])
        .where('key', '=', key)
        .executeTakeFirst(),
    )
    return row && { key: row.key, value: row.value, updatedAt: row.updated_at }
  }

  async setServiceSetting(key: string, value: string, at: string): Promise<void> {
    await this.guard(() =>
      this.db
        .insertInto('service_settings')
        .values({ key, value, updated_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
        .execute(),
    )
  }

  translateError(error: unknown): unknown {
    return this.options.translateError(error)
  }

  async ping(): Promise<void> {
    await this.guard(() => sql`select 1`.execute(this.db))
  }

  async close(): Promise<void> {
    await this.db.destroy()
    if (this.options.readDb && this.options.readDb !== this.db) await this.options.readDb.destroy()
    await this.options.onClose?.()
  }
}
