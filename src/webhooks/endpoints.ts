// The operator's operations on webhook endpoints (the CLI drives them): register, list, rotate
// the secret, enable, disable, delete, queue a redelivery, read the delivery log. Secrets are
// returned once, when made, and kept sealed by the SecretBox.
import { randomBytes } from 'node:crypto'
import type { SecretBox } from '../credentials/secret-box.ts'
import { AppError } from '../errors.ts'
import type {
  StoredWebhookDelivery,
  Store,
  WebhookDeadLetter,
  WebhookEndpointRecord,
} from '../store/store.ts'
import { EVENT_TYPES, isEventType } from '../events/types.ts'
import { newWebhookSecret } from './signing.ts'

const MAX_URL_LENGTH = 2048
/** The default overlap of a rotation, during which both secrets sign. */
export const DEFAULT_OVERLAP_HOURS = 24
const MAX_OVERLAP_HOURS = 24 * 30

export interface WebhookInput {
  readonly url: string
  /** A tenant slug: only its events. */
  readonly tenant?: string | undefined
  /** Only these event types. */
  readonly events?: readonly string[] | undefined
}

/** An endpoint as the operator sees it: never its secret. */
export interface WebhookView {
  readonly id: string
  readonly url: string
  readonly tenant: string | null
  readonly events: readonly string[] | null
  readonly enabled: boolean
  readonly disabledReason: string | null
  /** Until when the previous secret still signs, during a rotation's overlap. */
  readonly previousSecretUntil: string | null
  readonly createdAt: string
}

export function checkWebhookUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw AppError.invalidRequest(`"${url}" is not a URL (e.g. https://app.example.com/webhooks).`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw AppError.invalidRequest(
      `The webhook URL must be http:// or https://, not ${parsed.protocol}`,
    )
  }
  if (url.length > MAX_URL_LENGTH) {
    throw AppError.invalidRequest(`The webhook URL is longer than ${MAX_URL_LENGTH} characters.`)
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw AppError.invalidRequest('The webhook URL must not carry a user or password.')
  }
  return parsed.href
}

export function checkEventTypes(types: readonly string[]): string[] {
  if (types.length === 0) throw AppError.invalidRequest('Name at least one event type.')
  const unknown = types.filter((type) => !isEventType(type))
  if (unknown.length > 0) {
    throw AppError.invalidRequest(
      `Unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the types are ` +
        `${EVENT_TYPES.join(', ')}.`,
    )
  }
  return [...new Set(types)]
}

async function view(store: Store, endpoint: WebhookEndpointRecord): Promise<WebhookView> {
  const tenant = endpoint.tenantId === null ? null : await store.tenants.getById(endpoint.tenantId)
  return {
    id: endpoint.id,
    url: endpoint.url,
    tenant: endpoint.tenantId === null ? null : (tenant?.slug ?? endpoint.tenantId),
    events: endpoint.eventTypes,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    previousSecretUntil: endpoint.previousSecretUntil,
    createdAt: endpoint.createdAt,
  }
}

async function endpointOf(store: Store, id: string): Promise<WebhookEndpointRecord> {
  const endpoint = await store.webhooks.get(id)
  if (!endpoint) throw AppError.notFound(`No webhook "${id}". See \`npx rollcall webhook list\`.`)
  return endpoint
}

/**
 * Registers an endpoint; it receives the events committed from now on (its cursor starts at the
 * log's head). Returns it with its secret, which is not shown again.
 */
export async function createWebhook(
  store: Store,
  box: SecretBox,
  input: WebhookInput,
  now = new Date(),
): Promise<{ webhook: WebhookView; secret: string }> {
  const url = checkWebhookUrl(input.url)
  const eventTypes = input.events === undefined ? null : checkEventTypes(input.events)
  let tenantId = null
  if (input.tenant !== undefined) {
    const tenant = await store.tenants.getBySlug(input.tenant)
    if (!tenant) {
      throw AppError.notFound(`No tenant "${input.tenant}". See \`npx rollcall tenant list\`.`)
    }
    tenantId = tenant.id
  }
  const secret = newWebhookSecret()
  const endpoint = await store.webhooks.create({
    id: `wh_${randomBytes(10).toString('hex')}`,
    url,
    tenantId,
    eventTypes,
    secretSealed: box.seal(secret),
    cursor: await store.events.head(),
    createdAt: now.toISOString(),
  })
  return { webhook: await view(store, endpoint), secret }
}

export async function listWebhooks(store: Store): Promise<WebhookView[]> {
  const endpoints = await store.webhooks.list()
  return Promise.all(endpoints.map((endpoint) => view(store, endpoint)))
}

/** A new secret; the old one keeps signing (beside it) for `overlapHours`. */
export async function rotateWebhookSecret(
  store: Store,
  box: SecretBox,
  id: string,
  overlapHours = DEFAULT_OVERLAP_HOURS,
  now = new Date(),
): Promise<{ secret: string; previousSecretUntil: string }> {
  if (!(overlapHours >= 0 && overlapHours <= MAX_OVERLAP_HOURS)) {
    throw AppError.invalidRequest(`The overlap must be 0 to ${MAX_OVERLAP_HOURS} hours.`)
  }
  await endpointOf(store, id)
  const secret = newWebhookSecret()
  const previousSecretUntil = new Date(now.getTime() + overlapHours * 3600_000).toISOString()
  await store.webhooks.rotateSecret(id, box.seal(secret), previousSecretUntil, now.toISOString())
  return { secret, previousSecretUntil }
}

export async function setWebhookEnabled(
  store: Store,
  id: string,
  enabled: boolean,
  now = new Date(),
): Promise<WebhookView> {
  await endpointOf(store, id)
  await store.webhooks.setEnabled(
    id,
    enabled,
    enabled ? null : 'by the operator',
    now.toISOString(),
  )
  return view(store, await endpointOf(store, id))
}

export async function deleteWebhook(store: Store, id: string): Promise<void> {
  if (!(await store.webhooks.delete(id))) {
    throw AppError.notFound(`No webhook "${id}". See \`npx rollcall webhook list\`.`)
  }
}

/**
 * Queues one event to be sent to the endpoint again, outside its ordered stream (it does not
 * move the cursor nor wait for it). The event must be one the endpoint receives.
 */
export async function redeliverWebhook(
  store: Store,
  id: string,
  eventId: string,
  now = new Date(),
): Promise<void> {
  const endpoint = await endpointOf(store, id)
  const event = await store.events.get(eventId)
  if (!event) throw AppError.notFound(`No event "${eventId}" in the event log.`)
  const tenantMatches = endpoint.tenantId === null || endpoint.tenantId === event.tenantId
  const typeMatches = endpoint.eventTypes === null || endpoint.eventTypes.includes(event.type)
  if (!tenantMatches || !typeMatches) {
    throw AppError.invalidRequest(
      `The event ${eventId} (${event.type}) is not one the webhook ${id} receives (its tenant or event types filter it out).`,
    )
  }
  await store.webhookDeliveries.queueRedelivery(id, eventId, now.toISOString())
}

export async function webhookDeliveries(
  store: Store,
  id: string,
  limit: number,
): Promise<{ deliveries: StoredWebhookDelivery[]; deadLetters: WebhookDeadLetter[] }> {
  await endpointOf(store, id)
  return {
    deliveries: await store.webhookDeliveries.list(id, limit),
    deadLetters: await store.webhookDeliveries.deadLetters(id, limit),
  }
}
