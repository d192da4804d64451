// Origins of one tenant's records: counts and samples of what SCIM controls, and the hand back to
// INTERNAL in bounded chunks (each UPDATE takes at most `limit` rows by a LIMIT subquery).
import { sql } from 'kysely'
import { asGroupId, asUserId, type GroupId, type TenantId, type UserId } from '../../domain/ids.ts'
import type { OriginRepository, ReleasedCounts, ScimControlledSummary } from '../store.ts'
import type { SqlContext } from './context.ts'

export class SqlOrigins implements OriginRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async scimControlled(sampleSize: number): Promise<ScimControlledSummary> {
    const db = this.ctx.reader
    const count = (n: number | string | bigint | undefined) => Number(n ?? 0)
    const users = await db
      .selectFrom('tenant_users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', this.tenantId)
      .where('origin', '=', 'SCIM')
      .executeTakeFirst()
    const userSample = await db
      .selectFrom('tenant_users')
      .select(['user_id', 'user_name'])
      .where('tenant_id', '=', this.tenantId)
      .where('origin', '=', 'SCIM')
      .orderBy('user_name_norm')
      .limit(sampleSize)
      .execute()
    const groups = await db
      .selectFrom('groups')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', this.tenantId)
      .where('origin', '=', 'SCIM')
      .executeTakeFirst()
    const groupSample = await db
      .selectFrom('groups')
      .select(['id', 'display_name'])
      .where('tenant_id', '=', this.tenantId)
      .where('origin', '=', 'SCIM')
      .orderBy('display_name_norm')
      .limit(sampleSize)
      .execute()
    const memberships = await db
      .selectFrom('group_members')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', this.tenantId)
      .where('origin', '=', 'SCIM')
      .executeTakeFirst()
    return {
      users: {
        count: count(users?.n),
        sample: userSample.map((r) => ({ id: asUserId(r.user_id), userName: r.user_name })),
      },
      groups: {
        count: count(groups?.n),
        sample: groupSample.map((r) => ({ id: asGroupId(r.id), displayName: r.display_name })),
      },
      memberships: { count: count(memberships?.n) },
    }
  }

  async releaseToInternal(
    limit: number,
    at: string,
    released?: { userIds: UserId[]; groupIds: GroupId[] },
  ): Promise<ReleasedCounts> {
    const db = this.ctx.db
    let budget = limit
    const userIds = budget
      ? (
          await db
            .updateTable('tenant_users')
            .set((eb) => ({ origin: 'INTERNAL', version: eb('version', '+', 1), updated_at: at }))
            .where('tenant_id', '=', this.tenantId)
            .where('user_id', 'in', (eb) =>
              eb
                .selectFrom('tenant_users')
                .select('user_id')
                .where('tenant_id', '=', this.tenantId)
                .where('origin', '=', 'SCIM')
                .limit(budget),
            )
            .returning('user_id')
            .execute()
        ).map((r) => r.user_id as UserId)
      : []
    const users = userIds.length
    budget -= users
    const groupIds = budget
      ? (
          await db
            .updateTable('groups')
            .set((eb) => ({ origin: 'INTERNAL', version: eb('version', '+', 1), updated_at: at }))
            .where('tenant_id', '=', this.tenantId)
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('groups')
                .select('id')
                .where('tenant_id', '=', this.tenantId)
                .where('origin', '=', 'SCIM')
                .limit(budget),
            )
            .returning('id')
            .execute()
        ).map((r) => r.id as GroupId)
      : []
    const groups = groupIds.length
    released?.userIds.push(...userIds)
    released?.groupIds.push(...groupIds)
    budget -= groups
    // Memberships have a two-column key within the tenant: a row-value IN (both engines).
    const memberships = budget
      ? Number(
          (
            await db
              .updateTable('group_members')
              .set({ origin: 'INTERNAL' })
              .where('tenant_id', '=', this.tenantId)
              .where(
                sql<boolean>`(group_id, member_id) in (select group_id, member_id from group_members where tenant_id = ${this.tenantId} and origin = 'SCIM' limit ${budget})`,
              )
              .executeTakeFirst()
          ).numUpdatedRows,
        )
      : 0
    return { users, groups, memberships }
  }
}
