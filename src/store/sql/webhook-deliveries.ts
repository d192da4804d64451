// The webhook delivery log, dead letters and queued redeliveries (issue #10).
import type { Selectable } from 'kysely'
import type {
  StoredWebhookDelivery,
  WebhookDeadLetter,
  WebhookDeliveryEntry,
  WebhookDeliveryRepository,
  WebhookOutcome,
  WebhookRedelivery,
} from '../store.ts'
import type { SqlContext } from './context.ts'
import type { WebhookDeliveriesTable } from './tables.ts'

function toDelivery(row: Selectable<WebhookDeliveriesTable>): StoredWebhookDelivery {
  return {
    id: Number(row.id),
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    attempt: row.attempt,
    manual: Number(row.manual) === 1,
    outcome: row.outcome as WebhookOutcome,
    status: row.status,
    latencyMs: row.latency_ms,
    error: row.error,
    nextTryAt: row.next_try_at,
    at: row.at,
  }
}

function bounded(limit: number): number {
  return Math.max(1, Math.min(10_000, Math.floor(limit)))
}

export class SqlWebhookDeliveries implements WebhookDeliveryRepository {
  constructor(private readonly ctx: SqlContext) {}

  async append(entry: WebhookDeliveryEntry): Promise<void> {
    await this.ctx.db
      .insertInto('webhook_deliveries')
      .values({
        endpoint_id: entry.endpointId,
        event_id: entry.eventId,
        attempt: entry.attempt,
        manual: entry.manual ? 1 : 0,
        outcome: entry.outcome,
        status: entry.status,
        latency_ms: Math.round(entry.latencyMs),
        error: entry.error,
        next_try_at: entry.nextTryAt,
        at: entry.at,
      })
      .execute()
  }

  async list(endpointId: string, limit: number): Promise<StoredWebhookDelivery[]> {
    const rows = await this.ctx.reader
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('endpoint_id', '=', endpointId)
      .orderBy('id', 'desc')
      .limit(bounded(limit))
      .execute()
    return rows.map(toDelivery)
  }

  async prune(before: string, limit: number): Promise<number> {
    const oldest = this.ctx.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('at', '<', before)
      .orderBy('id')
      .limit(Math.max(1, Math.floor(limit)))
    const result = await this.ctx.db
      .deleteFrom('webhook_deliveries')
      .where('id', 'in', oldest)
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async addDeadLetter(letter: WebhookDeadLetter): Promise<void> {
    await this.ctx.db
      .insertInto('webhook_dead_letters')
      .values({
        endpoint_id: letter.endpointId,
        event_id: letter.eventId,
        position: letter.position,
        attempts: letter.attempts,
        last_error: letter.lastError,
        at: letter.at,
      })
      .execute()
  }

  async deadLetters(endpointId: string, limit: number): Promise<WebhookDeadLetter[]> {
    const rows = await this.ctx.reader
      .selectFrom('webhook_dead_letters')
      .selectAll()
      .where('endpoint_id', '=', endpointId)
      .orderBy('id', 'desc')
      .limit(bounded(limit))
      .execute()
    return rows.map((r) => ({
      endpointId: r.endpoint_id,
      eventId: r.event_id,
      position: Number(r.position),
      attempts: r.attempts,
      lastError: r.last_error,
      at: r.at,
    }))
  }

  async queueRedelivery(endpointId: string, eventId: string, at: string): Promise<void> {
    await this.ctx.db
      .insertInto('webhook_redeliveries')
      .values({
        endpoint_id: endpointId,
        event_id: eventId,
        attempts: 0,
        next_attempt_at: at,
        requested_at: at,
      })
      .execute()
  }

  async dueRedeliveries(
    endpointId: string,
    now: string,
    limit: number,
  ): Promise<WebhookRedelivery[]> {
    const rows = await this.ctx.db
      .selectFrom('webhook_redeliveries')
      .selectAll()
      .where('endpoint_id', '=', endpointId)
      .where('next_attempt_at', '<=', now)
      .orderBy('id')
      .limit(bounded(limit))
      .execute()
    return rows.map((r) => ({
      id: Number(r.id),
      endpointId: r.endpoint_id,
      eventId: r.event_id,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      requestedAt: r.requested_at,
    }))
  }

  async nextRedeliveryAt(endpointId: string): Promise<string | undefined> {
    const row = await this.ctx.db
      .selectFrom('webhook_redeliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('next'))
      .where('endpoint_id', '=', endpointId)
      .executeTakeFirst()
    return row?.next ?? undefined
  }

  async retryRedelivery(id: number, attempts: number, nextAttemptAt: string): Promise<void> {
    await this.ctx.db
      .updateTable('webhook_redeliveries')
      .set({ attempts, next_attempt_at: nextAttemptAt })
      .where('id', '=', id)
      .execute()
  }

  async finishRedelivery(id: number): Promise<void> {
    await this.ctx.db.deleteFrom('webhook_redeliveries').where('id', '=', id).execute()
  }
}
