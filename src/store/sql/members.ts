// The group_members table: a group's members with their origin (G3–G5). Every change costs
// O(members given): row inserts and deletes in chunks, never a rewrite of a member list. When the
// group has a role rule, the roles of the members that came or went are recomputed (role-rules.ts).
import { sql, type Kysely } from 'kysely'
import type { GroupId, MemberId, TenantId } from '../../domain/ids.ts'
import type { Origin } from '../../domain/types.ts'
import {
  memberReference,
  type MemberChange,
  type MemberRecord,
  type MemberReference,
  type MemberRepository,
  type MemberType,
} from '../store.ts'
import { chunks, IN_CHUNK } from './chunks.ts'
import type { SqlContext } from './context.ts'
import { insertRows } from './prepared-writes.ts'
import { hasRoleRule, refreshRoles } from './role-rules.ts'
import type { Database } from './tables.ts'

/** Removes a deleted user or group from every group of the tenant it was a member of. */
export async function leaveAllGroups(
  db: Kysely<Database>,
  tenantId: TenantId,
  memberId: MemberId,
): Promise<void> {
  await db
    .deleteFrom('group_members')
    .where('tenant_id', '=', tenantId)
    .where('member_id', '=', memberId)
    .execute()
}

/**
 * A tenant's member rows with what names each member (the user's display name or userName, the
 * group's display name): the one join both list() and page() read.
 */
function memberRows(db: Kysely<Database>, tenantId: TenantId) {
  return db
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
    .where('m.tenant_id', '=', tenantId)
}

function toMember(row: {
  member_id: string
  member_type: string
  origin: string
  user_display: string | null
  user_name: string | null
  group_display: string | null
}): MemberRecord {
  return {
    memberId: row.member_id as MemberId,
    memberType: row.member_type as MemberType,
    origin: row.origin as Origin,
    display: row.user_display ?? row.user_name ?? row.group_display ?? null,
  }
}

