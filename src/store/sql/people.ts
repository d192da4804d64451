// A person across tenants: their memberships everywhere (D7) and their local password
// (local_credentials), which belong to the person, not to one tenant's data.
import { asTenantId, type UserId } from '../../domain/ids.ts'
import type { Origin } from '../../domain/types.ts'
import type { MembershipRecord, PersonRepository } from '../store.ts'
import type { SqlContext } from './context.ts'

export class SqlPeople implements PersonRepository {
  constructor(private readonly ctx: SqlContext) {}

  async membershipsOf(userId: UserId): Promise<MembershipRecord[]> {
    const rows = await this.ctx.reader
      .selectFrom('tenant_users')
      .select(['tenant_id', 'origin', 'active', 'role'])
      .where('user_id', '=', userId)
      .orderBy('tenant_id')
      .execute()
    return rows.map((r) => ({
      tenantId: asTenantId(r.tenant_id),
      origin: r.origin as Origin,
      active: r.active === 1,
      role: r.role,
    }))
  }

  async getLocalCredential(userId: UserId): Promise<string | undefined> {
    const row = await this.ctx.reader
      .selectFrom('local_credentials')
      .select('password_hash')
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row?.password_hash
  }

  async setLocalCredential(userId: UserId, passwordHash: string, at: string): Promise<void> {
    await this.ctx.db
      .insertInto('local_credentials')
      .values({ user_id: userId, password_hash: passwordHash, updated_at: at })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ password_hash: passwordHash, updated_at: at }),
      )
      .execute()
  }
}
