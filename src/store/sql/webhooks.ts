// The webhook_endpoints table (issue #10): endpoints and their delivery state. A lease is taken by
// one UPDATE over the free endpoints (on PostgreSQL their rows locked FOR UPDATE SKIP LOCKED, so
// instances claiming at once take different endpoints and never wait on each other); every write
// of the delivery state is conditional on still holding the lease.
import type { Kysely, Selectable } from 'kysely'
import { asTenantId } from '../../domain/ids.ts'
import type {
  NewWebhookEndpoint,
  WebhookClaim,
  WebhookEndpointRecord,
  WebhookEndpointRepository,
  WebhookProgress,
} from '../store.ts'
import type { SqlContext } from './context.ts'
import type { Database, WebhookEndpointsTable } from './tables.ts'

function toEndpoint(row: Selectable<WebhookEndpointsTable>): WebhookEndpointRecord {
  return {
    id: row.id,
    url: row.url,
    tenantId: row.tenant_id === null ? null : asTenantId(row.tenant_id),
    eventTypes: row.event_types === null ? null : (JSON.parse(row.event_types) as string[]),
    enabled: Number(row.enabled) === 1,
    disabledReason: row.disabled_reason,
    secretSealed: row.secret_sealed,
    previousSecretSealed: row.previous_secret_sealed,
    previousSecretUntil: row.previous_secret_until,
    cursor: Number(row.cursor),
    pendingPosition: row.pending_position === null ? null : Number(row.pending_position),
    pendingAttempts: Number(row.pending_attempts),
    nextAttemptAt: row.next_attempt_at,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/**
 * Endpoints with work due and no live lease: enabled, and either events after their cursor (not
 * waiting for a retry) or a redelivery due.
 */
function claimable(db: Kysely<Database>, claim: WebhookClaim) {
  let query = db
    .selectFrom('webhook_endpoints as e')
    .where('e.enabled', '=', 1)
    .where((eb) => eb.or([eb('e.lease_until', 'is', null), eb('e.lease_until', '<', claim.now)]))
    .where((eb) =>
      eb.or([
        eb.and([
          eb(
            'e.cursor',
            '<',
            eb.selectFrom('events').select((f) => f.fn.max('position').as('head')),
          ),
          eb.or([eb('e.next_attempt_at', 'is', null), eb('e.next_attempt_at', '<=', claim.now)]),
        ]),
        eb.exists(
          eb
            .selectFrom('webhook_redeliveries as r')
            .select('r.id')
            .whereRef('r.endpoint_id', '=', 'e.id')
            .where('r.next_attempt_at', '<=', claim.now),
        ),
      ]),
    )
  if (claim.exclude.length > 0) query = query.where('e.id', 'not in', [...claim.exclude])
  return query
}

export class SqlWebhookEndpoints implements WebhookEndpointRepository {
  constructor(private readonly ctx: SqlContext) {}

  async create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpointRecord> {
    const row = await this.ctx.db
      .insertInto('webhook_endpoints')
      .values({
        id: endpoint.id,
        url: endpoint.url,
        tenant_id: endpoint.tenantId,
        event_types: endpoint.eventTypes === null ? null : JSON.stringify(endpoint.eventTypes),
        enabled: 1,
        disabled_reason: null,
        secret_sealed: endpoint.secretSealed,
        previous_secret_sealed: null,
        previous_secret_until: null,
        cursor: endpoint.cursor,
        pending_position: null,
        pending_attempts: 0,
        next_attempt_at: null,
        lease_owner: null,
        lease_until: null,
        created_at: endpoint.createdAt,
        updated_at: endpoint.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toEndpoint(row)
  }

  async list(): Promise<WebhookEndpointRecord[]> {
    const rows = await this.ctx.reader
      .selectFrom('webhook_endpoints')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toEndpoint)
  }

  async get(id: string): Promise<WebhookEndpointRecord | undefined> {
    const row = await this.ctx.reader
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toEndpoint(row)
  }

  async delete(id: string): Promise<boolean> {
    const { db } = this.ctx
    await db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute()
    await db.deleteFrom('webhook_dead_letters').where('endpoint_id', '=', id).execute()
    await db.deleteFrom('webhook_redeliveries').where('endpoint_id', '=', id).execute()
    const result = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async setEnabled(
    id: string,
    enabled: boolean,
    reason: string | null,
    at: string,
  ): Promise<boolean> {
    const result = await this.ctx.db
      .updateTable('webhook_endpoints')
      .set({
        enabled: enabled ? 1 : 0,
        disabled_reason: enabled ? null : reason,
        // A re-enabled endpoint tries its pending event at once.
        ...(enabled ? { next_attempt_at: null } : {}),
        updated_at: at,
      })
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async rotateSecret(
    id: string,
    sealed: string,
    previousUntil: string,
    at: string,
  ): Promise<boolean> {
    const result = await this.ctx.db
      .updateTable('webhook_endpoints')
      .set((eb) => ({
        previous_secret_sealed: eb.ref('secret_sealed'),
        previous_secret_until: previousUntil,
        secret_sealed: sealed,
        updated_at: at,
      }))
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async claim(claim: WebhookClaim): Promise<WebhookEndpointRecord[]> {
    // Read first: most wake-ups find nothing to do, and on SQLite even an UPDATE that changes no
    // row takes the write lock that SCIM writes wait for.
    const due = await claimable(this.ctx.reader, claim).select('id').limit(1).execute()
    if (due.length === 0) return []
    const { db } = this.ctx
    let free = claimable(db, claim)
      .select('id')
      .orderBy('id')
      .limit(Math.max(1, Math.floor(claim.limit)))
    if (this.ctx.dialect.name === 'postgres') free = free.forUpdate().skipLocked()
    const rows = await db
      .updateTable('webhook_endpoints')
      .set({ lease_owner: claim.owner, lease_until: claim.leaseUntil })
      .where('id', 'in', free)
      .returningAll()
      .execute()
    return rows.map(toEndpoint)
  }

  async renewLease(
    id: string,
    owner: string,
    until: string,
  ): Promise<WebhookEndpointRecord | undefined> {
    const row = await this.ctx.db
      .updateTable('webhook_endpoints')
      .set({ lease_until: until })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .returningAll()
      .executeTakeFirst()
    return row && toEndpoint(row)
  }

  async release(id: string, owner: string): Promise<void> {
    await this.ctx.db
      .updateTable('webhook_endpoints')
      .set({ lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute()
  }

  async saveProgress(
    id: string,
    owner: string,
    progress: WebhookProgress,
    at: string,
  ): Promise<boolean> {
    const result = await this.ctx.db
      .updateTable('webhook_endpoints')
      .set({
        cursor: progress.cursor,
        pending_position: progress.pendingPosition,
        pending_attempts: progress.pendingAttempts,
        next_attempt_at: progress.nextAttemptAt,
        updated_at: at,
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }
}
