// Webhook deliveries against a real receiver on loopback: Standard Webhooks signatures (verified
// with the standardwebhooks package) over the exact stored bytes, order per endpoint, retries on
// 500 and timeouts, Retry-After, dead letter, 410, filters, rotation, redelivery. SQLite by
// default; TEST_STORE=postgres runs them on PostgreSQL.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Webhook } from 'standardwebhooks'
import {
  createWebhook,
  redeliverWebhook,
  rotateWebhookSecret,
  setWebhookEnabled,
} from '../../src/webhooks/endpoints.ts'
import { USER_AGENT } from '../../src/webhooks/send.ts'
import {
  addTenant,
  appendEvents,
  ENGINE,
  openStore,
  SECRET_BOX,
  startReceiver,
  startWorker,
  waitFor,
  waitForCursor,
  type Received,
} from './support.ts'

const headersOf = (r: Received) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
})

describe(`webhook deliveries (${ENGINE})`, () => {
  it('POSTs the stored bytes with Standard Webhooks headers, in order, verified by standardwebhooks', async (t) => {
    const store = await openStore(t)
    const acme = await addTenant(store, 'acme')
    const receiver = await startReceiver()
    t.after(() => receiver.close())
    const { webhook, secret } = await createWebhook(store, SECRET_BOX, {
      url: `${receiver.url}/hook`,
    })
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/)
    assert.equal(Buffer.from(secret.slice(6), 'base64').length, 32)
    const sealed = (await store.webhooks.get(webhook.id))?.secretSealed ?? ''
    assert.ok(!sealed.includes(secret.slice(6)), 'the secret is sealed at rest')
    startWorker(t, store)
    const events = [
      ...(await appendEvents(store, acme, 'user.created', 'user.updated')),
      ...(await appendEvents(store, acme, 'group.created')),
    ]
    await waitForCursor(store, webhook.id, events.at(-1)?.position ?? Infinity)
    assert.deepEqual(
      receiver.received.map((r) => r.id),
      events.map((e) => e.id),
    )
    const verifier = new Webhook(secret)
    for (const [i, r] of receiver.received.entries()) {
      const event = events[i]
      assert.ok(event)
      assert.ok(r.body.equals(Buffer.from(event.body, 'utf8')), 'the exact stored bytes')
      assert.deepEqual(
        verifier.verify(r.body.toString('utf8'), headersOf(r)),
        JSON.parse(event.body),
      )
      assert.equal(r.headers['content-type'], 'application/json')
      assert.equal(r.headers['user-agent'], USER_AGENT)
      assert.match(String(r.headers['webhook-timestamp']), /^\d{10}$/)
      assert.match(String(r.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/)
    }
    assert.throws(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
        receiver.received[0]?.body.toString('utf8') ?? '',
        headersOf(receiver.received[0] as Received),
      ),
    )
    const log = await store.webhookDeliveries.list(webhook.id, 10)
    assert.deepEqual(
      log.map((d) => [d.eventId, d.outcome, d.status, d.attempt]),
      events.map((e) => [e.id, 'delivered', 200, 1]).reverse(),
    )
  })

  it('retries 500 and timeouts on the schedule while later events wait, then delivers in order', async (t) => {
    const store = await openStore(t)
    const acme = await addTenant(store, 'acme')
    const receiver = await startReceiver()
    t.after(() => receiver.close())
    receiver.script('/hook', { status: 500 }, 'hang')
    const { webhook } = await createWebhook(store, SECRET_BOX, { url: `${receiver.url}/hook` })
    startWorker(t, store, { timeoutMs: 300, retryScheduleMs: [100, 200] })
    const [first, second] = await appendEvents(store, acme, 'user.created', 'user.updated')
    assert.ok(first && second)
    await waitForCursor(store, webhook.id, second.position)
    assert.deepEqual(
      receiver.received.map((r) => r.id),
      [first.id, first.id, first.id, second.id],
    )
    const log = (await store.webhookDeliveries.list(webhook.id, 10)).reverse()
    assert.deepEqual(
      log.map((d) => [d.eventId, d.attempt, d.outcome, d.status]),
      [
        [first.id, 1, 'failed', 500],
        [first.id, 2, 'failed', null],
        [first.id, 3, 'delivered', 200],
        [second.id, 1, 'delivered', 200],
      ],
    )
    assert.match(log[0]?.error ?? '', /^HTTP 500/)
    assert.match(log[1]?.error ?? '', /timed out/)
    for (const failed of log.slice(0, 2)) {
      const wait = Date.parse(failed.nextTryAt ?? '') - Date.parse(failed.at)
      const step = failed.attempt === 1 ? 100 : 200
      assert.ok(wait >= step * 0.9 - 2 && wait <= step * 1.1 + 2, `jittered wait ${wait}`)
    }
  })

  it("honours Retry-After (seconds or an HTTP-date) when it is later than the schedule's step", async (t) => {
    const store = await openStore(t)
    const acme = await addTenant(store, 'acme')
    const receiver = await startReceiver()
    t.after(() => receiver.close())
    const date = new Date(Date.now() + 60_000).toUTCString()
    receiver.script(
      '/hook',
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 503, headers: { 'retry-after': date } },
    )
    const { webhook } = await createWebhook(store, SECRET_BOX, { url: `${receiver.url}/hook` })
    startWorker(t, store, { retryScheduleMs: [100, 100, 1500] })
    const [event] = await appendEvents(store, acme, 'user.created')
    await waitForCursor(store, webhook.id, event?.position ?? Infinity)
    assert.deepEqual(
      receiver.received.map((r) => r.id),
      [event?.id, event?.id, event?.id],
    )
    const [first, second] = (await store.webhookDeliveries.list(webhook.id, 10)).reverse()
    assert.ok(first && second)
    const wait = (d: typeof first) => Date.parse(d.nextTryAt ?? '') - Date.parse(d.at)
    assert.equal(first.status, 429)
    assert.ok(wait(first) >= 995, `Retry-After 1 s, not the 100 ms step: ${wait(first)}`)
    // An HTTP-date a minute away is capped at the schedule's largest step (1.5 s).
    assert.equal(second.status, 503)
    assert.ok(wait(second) >= 1495 && wait(second) <= 1505, `capped: ${wait(second)}`)
  })

  it('dead-letters an event after the schedule and moves on to the next', async (t) => {
    const store = await openStore(t)
    const acme = await addTenant(store, 'acme')
    const receiver = await startReceiver()
    t.after(() => receiver.close())
    receiver.script('/hook', { status: 500 }, { status: 502 }, { status: 500 })
    const { webhook } = await createWebhook(store, SECRET_BOX, { url: `${receiver.url}/hook` })
    startWorker(t, store, { retryScheduleMs: [50, 100] })
    const [doomed, next] = await appendEvents(store, acme, 'user.created', 'user.deleted')
    assert.ok(doomed && next)
    await waitForCursor(store, webhook.id, next.position)
    assert.deepEqual(
      receiver.received.map((r) => r.id),
      [doomed.id, doomed.id, doomed.id, next.id],
    )
    const letters = await store.webhookDeliveries.deadLetters(webhook.id, 10)
    assert.deepEqual(
      letters.map((l) => [l.eventId, l.position, l.attempts, l.lastError]),
      [[doomed.id, doomed.position, 3, 'HTTP 500: status 500']],
    )
    const outcomes = (await store.webhookDeliveries.list(webhook.id, 10)).map((d) => d.outcome)
    assert.deepEqual(outcomes, ['delivered', 'dead_lettered', 'failed', 'failed'])
    assert.equal((await store.webhooks.get(webhook.id))?.cursor, next.position)
  })

  it('disables the endpoint on 410 Gone, keeps the event pending and sends it once re-enabled', async (t) => {
    const store = await openStore(t)
    const acme = await addTenant(store, 'acme')
    const receiver = await startReceiver()
    t.after(() => receiver.close())
    receiver.script('/hook', { status: 410 })
    const { webhook } = await createWebhook(store, SECRET_BOX, { url: `${receiver.url}/hook` })
    const worker = startWorker(t, store)
    const [first] = await appendEvents(store, acme, 'user.created')
    const disabled = await waitFor('the endpoint disabled', async () => {
      const endpoint = await store.webhooks.get(webhook.id)
      return endpoint?.enabled === false && endpoint
    })
    assert.equal(disabled.disabledReason, '410 Gone')
    const [second] = await appendEvents(store, acme, 'user.updated')
    // Wake-ups and polls while disabled send nothing.
    for (let i = 0; i < 5; i++) worker.wake()
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.deepEqual(
      receiver.received.map((r) => r.id),
      [first?.id],
    )
    await setWebhookEnabled(store, webhook.id, true)
    await waitForCursor(store, webhook.id, second?.position ?? Infinity)
    assert.deepEqual(
      receiver.received.map((r) => r.id),
      [first?.id, first?.id, second?.id],
    )
    const log = await store.webhookDeliveries.list(webhook.id, 10)
    assert.equal(log.at(-1)?.outcome, 'gone')
    assert.equal(log.at(-1)?.status, 410)
  })

  it("filters by tenant and by event type; one endpoint's hang never delays another", async (t) => {
    const store = await openStore(t)
    const acme = await addTenant(store, 'acme')
    const globex = await addTenant(store, 'globex')
    const receiver = await startReceiver()
    t.after(() => receiver.close())
    receiver.script('/slow', 'hang')
    await createWebhook(store, SECRET_BOX, { url: `${receiver.url}/acme`, tenant: 'acme' })
    await createWebhook(store, SECRET_BOX, {
      url: `${receiver.url}/groups`,
      events: ['group.created', 'group.deleted'],
    })
    await createWebhook(store, SECRET_BOX, { url: `${receiver.url}/slow` })
    startWorker(t, store, { timeoutMs: 10_000 })
    const a = await appendEvents(store, acme, 'user.created', 'group.created')
    const g = await appendEvents(store, globex, 'group.deleted', 'user.deleted')
    const ids = (path: string) => receiver.received.filter((r) => r.path === path).map((r) => r.id)
    await waitFor(
      'the filtered deliveries',
      () => ids('/acme').length >= 2 && ids('/groups').length >= 2,
    )
    assert.deepEqual(ids('/acme'), [a[0]?.id, a[1]?.id])
    assert.deepEqual(ids('/groups'), [a[1]?.id, g[0]?.id])
    // /slow still holds its first event: the others did not wait for it.
    assert.deepEqual(ids('/slow'), [a[0]?.id])
    assert.equal(receiver.inFlight('/slow').now, 1)
    receiver.releaseHung()
    await waitFor('/slow catching up', () => ids('/slow').length >= 4)
    assert.deepEqual(
      ids('/slow'),
      [...a, ...g].map((e) => e.id),
    )
  })

  it('signs with both secrets during a rotation overlap, then with the new one only', async (t) => {
    const store = await openStore(t)
    const acme = await addTenant(store, 'acme')
    const receiver = await startReceiver()
    t.after(() => receiver.close())
    const { webhook, secret: old } = await createWebhook(store, SECRET_BOX, {
      url: `${receiver.url}/hook`,
    })
    startWorker(t, store)
    const { secret: fresh } = await rotateWebhookSecret(store, SECRET_BOX, webhook.id, 24)
    const [during] = await appendEvents(store, acme, 'user.created')
    await waitFor('the first delivery', () => receiver.received.length >= 1)
    const overlap = receiver.received[0] as Received
    assert.equal(overlap.id, during?.id)
    assert.equal(String(overlap.headers['webhook-signature']).split(' ').length, 2)
    for (const secret of [fresh, old]) {
      assert.ok(new Webhook(secret).verify(overlap.body.toString('utf8'), headersOf(overlap)))
    }
    const { secret: newest } = await rotateWebhookSecret(store, SECRET_BOX, webhook.id, 0)
    const [after] = await appendEvents(store, acme, 'user.updated')
    await waitFor('the second delivery', () => receiver.received.length >= 2)
    const single = receiver.received[1] as Received
    assert.equal(single.id, after?.id)
    assert.equal(String(single.headers['webhook-signature']).split(' ').length, 1)
    assert.ok(new Webhook(newest).verify(single.body.toString('utf8'), headersOf(single)))
    assert.throws(() => new Webhook(fresh).verify(single.body.toString('utf8'), headersOf(single)))
  })

  it('redelivers an event on request, outside the ordered stream, and logs it as manual', async (t) => {
    const store = await openStore(t)
    const acme = await addTenant(store, 'acme')
    const receiver = await startReceiver()
    t.after(() => receiver.close())
    const { webhook } = await createWebhook(store, SECRET_BOX, { url: `${receiver.url}/hook` })
    startWorker(t, store)
    const [event] = await appendEvents(store, acme, 'user.created')
    assert.ok(event)
    await waitFor('the delivery', () => receiver.received.length >= 1)
    await redeliverWebhook(store, webhook.id, event.id)
    await waitFor(
      'the redelivery logged',
      async () => (await store.webhookDeliveries.list(webhook.id, 10)).length >= 2,
    )
    assert.deepEqual(
      receiver.received.map((r) => r.id),
      [event.id, event.id],
    )
    const [latest] = await store.webhookDeliveries.list(webhook.id, 10)
    assert.equal(latest?.manual, true)
    assert.equal(latest?.outcome, 'delivered')
    assert.equal((await store.webhooks.get(webhook.id))?.cursor, event.position)
    const other = await createWebhook(store, SECRET_BOX, {
      url: `${receiver.url}/other`,
      events: ['group.created'],
    })
    await assert.rejects(redeliverWebhook(store, other.webhook.id, event.id), {
      code: 'invalid_request',
    })
    await assert.rejects(redeliverWebhook(store, webhook.id, 'evt_nope'), { code: 'not_found' })
  })

  it('on close cuts an attempt in flight short, records nothing and gives the lease back', async (t) => {
    const store = await openStore(t)
    const acme = await addTenant(store, 'acme')
    const receiver = await startReceiver()
    t.after(() => receiver.close())
    receiver.script('/hook', 'hang')
    const { webhook } = await createWebhook(store, SECRET_BOX, { url: `${receiver.url}/hook` })
    const first = startWorker(t, store, { timeoutMs: 60_000 })
    const [event] = await appendEvents(store, acme, 'user.created')
    assert.ok(event)
    await waitFor('the hung request', () => receiver.received.length >= 1)
    await first.close()
    const endpoint = await store.webhooks.get(webhook.id)
    assert.equal(endpoint?.leaseOwner, null)
    assert.ok((endpoint?.cursor ?? Infinity) < event.position, 'not delivered')
    assert.deepEqual(await store.webhookDeliveries.list(webhook.id, 10), [])
    // The next worker need not wait for a lease to run out (60 s and more here).
    startWorker(t, store, { timeoutMs: 60_000 })
    await waitForCursor(store, webhook.id, event.position)
    assert.deepEqual(
      receiver.received.map((r) => r.id),
      [event.id, event.id],
    )
  })
})