export class SqlMembers implements MemberRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async list(groupIds: readonly GroupId[]): Promise<Map<GroupId, MemberRecord[]>> {
    const result = new Map<GroupId, MemberRecord[]>()
    for (const id of groupIds) result.set(id, [])
    for (const part of chunks(groupIds)) {
      if (part.length === 0) continue
      const rows = await memberRows(this.ctx.reader, this.tenantId)
        .where('m.group_id', 'in', part)
        .orderBy('m.group_id')
        .orderBy('m.member_id')
        .execute()
      for (const row of rows) result.get(row.group_id as GroupId)?.push(toMember(row))
    }
    return result
  }

  async page(
    groupId: GroupId,
    query: { after?: string | undefined; limit: number },
  ): Promise<{ items: MemberRecord[]; total: number }> {
    let select = memberRows(this.ctx.reader, this.tenantId).where('m.group_id', '=', groupId)
    if (query.after !== undefined) select = select.where('m.member_id', '>', query.after)
    const rows = await select
      .orderBy('m.member_id')
      .limit(Math.max(0, Math.trunc(query.limit)))
      .execute()
    const count = await this.ctx.reader
      .selectFrom('group_members')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('tenant_id', '=', this.tenantId)
      .where('group_id', '=', groupId)
      .executeTakeFirst()
    return {
      items: rows.map(toMember),
      total: Number(count?.n ?? 0),
    }
  }

  async scan(
    groupId: GroupId,
    query: { after?: string | undefined; limit: number; origin: Origin },
  ): Promise<MemberRecord[]> {
    let select = memberRows(this.ctx.reader, this.tenantId)
      .where('m.group_id', '=', groupId)
      .where('m.origin', '=', query.origin)
    if (query.after !== undefined) select = select.where('m.member_id', '>', query.after)
    const rows = await select
      .orderBy('m.member_id')
      .limit(Math.max(0, Math.trunc(query.limit)))
      .execute()
    return rows.map(toMember)
  }

  async findTargets(ids: readonly string[]): Promise<Map<string, MemberType>> {
    const result = new Map<string, MemberType>()
    for (const part of chunks([...new Set(ids)])) {
      if (part.length === 0) continue
      // One round trip for both tables: a PATCH add of 100 members runs this once.
      const rows = await this.ctx.reader
        .selectFrom('tenant_users')
        .select(['user_id as id', sql<MemberType>`'User'`.as('type')])
        .where('tenant_id', '=', this.tenantId)
        .where('user_id', 'in', part)
        .unionAll(
          this.ctx.reader
            .selectFrom('groups')
            .select(['id', sql<MemberType>`'Group'`.as('type')])
            .where('tenant_id', '=', this.tenantId)
            .where('id', 'in', part),
        )
        .execute()
      // A user and a group never share an id (both are fresh UUIDs); if they did, the group wins,
      // as it always has.
      for (const row of rows) {
        if (row.type === 'Group' || !result.has(row.id)) result.set(row.id, row.type)
      }
    }
    return result
  }

  async upsert(
    groupId: GroupId,
    members: readonly MemberReference[],
    origin: Origin,
    at: string,
    options: { keepExisting?: boolean } = {},
  ): Promise<MemberChange> {
    // One row per member: PostgreSQL refuses an upsert that touches a row twice.
    const unique = [...new Map(members.map((m) => [m.id, m])).values()]
    const added: MemberReference[] = []
    for (const part of chunks(unique, 200)) {
      if (part.length === 0) continue
      // One statement in the usual case: the rows it inserts come back, so they are the members
      // added; whoever was a member already only has their origin set (no membership added).
      const inserted = new Set(
        (
          await insertRows<{ member_id: string }>(
            this.ctx.db,
            this.ctx.dialect.name,
            'group_members',
            part.map((m) => ({
              tenant_id: this.tenantId,
              group_id: groupId,
              member_id: m.id,
              member_type: m.type,
              origin,
              created_at: at,
            })),
            {
              returning: ['member_id'],
              onConflictDoNothing: ['tenant_id', 'group_id', 'member_id'],
            },
          )
        ).map((r) => r.member_id),
      )
      const present = part.filter((m) => !inserted.has(m.id)).map((m) => m.id)
      if (present.length > 0 && !options.keepExisting) {
        await this.ctx.db
          .updateTable('group_members')
          .set({ origin })
          .where('tenant_id', '=', this.tenantId)
          .where('group_id', '=', groupId)
          .where('member_id', 'in', present)
          .where('origin', '<>', origin)
          .execute()
      }
      for (const m of part) if (inserted.has(m.id)) added.push(m)
    }
    const roleChanged =
      added.length > 0 && (await hasRoleRule(this.ctx.db, this.tenantId, groupId))
        ? await refreshRoles(
            this.ctx.db,
            this.tenantId,
            added.filter((m) => m.type === 'User').map((m) => m.id),
          )
        : []
    return { members: added, roleChanged }
  }

  async remove(
    groupId: GroupId,
    memberIds: readonly MemberId[],
    origin: Origin,
  ): Promise<MemberChange> {
    const removed: MemberReference[] = []
    for (const part of chunks(memberIds)) {
      if (part.length === 0) continue
      const rows = await this.ctx.db
        .deleteFrom('group_members')
        .where('tenant_id', '=', this.tenantId)
        .where('group_id', '=', groupId)
        .where('origin', '=', origin)
        .where('member_id', 'in', part)
        .returning(['member_id', 'member_type'])
        .execute()
      for (const r of rows) removed.push(memberReference(r.member_id, r.member_type as MemberType))
    }
    const roleChanged =
      removed.length > 0 && (await hasRoleRule(this.ctx.db, this.tenantId, groupId))
        ? await refreshRoles(
            this.ctx.db,
            this.tenantId,
            removed.map((m) => m.id),
          )
        : []
    return { members: removed, roleChanged }
  }

  async removeExcept(
    groupId: GroupId,
    keep: readonly MemberId[],
    origin: Origin,
  ): Promise<MemberChange> {
    if (keep.length <= IN_CHUNK) {
      let query = this.ctx.db
        .deleteFrom('group_members')
        .where('tenant_id', '=', this.tenantId)
        .where('group_id', '=', groupId)
        .where('origin', '=', origin)
      if (keep.length > 0) query = query.where('member_id', 'not in', keep)
      const removed = (await query.returning(['member_id', 'member_type']).execute()).map((r) =>
        memberReference(r.member_id, r.member_type as MemberType),
      )
      // The group gives a role: the members who left get theirs recomputed.
      const roleChanged =
        removed.length > 0 && (await hasRoleRule(this.ctx.db, this.tenantId, groupId))
          ? await refreshRoles(
              this.ctx.db,
              this.tenantId,
              removed.map((m) => m.id),
            )
          : []
      return { members: removed, roleChanged }
    }
    // A very large replacement set: find the members to drop, then delete them in chunks.
    const keepSet = new Set(keep)
    const current = await this.ctx.db
      .selectFrom('group_members')
      .select('member_id')
      .where('tenant_id', '=', this.tenantId)
      .where('group_id', '=', groupId)
      .where('origin', '=', origin)
      .execute()
    return this.remove(
      groupId,
      current.map((r) => r.member_id as MemberId).filter((id) => !keepSet.has(id)),
      origin,
    )
  }
}
