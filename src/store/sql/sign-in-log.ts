// The sign_in_log table: one tenant's sign-in outcomes (SSO and local), newest first; retention
// by age runs across tenants.
import { asConnectionId, asTenantId, type TenantId } from '../../domain/ids.ts'
import type {
  SignInLogRepository,
  SignInLogRetention,
  SignInLogWrite,
  StoredSignInLogEntry,
} from '../store.ts'
import type { SqlContext } from './context.ts'

/** Retention across tenants. */
export class SqlSignInLogRetention implements SignInLogRetention {
  constructor(private readonly ctx: SqlContext) {}

  async prune(before: string): Promise<void> {
    await this.ctx.db.deleteFrom('sign_in_log').where('at', '<', before).execute()
  }
}

/** One tenant's log. */
export class SqlSignInLog implements SignInLogRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async append(entry: SignInLogWrite): Promise<void> {
    await this.ctx.db
      .insertInto('sign_in_log')
      .values({
        tenant_id: this.tenantId,
        connection_id: entry.connectionId,
        at: entry.at,
        outcome: entry.outcome,
        email: entry.email,
        detail: entry.detail,
      })
      .execute()
  }

  async list(options: { limit: number }): Promise<StoredSignInLogEntry[]> {
    const rows = await this.ctx.reader
      .selectFrom('sign_in_log')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('id', 'desc')
      .limit(options.limit)
      .execute()
    return rows.map((r) => ({
      id: Number(r.id),
      tenantId: asTenantId(r.tenant_id),
      connectionId: r.connection_id === null ? null : asConnectionId(r.connection_id),
      at: r.at,
      outcome: r.outcome,
      email: r.email,
      detail: r.detail,
    }))
  }
}
