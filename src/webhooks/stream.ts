// What the worker does with one leased endpoint: its queued manual redeliveries, then its ordered
// stream. The stream is a cursor (the last position delivered or dead-lettered) and the attempt
// on the next event: while that event waits for its retry, the later ones wait behind it.
import type { SecretBox } from '../credentials/secret-box.ts'
import type { StoredEvent, Store, WebhookEndpointRecord, WebhookProgress } from '../store/store.ts'
import { retryDelayMs } from './retry.ts'
import { sendWebhook, type AttemptResult } from './send.ts'

export interface DeliveryContext {
  readonly store: Store
  readonly secretBox: SecretBox
  readonly owner: string
  readonly timeoutMs: number
  readonly retryScheduleMs: readonly number[]
  readonly leaseMs: number
  /** Aborted when the worker stops: an attempt cut short is not recorded. */
  readonly signal: AbortSignal
  readonly running: () => boolean
}

/** The secrets to sign with now: the current one, and the previous one during its overlap. */
export function signingSecrets(
  box: SecretBox,
  endpoint: WebhookEndpointRecord,
  now: number,
): string[] {
  const secrets = [box.open(endpoint.secretSealed)]
  const until = endpoint.previousSecretUntil
  if (endpoint.previousSecretSealed !== null && until !== null && Date.parse(until) > now) {
    secrets.push(box.open(endpoint.previousSecretSealed))
  }
  return secrets
}

/**
 * Renews the lease and makes one attempt with the endpoint as it is now (a rotation or a disable
 * by another process counts at once); undefined when the lease is lost, the endpoint was
 * disabled, or the worker stops.
 */
async function attempt(
  ctx: DeliveryContext,
  leased: WebhookEndpointRecord,
  event: StoredEvent,
): Promise<AttemptResult | undefined> {
  const until = new Date(Date.now() + ctx.leaseMs).toISOString()
  const endpoint = await ctx.store.webhooks.renewLease(leased.id, ctx.owner, until)
  if (!endpoint?.enabled) return undefined
  const result = await sendWebhook(
    {
      url: endpoint.url,
      secrets: signingSecrets(ctx.secretBox, endpoint, Date.now()),
      eventId: event.id,
      body: event.body,
    },
    ctx.timeoutMs,
    ctx.signal,
  )
  return ctx.running() ? result : undefined
}

function errorOf(result: AttemptResult): string | null {
  return result.kind === 'failed' ? result.error : null
}

/**
 * Delivers the endpoint's events after its cursor, in order, until none is left (undefined) or
 * one waits for a retry (the time it is due, ms).
 */
