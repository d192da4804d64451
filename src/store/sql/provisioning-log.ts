// The provisioning_log table (SPEC §5): one tenant's trail of SCIM requests, appended in batches
// by the log writer; retention (by age, and by count per tenant) runs across tenants.
import { sql, type Selectable } from 'kysely'
import { asTenantId, type TenantId } from '../../domain/ids.ts'
import type {
  ActivityBucket,
  ProvisioningActivity,
  ProvisioningLogQuery,
  ProvisioningLogRepository,
  ProvisioningLogRetention,
  ProvisioningLogWrite,
  StoredProvisioningLogEntry,
} from '../store.ts'
import { NOT_A_REQUEST } from '../store.ts'
import { chunks } from './chunks.ts'
import type { SqlContext } from './context.ts'
import type { ProvisioningLogTable } from './tables.ts'

// `at` is an ISO time (toISOString), so a bucket is a prefix of it: the same on both engines.
const BUCKET_PREFIX: Readonly<Record<ActivityBucket, { length: number; rest: string }>> = {
  minute: { length: 16, rest: ':00.000Z' },
  hour: { length: 13, rest: ':00:00.000Z' },
  day: { length: 10, rest: 'T00:00:00.000Z' },
}

function toEntry(r: Selectable<ProvisioningLogTable>): StoredProvisioningLogEntry {
  return {
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
    address: r.address,
    requestBody: r.request_body,
    responseBody: r.response_body,
  }
}

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
            address: e.address,
            request_body: e.requestBody,
            response_body: e.responseBody,
          })),
        )
        .execute()
    }
  }

  async list(options: ProvisioningLogQuery): Promise<StoredProvisioningLogEntry[]> {
    let query = this.ctx.reader
      .selectFrom('provisioning_log')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('id', 'desc')
      .limit(options.limit)
    if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId)
    if (options.failuresOnly || options.outcome === 'failure') {
      query = query.where('status', '>=', 400)
    }
    if (options.outcome === 'success') query = query.where('status', '<', 400)
    if (options.operation !== undefined) query = query.where('operation', '=', options.operation)
    if (options.resourceType !== undefined) {
      query = query.where('resource_type', '=', options.resourceType)
    }
    if (options.since !== undefined) query = query.where('at', '>=', options.since)
    if (options.excludeOperations !== undefined && options.excludeOperations.length > 0) {
      query = query.where('operation', 'not in', [...options.excludeOperations])
    }
    if (options.requestsOnly) query = query.where('method', '<>', NOT_A_REQUEST)
    return (await query.execute()).map(toEntry)
  }

  async get(id: number): Promise<StoredProvisioningLogEntry | undefined> {
    if (!Number.isSafeInteger(id)) return undefined
    const row = await this.ctx.reader
      .selectFrom('provisioning_log')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toEntry(row)
  }

  async activity(options: {
    readonly since: string
    readonly bucket: ActivityBucket
  }): Promise<ProvisioningActivity[]> {
    const { length, rest } = BUCKET_PREFIX[options.bucket]
    // A literal length (from the fixed table above), so that PostgreSQL sees the select and the
    // group by as one expression.
    const bucket = sql<string>`substr(at, 1, ${sql.lit(length)})`
    const rows = await this.ctx.reader
      .selectFrom('provisioning_log')
      .select([
        bucket.as('bucket'),
        sql<number | string>`count(*)`.as('requests'),
        sql<number | string>`sum(case when status >= 400 then 1 else 0 end)`.as('failures'),
      ])
      .where('tenant_id', '=', this.tenantId)
      .where('at', '>=', options.since)
      .groupBy(bucket)
      .orderBy(bucket)
      .execute()
    return rows.map((r) => ({
      start: `${r.bucket}${rest}`,
      requests: Number(r.requests),
      failures: Number(r.failures),
    }))
  }
}
