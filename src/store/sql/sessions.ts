// The sessions table (console sign-in, D9): looked up by the hash of the cookie's id across
// tenants; created and ended for one member through their tenant.
import { asTenantId, asUserId, type TenantId, type UserId } from '../../domain/ids.ts'
import type { SessionLookup, SessionRepository, SessionView, SessionWrite } from '../store.ts'
import type { SqlContext } from './context.ts'

/** Sessions by id hash, whatever their tenant. */
export class SqlSessionLookup implements SessionLookup {
  constructor(private readonly ctx: SqlContext) {}

  async get(idHash: string): Promise<SessionView | undefined> {
    // Reads committed rows only (SQLite: the read connection): a revocation is seen once committed.
    const row = await this.ctx.reader
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
      .executeTakeFirst()
    return (
      row && {
        idHash: row.id_hash,
        userId: asUserId(row.user_id),
        tenantId: asTenantId(row.tenant_id),
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

  async touch(idHash: string, lastSeenAt: string, idleExpiresAt: string): Promise<void> {
    await this.ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: lastSeenAt, idle_expires_at: idleExpiresAt })
      .where('id_hash', '=', idHash)
      .execute()
  }

  async delete(idHash: string): Promise<void> {
    await this.ctx.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
  }

  async pruneExpired(now: string): Promise<void> {
    await this.ctx.db
      .deleteFrom('sessions')
      .where((eb) =>
        eb.or([eb('idle_expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]),
      )
      .execute()
  }
}

/** The sessions of one tenant's members. */
export class SqlSessions implements SessionRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async insert(record: SessionWrite): Promise<void> {
    await this.ctx.db
      .insertInto('sessions')
      .values({
        id_hash: record.idHash,
        user_id: record.userId,
        tenant_id: this.tenantId,
        created_at: record.createdAt,
        last_seen_at: record.lastSeenAt,
        idle_expires_at: record.idleExpiresAt,
        absolute_expires_at: record.absoluteExpiresAt,
      })
      .execute()
    await this.ctx.db
      .updateTable('tenant_users')
      .set({ last_sign_in_at: record.createdAt })
      .where('tenant_id', '=', this.tenantId)
      .where('user_id', '=', record.userId)
      .execute()
  }

  async deleteOf(userId: UserId): Promise<number> {
    const result = await this.ctx.db
      .deleteFrom('sessions')
      .where('tenant_id', '=', this.tenantId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}