export async function deliverStream(
  ctx: DeliveryContext,
  endpoint: WebhookEndpointRecord,
): Promise<number | undefined> {
  const { store } = ctx
  let state: WebhookProgress = {
    cursor: endpoint.cursor,
    pendingPosition: endpoint.pendingPosition,
    pendingAttempts: endpoint.pendingAttempts,
    nextAttemptAt: endpoint.nextAttemptAt,
  }
  while (ctx.running()) {
    // Read before the events: every event up to the head is visible by then (positions become
    // visible in order), so if none of them is for this endpoint its cursor may skip to the
    // head, and "cursor below the head" keeps meaning "work to do" for a filtered endpoint.
    const head = await store.events.head()
    const [event] = await store.events.after({
      after: state.cursor,
      limit: 1,
      tenantIds: endpoint.tenantId === null ? undefined : [endpoint.tenantId],
      types: endpoint.eventTypes ?? undefined,
    })
    if (!event) {
      if (head > state.cursor) {
        state = { cursor: head, pendingPosition: null, pendingAttempts: 0, nextAttemptAt: null }
        await store.webhooks.saveProgress(endpoint.id, ctx.owner, state, new Date().toISOString())
      }
      return undefined
    }
    const pending = state.pendingPosition === event.position
    if (pending && state.nextAttemptAt !== null && Date.parse(state.nextAttemptAt) > Date.now()) {
      return Date.parse(state.nextAttemptAt)
    }
    const result = await attempt(ctx, endpoint, event)
    if (!result) return undefined
    const attempts = (pending ? state.pendingAttempts : 0) + 1
    const at = new Date().toISOString()
    const log = {
      endpointId: endpoint.id,
      eventId: event.id,
      attempt: attempts,
      manual: false,
      status: result.status,
      latencyMs: result.latencyMs,
      error: errorOf(result),
      at,
    }
    if (result.kind === 'gone') {
      // The receiver says the endpoint is gone: stop, keeping the event for a re-enable.
      await store.webhookDeliveries.append({ ...log, outcome: 'gone', nextTryAt: null })
      state = { ...state, pendingPosition: null, pendingAttempts: 0, nextAttemptAt: null }
      await store.webhooks.saveProgress(endpoint.id, ctx.owner, state, at)
      await store.webhooks.setEnabled(endpoint.id, false, '410 Gone', at)
      return undefined
    }
    const delay =
      result.kind === 'failed'
        ? retryDelayMs(attempts, ctx.retryScheduleMs, result.retryAfterMs)
        : undefined
    if (result.kind === 'failed' && delay !== undefined) {
      const nextAttemptAt = new Date(Date.parse(at) + delay).toISOString()
      await store.webhookDeliveries.append({ ...log, outcome: 'failed', nextTryAt: nextAttemptAt })
      state = {
        ...state,
        pendingPosition: event.position,
        pendingAttempts: attempts,
        nextAttemptAt,
      }
      if (!(await store.webhooks.saveProgress(endpoint.id, ctx.owner, state, at))) return undefined
      return Date.parse(nextAttemptAt)
    }
    if (result.kind === 'failed') {
      await store.webhookDeliveries.addDeadLetter({
        endpointId: endpoint.id,
        eventId: event.id,
        position: event.position,
        attempts,
        lastError: result.error,
        at,
      })
    }
    const outcome = result.kind === 'failed' ? 'dead_lettered' : 'delivered'
    await store.webhookDeliveries.append({ ...log, outcome, nextTryAt: null })
    state = {
      cursor: event.position,
      pendingPosition: null,
      pendingAttempts: 0,
      nextAttemptAt: null,
    }
    if (!(await store.webhooks.saveProgress(endpoint.id, ctx.owner, state, at))) return undefined
  }
  return undefined
}

/**
 * Sends the endpoint's due manual redeliveries, outside the ordered stream, each with the retry
 * schedule of its own; says when the next queued one is due (ms), if any, and whether the
 * receiver answered 410 (the endpoint is now disabled).
 */
export async function deliverRedeliveries(
  ctx: DeliveryContext,
  endpoint: WebhookEndpointRecord,
): Promise<{ readonly next: number | undefined; readonly gone: boolean }> {
  const { store } = ctx
  const due = await store.webhookDeliveries.dueRedeliveries(
    endpoint.id,
    new Date().toISOString(),
    20,
  )
  for (const redelivery of due) {
    if (!ctx.running()) return { next: undefined, gone: false }
    const event = await store.events.get(redelivery.eventId)
    if (!event) {
      // Gone from the log by retention since it was queued: nothing left to send.
      await store.webhookDeliveries.finishRedelivery(redelivery.id)
      continue
    }
    const result = await attempt(ctx, endpoint, event)
    if (!result) return { next: undefined, gone: false }
    const attempts = redelivery.attempts + 1
    const at = new Date().toISOString()
    const delay =
      result.kind === 'failed'
        ? retryDelayMs(attempts, ctx.retryScheduleMs, result.retryAfterMs)
        : undefined
    const nextTryAt = delay === undefined ? null : new Date(Date.parse(at) + delay).toISOString()
    await store.webhookDeliveries.append({
      endpointId: endpoint.id,
      eventId: event.id,
      attempt: attempts,
      manual: true,
      outcome:
        result.kind === 'failed' ? (nextTryAt === null ? 'dead_lettered' : 'failed') : result.kind,
      status: result.status,
      latencyMs: result.latencyMs,
      error: errorOf(result),
      nextTryAt,
      at,
    })
    if (nextTryAt !== null) {
      await store.webhookDeliveries.retryRedelivery(redelivery.id, attempts, nextTryAt)
    } else {
      await store.webhookDeliveries.finishRedelivery(redelivery.id)
    }
    if (result.kind === 'gone') {
      await store.webhooks.setEnabled(endpoint.id, false, '410 Gone', at)
      return { next: undefined, gone: true }
    }
  }
  const next = await store.webhookDeliveries.nextRedeliveryAt(endpoint.id)
  return { next: next === undefined ? undefined : Date.parse(next), gone: false }
}
