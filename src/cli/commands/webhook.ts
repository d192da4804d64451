// `npx rollcall webhook …`: the host application's webhook endpoints (Standard Webhooks), registered
// by the operator: create (the secret is shown once), list, the delivery log, redelivery, secret
// rotation, enable, disable, delete.
import { AppError } from '../../errors.ts'
import {
  checkEventTypes,
  checkWebhookUrl,
  createWebhook,
  DEFAULT_OVERLAP_HOURS,
  deleteWebhook,
  listWebhooks,
  redeliverWebhook,
  rotateWebhookSecret,
  setWebhookEnabled,
  webhookDeliveries,
  type WebhookView,
} from '../../webhooks/endpoints.ts'
import { defineCommand, UsageError, type OptionSpec } from '../command.ts'
import { json } from '../output.ts'
import { limitOf } from '../shared-options.ts'

const ID: OptionSpec = { type: 'string', value: 'ID', required: true, help: 'the webhook' }

/** A check that needs no database, reported as a usage error (exit 2). */
function usage<T>(fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(error.message)
    throw error
  }
}

function line(v: WebhookView): string {
  const state = v.enabled ? 'enabled' : `disabled (${v.disabledReason ?? 'by the operator'})`
  return (
    `${v.id}\t${state}\t${v.url}\ttenant ${v.tenant ?? 'all'}\t` +
    `events ${v.events === null ? 'all' : v.events.join(',')}`
  )
}

export const webhookCreate = defineCommand({
  name: 'webhook create',
  summary: 'register a webhook endpoint of the host application (prints its secret once)',
  description:
    'Registers an endpoint that receives the events committed from now on, signed per Standard ' +
    "Webhooks, in order, retried with backoff. Optionally only one tenant's events and only some " +
    'event types. The secret (whsec_…) is shown once and kept encrypted.',
  options: {
    url: {
      type: 'string',
      value: 'U',
      required: true,
      help: 'the http:// or https:// URL to POST to',
    },
    tenant: { type: 'string', value: 'S', help: "only this tenant's events (its slug)" },
    events: { type: 'string', value: 'a,b', help: 'only these event types (comma-separated)' },
  },
  json: 'exactly {"id": "…", "secret": "whsec_…"}',
  check: (o) => {
    const url = usage(() => checkWebhookUrl(o.required('url')))
    const list = o.string('events')
    const events =
      list === undefined
        ? undefined
        : usage(() =>
            checkEventTypes(
              list
                .split(',')
                .map((type) => type.trim())
                .filter(Boolean),
            ),
          )
    return { url, tenant: o.string('tenant'), events }
  },
  async run({ runtime, io, json: asJson }, input) {
    const { webhook, secret } = await createWebhook(runtime.store, runtime.secretBox, input)
    if (asJson) {
      io.out(`{"id": ${JSON.stringify(webhook.id)}, "secret": ${JSON.stringify(secret)}}`)
      return
    }
    io.out(`Webhook ${webhook.id} → ${webhook.url}`)
    io.out(`Secret:  ${secret}`)
    io.out('')
    io.out(
      'The secret is shown once: configure it in the receiver (any Standard Webhooks library).',
    )
  },
})

export const webhookList = defineCommand({
  name: 'webhook list',
  summary: 'list the webhook endpoints',
  options: {},
  json: 'an array of webhooks (id, url, tenant, events, enabled, disabledReason, …; never the secret)',
  check: () => ({}),
  async run({ runtime, io, json: asJson }) {
    const views = await listWebhooks(runtime.store)
    if (asJson) io.out(json(views))
    else if (views.length === 0) {
      io.out('No webhooks. Register one with `npx rollcall webhook create --url U`.')
    } else for (const v of views) io.out(line(v))
  },
})

