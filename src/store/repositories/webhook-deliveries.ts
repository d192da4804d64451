// What happens to webhook deliveries (issue #10): the log of every attempt, the dead letters
// (events given up on after the retry schedule) and the queue of manual redeliveries.

export type WebhookOutcome = 'delivered' | 'failed' | 'gone' | 'dead_lettered'

export interface WebhookDeliveryEntry {
  readonly endpointId: string
  readonly eventId: string
  /** 1 for the first attempt of an event (or of a redelivery). */
  readonly attempt: number
  /** A manual redelivery, outside the ordered stream. */
  readonly manual: boolean
  readonly outcome: WebhookOutcome
  /** The response status; null when there was no response (refused, timed out). */
  readonly status: number | null
  readonly latencyMs: number
  /** Why it failed, bounded in length; null when delivered. */
  readonly error: string | null
  /** When the next attempt is due; null when there is none. */
  readonly nextTryAt: string | null
  readonly at: string
}

export interface StoredWebhookDelivery extends WebhookDeliveryEntry {
  readonly id: number
}

export interface WebhookDeadLetter {
  readonly endpointId: string
  readonly eventId: string
  readonly position: number
  readonly attempts: number
  readonly lastError: string | null
  readonly at: string
}

export interface WebhookRedelivery {
  readonly id: number
  readonly endpointId: string
  readonly eventId: string
  /** Attempts made so far. */
  readonly attempts: number
  readonly nextAttemptAt: string
  readonly requestedAt: string
}

export interface WebhookDeliveryRepository {
  append(entry: WebhookDeliveryEntry): Promise<void>
  /** The endpoint's attempts, newest first. */
  list(endpointId: string, limit: number): Promise<StoredWebhookDelivery[]>
  /** Deletes up to `limit` entries older than `before`; returns how many went. */
  prune(before: string, limit: number): Promise<number>
  addDeadLetter(letter: WebhookDeadLetter): Promise<void>
  /** The endpoint's dead letters, newest first. */
  deadLetters(endpointId: string, limit: number): Promise<WebhookDeadLetter[]>
  queueRedelivery(endpointId: string, eventId: string, at: string): Promise<void>
  /** The endpoint's queued redeliveries due at `now`, oldest first. */
  dueRedeliveries(endpointId: string, now: string, limit: number): Promise<WebhookRedelivery[]>
  /** The endpoint's earliest queued redelivery time, if any. */
  nextRedeliveryAt(endpointId: string): Promise<string | undefined>
  /** Records a failed attempt of a redelivery and when to try again. */
  retryRedelivery(id: number, attempts: number, nextAttemptAt: string): Promise<void>
  finishRedelivery(id: number): Promise<void>
}
