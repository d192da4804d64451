// GET /api/v1/events: pages after a cursor with the stored bytes, the cursor of an empty page,
// types and tenant filters, validation, and the long poll (woken by an append, by a writer in
// another process through the re-check, bounded, and let go when the client disconnects).
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import Fastify from 'fastify'
import type { TenantId } from '../../../src/domain/ids.ts'
import { v1Routes } from '../../../src/http/routes/v1/index.ts'
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.ts'
import type { Store } from '../../../src/store/store.ts'
import { TEST_STORE } from '../../helper.ts'
import { buildV1, json } from './support.ts'

interface FeedBody {
  data: { id: string; type: string; tenant: string; data: unknown }[]
  after: string
}

function append(store: Store, tenantId: TenantId, ...types: string[]) {
  return store.forTenant(tenantId).events.append(
    types.map((type) => ({
      type,
      data: { id: `${type}-data`, note: 'ünïcode ✓' },
      actor: { type: 'system' },
      requestId: null,
    })),
  )
}

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('/api/v1/events', () => {
  it('pages the events after a cursor, with the stored bytes unchanged', async (t) => {
    const h = await buildV1(t)
    const stored = await append(
      h.store,
      h.acme.tenant.id,
      'user.created',
      'user.updated',
      'group.created',
    )
    const first = await h.call(h.keys.acmeRead, 'GET', '/api/v1/events?limit=2')
    assert.equal(first.statusCode, 200, first.body)
    assert.match(String(first.headers['content-type']), /^application\/json/)
    const bodies = stored.map((e) => e.body)
    assert.equal(
      first.body,
      `{"data":[${bodies[0]},${bodies[1]}],"after":"${stored[1]?.position}"}`,
    )
    const page = json<FeedBody>(first)
    assert.deepEqual(
      page.data.map((e) => e.type),
      ['user.created', 'user.updated'],
    )
    assert.equal(page.data[0]?.tenant, 'acme')

    const second = json<FeedBody>(
      await h.call(h.keys.acmeRead, 'GET', `/api/v1/events?after=${page.after}&limit=2`),
    )
    assert.deepEqual(
      second.data.map((e) => e.id),
      [stored[2]?.id],
    )
    // Nothing new: an empty page that keeps the cursor.
    const empty = await h.call(h.keys.acmeRead, 'GET', `/api/v1/events?after=${second.after}`)
    assert.equal(empty.body, `{"data":[],"after":"${second.after}"}`)
  })

  it('moves the cursor of an empty page past events the key does not see', async (t) => {
    const h = await buildV1(t)
    await append(h.store, h.acme.tenant.id, 'user.created')
    const [other] = await append(h.store, h.globex.tenant.id, 'user.created')
    const acmeHead = await h.store.forTenant(h.acme.tenant.id).events.head()
    const acme = json<FeedBody>(
      await h.call(h.keys.acmeRead, 'GET', `/api/v1/events?after=${acmeHead}`),
    )
    assert.deepEqual(acme, { data: [], after: String(acmeHead) })
    const types = json<FeedBody>(
      await h.call(h.keys.operatorRead, 'GET', '/api/v1/events?types=group.deleted'),
    )
    assert.deepEqual(types, { data: [], after: String(other?.position) })
    // A fresh log: cursor 0.
    const g = await buildV1(t)
    assert.equal(
      (await g.call(g.keys.operatorRead, 'GET', '/api/v1/events')).body,
      '{"data":[],"after":"0"}',
    )
  })

  it('filters by types, and gives operator keys every tenant or one', async (t) => {
    const h = await buildV1(t)
    await append(h.store, h.acme.tenant.id, 'user.created', 'group.created')
    await append(h.store, h.globex.tenant.id, 'user.created')
    const all = json<FeedBody>(await h.call(h.keys.operatorRead, 'GET', '/api/v1/events'))
    assert.deepEqual(
      all.data.map((e) => `${e.tenant}:${e.type}`),
      ['acme:user.created', 'acme:group.created', 'globex:user.created'],
    )
    const globex = json<FeedBody>(
      await h.call(h.keys.operatorRead, 'GET', '/api/v1/events?tenant=globex'),
    )
    assert.deepEqual(
      globex.data.map((e) => e.tenant),
      ['globex'],
    )
    const users = json<FeedBody>(
      await h.call(h.keys.operatorRead, 'GET', '/api/v1/events?types=user.created,user.deleted'),
    )
    assert.deepEqual(
      users.data.map((e) => e.tenant),
      ['acme', 'globex'],
    )
    const own = json<FeedBody>(await h.call(h.keys.acmeRead, 'GET', '/api/v1/events'))
    assert.deepEqual(
      own.data.map((e) => e.tenant),
      ['acme', 'acme'],
    )
    assert.equal(
      (await h.call(h.keys.operatorRead, 'GET', '/api/v1/events?tenant=nope')).statusCode,
      404,
    )
  })

  it('refuses garbage cursors, limits, waits and types with 400', async (t) => {
    const h = await buildV1(t)
    for (const query of [
      'after=abc',
      'after=-1',
      'after=1.5',
      'after=99999999999999999999',
      'after=01',
      'limit=0',
      'limit=501',
      'wait=31',
      'wait=-1',
      'types=DROP%20TABLE',
    ]) {
      const res = await h.call(h.keys.acmeRead, 'GET', `/api/v1/events?${query}`)
      assert.equal(res.statusCode, 400, query)
      assert.equal(json(res).code, 'invalid_request', query)
    }
  })

  it('long-polls: answers as soon as an event is appended', async (t) => {
    const h = await buildV1(t)
    const head = await h.store.events.head()
    const waiting = h.call(h.keys.acmeRead, 'GET', `/api/v1/events?after=${head}&wait=30`)
    let answered = false
    void waiting.then(() => (answered = true))
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(answered, false, 'an empty page waits')
    // Another tenant's event does not answer it; its own does.
    await append(h.store, h.globex.tenant.id, 'user.created')
    const [event] = await append(h.store, h.acme.tenant.id, 'user.deleted')
    const res = await waiting
    assert.equal(res.statusCode, 200)
    assert.deepEqual(json<FeedBody>(res), {
      ...JSON.parse(`{"data":[${event?.body}]}`),
      after: String(event?.position),
    })
  })

  it(
    'long-polls: sees a writer in another process through the re-check',
    { skip: TEST_STORE !== 'sqlite' && 'a second SQLite connection' },
    async (t) => {
      const h = await buildV1(t)
      const other = openSqliteStore(join(h.config.dataDir, 'rollcall.sqlite'))
      t.after(() => other.close())
      const waiting = h.call(h.keys.acmeRead, 'GET', '/api/v1/events?wait=30')
      await new Promise((resolve) => setTimeout(resolve, 100))
      const [event] = await append(other, h.acme.tenant.id, 'user.created')
      const res = json<FeedBody>(await waiting)
      assert.deepEqual(
        res.data.map((e) => e.id),
        [event?.id],
      )
    },
  )

  it('answers an empty page at the deadline', async (t) => {
    const h = await buildV1(t)
    const res = await h.call(h.keys.acmeRead, 'GET', '/api/v1/events?wait=1')
    assert.equal(res.body, '{"data":[],"after":"0"}')
  })

  it('bounds the waiting requests and lets one go when its client disconnects', async (t) => {
    const h = await buildV1(t)
    // The store as the routes see it, counting the long polls subscribed (waiting).
    let waiting = 0
    const events = h.store.events
    const store: Store = Object.create(h.store, {
      events: {
        value: Object.assign(Object.create(events), {
          subscribe(listener: () => void) {
            waiting++
            const stop = events.subscribe(listener)
            return () => {
              waiting--
              stop()
            }
          },
        }),
      },
    })
    const app = Fastify()
    await app.register((scope) => v1Routes(scope, { config: h.config, store, maxWaiters: 1 }), {
      prefix: '/api/v1',
    })
    await app.listen({ host: '127.0.0.1', port: 0 })
    t.after(() => app.close())
    const address = app.server.address()
    assert.ok(address && typeof address === 'object')
    const url = `http://127.0.0.1:${address.port}/api/v1/events?wait=30`
    const headers = { authorization: `Bearer ${h.keys.acmeRead}` }
    const first = new AbortController()
    const pending = fetch(url, { headers, signal: first.signal }).catch((error: Error) => error)
    // A check sent before the first request waits would wait in its place (writes no longer
    // block the event loop, so a later request can overtake the first one's authentication).
    await until(async () => waiting === 1, 'the first long poll to wait')
    // While it waits, a second long poll is refused; a plain read is not.
    const refused = async () => {
      const check = await fetch(url, { headers, signal: AbortSignal.timeout(1000) }).catch(
        () => undefined,
      )
      return check?.status === 503
    }
    await until(refused, 'the waiter bound', 20_000)
    assert.equal((await fetch(url.replace('wait=30', 'wait=0'), { headers })).status, 200)
    first.abort()
    assert.ok((await pending) instanceof Error)
    // Its slot (and subscription) is released: long polls are taken again, and an event answers one.
    await until(
      async () => (await fetch(url.replace('wait=30', 'wait=1'), { headers })).status === 200,
      'the slot to be released',
    )
    const second = fetch(url, { headers })
    await new Promise((resolve) => setTimeout(resolve, 100))
    await append(h.store, h.acme.tenant.id, 'user.created')
    const res = await second
    assert.equal(res.status, 200)
    assert.equal(((await res.json()) as FeedBody).data.length, 1)
  })
})