export const webhookDeliveriesCommand = defineCommand({
  name: 'webhook deliveries',
  summary: "a webhook's delivery attempts, newest first, and its dead letters",
  options: {
    id: ID,
    limit: { type: 'string', value: 'N', help: 'at most N entries, 1 to 10000 (default 50)' },
  },
  json: '{"deliveries": [{eventId, attempt, outcome, status, latencyMs, error, nextTryAt, at, manual}…], "deadLetters": […]}',
  check: (o) => ({ id: o.required('id'), limit: limitOf(o.string('limit')) }),
  async run({ runtime, io, json: asJson }, { id, limit }) {
    const { deliveries, deadLetters } = await webhookDeliveries(runtime.store, id, limit)
    if (asJson) {
      io.out(json({ deliveries, deadLetters }))
      return
    }
    if (deliveries.length === 0) io.out('No deliveries yet.')
    for (const d of deliveries) {
      io.out(
        `${d.at}  ${d.outcome.padEnd(13)} ${String(d.status ?? '-').padEnd(4)} ` +
          `${`${d.latencyMs} ms`.padEnd(9)} ${d.eventId} #${d.attempt}${d.manual ? ' (redelivery)' : ''}` +
          (d.nextTryAt ? `  next try ${d.nextTryAt}` : '') +
          (d.error ? `\n    ${d.error}` : ''),
      )
    }
    for (const l of deadLetters) {
      io.out(
        `dead letter: ${l.eventId} after ${l.attempts} attempts at ${l.at}: ${l.lastError ?? ''}`,
      )
    }
  },
})

export const webhookRedeliver = defineCommand({
  name: 'webhook redeliver',
  summary: 'send one event to a webhook again (outside its ordered stream)',
  options: {
    id: ID,
    event: { type: 'string', value: 'EVT_ID', required: true, help: 'the event (evt_…)' },
  },
  json: '{"id", "event", "queued": true}',
  check: (o) => ({ id: o.required('id'), event: o.required('event') }),
  async run({ runtime, io, json: asJson }, { id, event }) {
    await redeliverWebhook(runtime.store, id, event)
    io.out(
      asJson
        ? json({ id, event, queued: true })
        : `Queued ${event} for ${id}: sent as soon as a server is free, apart from the ordered stream.`,
    )
  },
})

export const webhookRotateSecret = defineCommand({
  name: 'webhook rotate-secret',
  summary: "replace a webhook's secret; the old one keeps signing during an overlap",
  options: {
    id: ID,
    'overlap-hours': {
      type: 'string',
      value: 'H',
      help: `how long deliveries carry the old signature too (default ${DEFAULT_OVERLAP_HOURS})`,
    },
  },
  json: '{"id", "secret", "previousSecretUntil"}',
  check: (o) => {
    const text = o.string('overlap-hours')
    const hours = text === undefined ? DEFAULT_OVERLAP_HOURS : Number(text)
    if (!Number.isFinite(hours) || hours < 0) {
      throw new UsageError('--overlap-hours must be a number of hours, 0 or more.')
    }
    return { id: o.required('id'), hours }
  },
  async run({ runtime, io, json: asJson }, { id, hours }) {
    const rotated = await rotateWebhookSecret(runtime.store, runtime.secretBox, id, hours)
    if (asJson) {
      io.out(json({ id, secret: rotated.secret, previousSecretUntil: rotated.previousSecretUntil }))
      return
    }
    io.out(`New secret: ${rotated.secret}`)
    io.out(`Until ${rotated.previousSecretUntil} deliveries are signed with the old secret too.`)
  },
})

function toggle(enabled: boolean) {
  return defineCommand({
    name: enabled ? 'webhook enable' : 'webhook disable',
    summary: enabled
      ? 'enable a webhook (its pending events are sent again)'
      : 'disable a webhook (events wait for it)',
    options: { id: ID },
    json: 'the webhook (id, url, enabled, disabledReason, …)',
    check: (o) => ({ id: o.required('id') }),
    async run({ runtime, io, json: asJson }, { id }) {
      const view = await setWebhookEnabled(runtime.store, id, enabled)
      io.out(asJson ? json(view) : line(view))
    },
  })
}

export const webhookEnable = toggle(true)
export const webhookDisable = toggle(false)

export const webhookDelete = defineCommand({
  name: 'webhook delete',
  summary: 'delete a webhook with its delivery log',
  options: { id: ID },
  json: '{"id", "deleted": true}',
  check: (o) => ({ id: o.required('id') }),
  async run({ runtime, io, json: asJson }, { id }) {
    await deleteWebhook(runtime.store, id)
    io.out(asJson ? json({ id, deleted: true }) : `Deleted webhook ${id}.`)
  },
})
