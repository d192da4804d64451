// The groups table (identified by name, G1) seen from one tenant; members live in members.ts.
import { normaliseName } from '../../domain/directory-rules.ts'
import type { GroupId, TenantId, UserId } from '../../domain/ids.ts'
import type { Origin } from '../../domain/types.ts'
import type { GroupRecord, GroupRepository, GroupWrite, ListQuery, Page } from '../store.ts'
import { chunks } from './chunks.ts'
import { groupColumnsOf, toGroup } from './columns.ts'
import type { SqlContext } from './context.ts'
import { listPage } from './listing.ts'
import { leaveAllGroups } from './members.ts'
import { deleteRoleRule } from './role-rules.ts'

export class SqlGroups implements GroupRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async get(id: GroupId): Promise<GroupRecord | undefined> {
    const row = await this.ctx.reader
      .selectFrom('groups')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toGroup(row)
  }

  async getMany(ids: readonly GroupId[]): Promise<GroupRecord[]> {
    const out: GroupRecord[] = []
    for (const part of chunks([...new Set(ids)])) {
      if (part.length === 0) continue
      const rows = await this.ctx.reader
        .selectFrom('groups')
        .selectAll()
        .where('tenant_id', '=', this.tenantId)
        .where('id', 'in', part)
        .orderBy('id')
        .execute()
      out.push(...rows.map(toGroup))
    }
    return out
  }

  async getByName(displayName: string): Promise<GroupRecord | undefined> {
    const row = await this.ctx.reader
      .selectFrom('groups')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('display_name_norm', '=', normaliseName(displayName))
      .executeTakeFirst()
    return row && toGroup(row)
  }

  list(query: ListQuery): Promise<Page<GroupRecord>> {
    return listPage(this.ctx, this.tenantId, query, 'Group', toGroup)
  }

  async insert(id: GroupId, write: GroupWrite, origin: Origin, at: string): Promise<GroupRecord> {
    const row = await this.ctx.db
      .insertInto('groups')
      .values({
        tenant_id: this.tenantId,
        id,
        ...groupColumnsOf(write),
        origin,
        version: 1,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toGroup(row)
  }

  async update(
    id: GroupId,
    expectedVersion: number,
    write: GroupWrite,
    at: string,
    changes: { origin?: Origin } = {},
  ): Promise<GroupRecord | undefined> {
    const row = await this.ctx.db
      .updateTable('groups')
      .set({
        ...groupColumnsOf(write),
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
  }

  async touch(id: GroupId, at: string): Promise<GroupRecord | undefined> {
    const row = await this.ctx.db
      .updateTable('groups')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: at }))
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    return row && toGroup(row)
  }

  async delete(id: GroupId, roleChanges?: UserId[]): Promise<boolean> {
    // A rule of the group goes first, so that its members' roles are recomputed without it while
    // they are still its members (one UPDATE).
    const changed = await deleteRoleRule(this.ctx.db, this.tenantId, id)
    // A loop, not push(...changed): the rule of a very large group moves more roles than one
    // call takes arguments.
    if (changed && roleChanges) for (const userId of changed) roleChanges.push(userId)
    // Memberships of the group go with it (foreign key cascade); it also leaves other groups.
    await this.ctx.db
      .deleteFrom('group_members')
      .where('tenant_id', '=', this.tenantId)
      .where('group_id', '=', id)
      .execute()
    const result = await this.ctx.db
      .deleteFrom('groups')
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    if (Number(result.numDeletedRows) === 0) return false
    await leaveAllGroups(this.ctx.db, this.tenantId, id)
    return true
  }
}
