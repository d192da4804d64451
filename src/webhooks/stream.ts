// What the worker does with one leased endpoint: its queued manual redeliveries, then its ordered
// stream. The stream is a cursor (the last position delivered or dead-lettered) and the attempt
// on the next event: while that event waits for its retry, the later ones wait behind it.
import type { SecretBox } from '../credentials/secret-box.ts'
import type {
  StoredEvent,
  Store,
  WebhookDeliveryEntry,
  WebhookEndpointRecord,
  WebhookOutcome,
  WebhookProgress,
} from '../store/store.ts'
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

/** The lease this worker holds on one endpoint, as far as its own clock knows. */
export interface Lease {
  readonly id: string
  /** When it ends (ms). */
  until: number
}

/** Events read from the log at a time. */
const BATCH = 100

/** Room left between an attempt's end and the lease's, before the lease is renewed. */
const LEASE_MARGIN_MS = 5000

/**
 * Makes one attempt with the endpoint as it is now (a rotation or a disable by another process
 * counts at once), renewing the lease first when what is left of it might not cover the attempt;
 * undefined when the lease is lost, the endpoint is disabled or gone, or the worker stops.
 */
async function attempt(
  ctx: DeliveryContext,
  lease: Lease,
  event: StoredEvent,
): Promise<AttemptResult | undefined> {
  const now = Date.now()
  let endpoint: WebhookEndpointRecord | undefined
  if (lease.until - now > ctx.timeoutMs + LEASE_MARGIN_MS) {
    // A plain read: while the lease is this long, no other instance can have claimed it.
    endpoint = await ctx.store.webhooks.get(lease.id)
    if (endpoint?.leaseOwner !== ctx.owner) return undefined
  } else {
    const until = now + ctx.leaseMs
    endpoint = await ctx.store.webhooks.renewLease(
      lease.id,
      ctx.owner,
      new Date(until).toISOString(),
    )
    if (endpoint) lease.until = until
  }
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

/** What an attempt comes to: its outcome in the log and, for a retry, when it is due. */
function judge(
  result: AttemptResult,
  attempts: number,
  scheduleMs: readonly number[],
  at: string,
): { outcome: WebhookOutcome; nextTryAt: string | null } {
  if (result.kind !== 'failed') return { outcome: result.kind, nextTryAt: null }
  const delay = retryDelayMs(attempts, scheduleMs, result.retryAfterMs)
  return delay === undefined
    ? { outcome: 'dead_lettered', nextTryAt: null }
    : { outcome: 'failed', nextTryAt: new Date(Date.parse(at) + delay).toISOString() }
}

function entry(
  endpointId: string,
  event: StoredEvent,
  attempt: number,
  manual: boolean,
  result: AttemptResult,
  at: string,
): Omit<WebhookDeliveryEntry, 'outcome' | 'nextTryAt'> {
  return {
    endpointId,
    eventId: event.id,
    attempt,
    manual,
    status: result.status,
    latencyMs: result.latencyMs,
    error: result.kind === 'failed' ? result.error : null,
    at,
  }
}

/**
 * Delivers the endpoint's events after its cursor, in order, until none is left (undefined) or
 * one waits for a retry (the time it is due, ms). Each attempt's log entry and the stream's
 * progress are written in one transaction.
 */
export async function deliverStream(
  ctx: DeliveryContext,
  endpoint: WebhookEndpointRecord,
  lease: Lease,
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
    const batch = await store.events.after({
      after: state.cursor,
      limit: BATCH,
      tenantIds: endpoint.tenantId === null ? undefined : [endpoint.tenantId],
      types: endpoint.eventTypes ?? undefined,
    })
    if (batch.length === 0) {
      if (head > state.cursor) {
        state = { cursor: head, pendingPosition: null, pendingAttempts: 0, nextAttemptAt: null }
        await store.webhooks.saveProgress(endpoint.id, ctx.owner, state, new Date().toISOString())
      }
      return undefined
    }
    for (const event of batch) {
      if (!ctx.running()) return undefined
      const pending = state.pendingPosition === event.position
      const waitUntil =
        pending && state.nextAttemptAt !== null ? Date.parse(state.nextAttemptAt) : 0
      if (waitUntil > Date.now()) return waitUntil
      const result = await attempt(ctx, lease, event)
      if (!result) return undefined
      const attempts = (pending ? state.pendingAttempts : 0) + 1
      const at = new Date().toISOString()
      const { outcome, nextTryAt } = judge(result, attempts, ctx.retryScheduleMs, at)
      const next: WebhookProgress =
        outcome === 'failed'
          ? {
              ...state,
              pendingPosition: event.position,
              pendingAttempts: attempts,
              nextAttemptAt: nextTryAt,
            }
          : outcome === 'gone'
            ? // The receiver says the endpoint is gone: it stops, the event kept for a re-enable.
              { ...state, pendingPosition: null, pendingAttempts: 0, nextAttemptAt: null }
            : {
                cursor: event.position,
                pendingPosition: null,
                pendingAttempts: 0,
                nextAttemptAt: null,
              }
      const saved = await store.transaction(async (s) => {
        if (outcome === 'dead_lettered') {
          await s.webhookDeliveries.addDeadLetter({
            endpointId: endpoint.id,
            eventId: event.id,
            position: event.position,
            attempts,
            lastError: result.kind === 'failed' ? result.error : null,
            at,
          })
        }
        await s.webhookDeliveries.append({
          ...entry(endpoint.id, event, attempts, false, result, at),
          outcome,
          nextTryAt,
        })
        if (outcome === 'gone') await s.webhooks.setEnabled(endpoint.id, false, '410 Gone', at)
        return s.webhooks.saveProgress(endpoint.id, ctx.owner, next, at)
      })
      if (!saved || outcome === 'gone') return undefined
      state = next
      if (nextTryAt !== null) return Date.parse(nextTryAt)
    }
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
  lease: Lease,
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
    const result = await attempt(ctx, lease, event)
    if (!result) return { next: undefined, gone: false }
    const attempts = redelivery.attempts + 1
    const at = new Date().toISOString()
    const { outcome, nextTryAt } = judge(result, attempts, ctx.retryScheduleMs, at)
    await store.transaction(async (s) => {
      await s.webhookDeliveries.append({
        ...entry(endpoint.id, event, attempts, true, result, at),
        outcome,
        nextTryAt,
      })
      if (nextTryAt !== null) {
        await s.webhookDeliveries.retryRedelivery(redelivery.id, attempts, nextTryAt)
      } else {
        await s.webhookDeliveries.finishRedelivery(redelivery.id)
      }
      if (outcome === 'gone') await s.webhooks.setEnabled(endpoint.id, false, '410 Gone', at)
    })
    if (outcome === 'gone') return { next: undefined, gone: true }
  }
  const next = await store.webhookDeliveries.nextRedeliveryAt(endpoint.id)
  return { next: next === undefined ? undefined : Date.parse(next), gone: false }
}
