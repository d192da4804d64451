// The users (people: one global identity per email, D1) and tenant_users (memberships, with the
// SCIM document) tables, and user_emails, seen from one tenant.
import { sql, type ExpressionBuilder, type Insertable, type Selectable, type SqlBool } from 'kysely'
import { normaliseName } from '../../domain/directory-rules.ts'
import { asGroupId, asUserId, type TenantId, type UserId } from '../../domain/ids.ts'
import type { Origin } from '../../domain/types.ts'
import type {
  GroupReference,
  ListQuery,
  Page,
  PersonIdentity,
  UserRecord,
  UserRepository,
  UserSearch,
  UserSearchPage,
  UserWrite,
} from '../store.ts'
import { chunks } from './chunks.ts'
import { emailRowsOf, foldName, toUser, userColumnsOf } from './columns.ts'
import type { SqlContext } from './context.ts'
import type { Database, TenantUsersTable } from './tables.ts'
import { insertRows } from './prepared-writes.ts'
import { listPage } from './listing.ts'
import { firstUserPage, getUser } from './user-reads.ts'
import { leaveAllGroups } from './members.ts'
import { effectiveRoleSql } from './role-rules.ts'

/** A LIKE pattern's literal text: its wildcards and the escape character escaped by a backslash. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}

export class SqlUsers implements UserRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  get(
    id: UserId,
    options: { readonly withGroups?: boolean } = {},
  ): Promise<UserRecord | undefined> {
    return getUser(this.ctx, this.tenantId, id, options.withGroups === true)
  }

  async getMany(ids: readonly UserId[]): Promise<UserRecord[]> {
    const out: UserRecord[] = []
    for (const part of chunks([...new Set(ids)])) {
      if (part.length === 0) continue
      const rows = await this.ctx.reader
        .selectFrom('tenant_users')
        .selectAll()
        .where('tenant_id', '=', this.tenantId)
        .where('user_id', 'in', part)
        .orderBy('user_id')
        .execute()
      out.push(...rows.map(toUser))
    }
    return out
  }

  async list(query: ListQuery): Promise<Page<UserRecord>> {
    return (
      (await firstUserPage(this.ctx, this.tenantId, query)) ??
      listPage(this.ctx, this.tenantId, query, 'User', toUser)
    )
  }

  async search(query: UserSearch): Promise<UserSearchPage> {
    const text = query.text?.trim() ? `%${escapeLike(foldName(query.text.trim()))}%` : undefined
    const matching = (eb: ExpressionBuilder<Database, 'tenant_users'>) =>
      eb.and([
        eb('tenant_id', '=', this.tenantId),
        ...(text === undefined
          ? []
          : [
              sql<SqlBool>`(user_name_norm like ${text} escape '\\' or display_name_norm like ${text} escape '\\')`,
            ]),
        ...(query.origin === undefined ? [] : [eb('origin', '=', query.origin)]),
        ...(query.role === undefined ? [] : [eb('role', '=', query.role)]),
        ...(query.active === undefined ? [] : [eb('active', '=', query.active ? 1 : 0)]),
      ])
    let select = this.ctx.reader.selectFrom('tenant_users').selectAll().where(matching)
    if (query.after !== undefined) select = select.where('user_id', '>', query.after)
    const rows = await select
      .orderBy('user_id')
      .limit(query.limit + 1)
      .execute()
    const items = rows.slice(0, query.limit).map(toUser)
    const hasMore = rows.length > query.limit
    // A first page that is not full counts itself.
    const total =
      query.after === undefined && !hasMore
        ? items.length
        : Number(
            (
              await this.ctx.reader
                .selectFrom('tenant_users')
                .select(sql<number>`count(*)`.as('n'))
                .where(matching)
                .executeTakeFirstOrThrow()
            ).n,
          )
    return { items, total, hasMore }
  }

  async findIdByUserName(userName: string): Promise<UserId | undefined> {
    const row = await this.ctx.reader
      .selectFrom('tenant_users')
      .select('user_id')
      .where('tenant_id', '=', this.tenantId)
      .where('user_name_norm', '=', normaliseName(userName))
      .executeTakeFirst()
    return row && asUserId(row.user_id)
  }

  async identityByEmail(emailNorm: string): Promise<PersonIdentity | undefined> {
    const user = await this.ctx.reader
      .selectFrom('users')
      .select('id')
      .where('email_norm', '=', emailNorm)
      .executeTakeFirst()
    if (!user) return undefined
    const memberships = await this.ctx.reader
      .selectFrom('tenant_users')
      .select(['tenant_id', 'origin'])
      .where('user_id', '=', user.id)
      .execute()
    const here = memberships.find((m) => m.tenant_id === this.tenantId)
    return {
      userId: asUserId(user.id),
      inThisTenant: here ? { origin: here.origin as Origin } : undefined,
      otherTenantCount: memberships.filter((m) => m.tenant_id !== this.tenantId).length,
      scimControlledElsewhere: memberships.some(
        (m) => m.tenant_id !== this.tenantId && m.origin === 'SCIM',
      ),
    }
  }

  async insertIdentity(userId: UserId, emailNorm: string | null, at: string): Promise<void> {
    await insertRows(this.ctx.db, this.ctx.dialect.name, 'users', [
      { id: userId, email_norm: emailNorm, created_at: at },
    ])
  }

  async setIdentityEmail(userId: UserId, emailNorm: string | null): Promise<void> {
    await this.ctx.db
      .updateTable('users')
      .set({ email_norm: emailNorm })
      .where('id', '=', userId)
      .execute()
  }

  private async writeEmails(userId: UserId, write: UserWrite, replace: boolean): Promise<void> {
    if (replace) {
      await this.ctx.db
        .deleteFrom('user_emails')
        .where('tenant_id', '=', this.tenantId)
        .where('user_id', '=', userId)
        .execute()
    }
    const rows = emailRowsOf(this.tenantId, userId, write.emails)
    // 7 bound values a row: one statement for thousands of emails passes SQLite's limit.
    for (const part of chunks(rows)) {
      await insertRows(this.ctx.db, this.ctx.dialect.name, 'user_emails', part)
    }
  }

  async insert(
    userId: UserId,
    write: UserWrite,
    membership: { origin: Origin; role: string },
    at: string,
  ): Promise<UserRecord> {
    const values: Insertable<TenantUsersTable> = {
      tenant_id: this.tenantId,
      user_id: userId,
      ...userColumnsOf(write),
      origin: membership.origin,
      role: membership.role,
      assigned_role: membership.role,
      password_hash: write.passwordHash ?? null,
      version: 1,
      created_at: at,
      updated_at: at,
    }
    const [row] = await insertRows<Selectable<TenantUsersTable>>(
      this.ctx.db,
      this.ctx.dialect.name,
      'tenant_users',
      [values],
      { returning: 'all' },
    )
    if (row === undefined) throw new Error('INSERT … RETURNING returned no row')
    await this.writeEmails(userId, write, false)
    return toUser(row)
  }

  async update(
    id: UserId,
    expectedVersion: number,
    write: UserWrite,
    at: string,
    changes: { origin?: Origin } = {},
  ): Promise<UserRecord | undefined> {
    const row = await this.ctx.db
      .updateTable('tenant_users')
      .set({
        ...userColumnsOf(write),
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
  }

  async delete(id: UserId): Promise<boolean> {
    const result = await this.ctx.db
      .deleteFrom('tenant_users')
      .where('tenant_id', '=', this.tenantId)
      .where('user_id', '=', id)
      .executeTakeFirst()
    if (Number(result.numDeletedRows) === 0) return false
    // Its user_emails rows go by foreign-key cascade.
    await leaveAllGroups(this.ctx.db, this.tenantId, id)
    return true
  }

  async setRole(id: UserId, role: string, at: string): Promise<UserRecord | undefined> {
    const row = await this.ctx.db
      .updateTable('tenant_users')
      .set((eb) => ({
        assigned_role: role,
        // The highest of the new own role and the member's group rules (role-rules.ts).
        role: effectiveRoleSql(sql`cast(${role} as text)`),
        version: eb('version', '+', 1),
        updated_at: at,
      }))
      .where('tenant_id', '=', this.tenantId)
      .where('user_id', '=', id)
      .returningAll()
      .executeTakeFirst()
    return row && toUser(row)
  }

  async groupsOf(userIds: readonly UserId[]): Promise<Map<UserId, GroupReference[]>> {
    const result = new Map<UserId, GroupReference[]>()
    for (const part of chunks(userIds)) {
      if (part.length === 0) continue
      const rows = await this.ctx.reader
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
        const userId = asUserId(row.member_id)
        const list = result.get(userId) ?? []
        list.push({ groupId: asGroupId(row.id), display: row.display_name })
        result.set(userId, list)
      }
    }
    for (const list of result.values()) list.sort((a, b) => (a.groupId < b.groupId ? -1 : 1))
    return result
  }
}
