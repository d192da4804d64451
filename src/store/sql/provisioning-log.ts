// The provisioning_log table (SPEC §5): one tenant's trail of SCIM requests, appended in batches
// by the log writer; retention (by age, and by count per tenant) runs across tenants.
import { asTenantId, type TenantId } from '../../domain/ids.ts'
import type {
  ProvisioningLogRepository,
  ProvisioningLogRetention,
  ProvisioningLogWrite,
  StoredProvisioningLogEntry,
} from '../store.ts'
import { chunks } from './chunks.ts'
import type { SqlContext } from './context.ts'

/** Retention across tenants. */
export class SqlProvisioningLogRetention implements ProvisioningLogRetention {
  constructor(private readonly ctx: SqlContext) {}

  async prune(before: string, maxRowsPerTenant: number): Promise<number> {
    const db = this.ctx.db
    let deleted = 0
    const old = await db.deleteFrom('provisioning_log').where('at', '<', before).executeTakeFirst()
    deleted += Number(old.numDeletedRows)
    const tenants = await db.selectFrom('tenants').select('id').execute()
    for (const { id } of tenants) {
      const cutoff = await db
        .selectFrom('provisioning_log')
        .select('id')
        .where('tenant_id', '=', id)
        .orderBy('id', 'desc')
        .offset(maxRowsPerTenant)
        .limit(1)
        .executeTakeFirst()
      if (!cutoff) continue
      const result = await db
        .deleteFrom('provisioning_log')
        .where('tenant_id', '=', id)
        .where('id', '<=', cutoff.id)
        .executeTakeFirst()
      deleted += Number(result.numDeletedRows)
    }
    return deleted
  }
}

/** One tenant's log. */
export class SqlProvisioningLog implements ProvisioningLogRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async append(entries: readonly ProvisioningLogWrite[]): Promise<void> {
    for (const part of chunks(entries, 50)) {
      if (part.length === 0) continue
      await this.ctx.db
        .insertInto('provisioning_log')
        .values(
          part.map((e) => ({
            tenant_id: this.tenantId,
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
        .execute()
    }
  }

  async list(options: {
    limit: number
    beforeId?: number | undefined
    failuresOnly?: boolean | undefined
  }): Promise<StoredProvisioningLogEntry[]> {
    let query = this.ctx.reader
      .selectFrom('provisioning_log')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('id', 'desc')
      .limit(options.limit)
    if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId)
    if (options.failuresOnly) query = query.where('status', '>=', 400)
    const rows = await query.execute()
    return rows.map((r) => ({
      id: Number(r.id),
      tenantId: asTenantId(r.tenant_id),
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
}
