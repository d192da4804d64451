// Two instances (two stores, two workers) on one PostgreSQL database deliver to shared endpoints:
// never two requests to one endpoint at once, every event in position order, while events are
// appended through both stores and the receiver fails now and then. Skipped without PostgreSQL.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openPostgresStore } from '../../src/store/postgres/open-postgres.ts'
import type { StoredEvent, Store } from '../../src/store/store.ts'
import { createWebhook } from '../../src/webhooks/endpoints.ts'
import { WebhookWorker } from '../../src/webhooks/worker.ts'
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/postgres.ts'
import {
  addTenant,
  appendEvents,
  FAST,
  SECRET_BOX,
  startReceiver,
  waitForCursor,
  type Receiver,
} from './support.ts'

const skip = await postgresSkipReason()

describe('two webhook workers on one PostgreSQL database', { skip }, () => {
  let database: TestDatabase
  let one: Store
  let two: Store
  let receiver: Receiver

  before(async () => {
    database = await createTestDatabase('rollcall_webhooks')
    one = openPostgresStore(database.url, 4)
    two = openPostgresStore(database.url, 4)
    await one.migrate()
    await two.migrate()
    let n = 0
    // Every seventh request fails, so retries interleave with the other worker's claims; each
    // answer takes a moment, so that a second request to an endpoint would overlap the first.
    receiver = await startReceiver(() => ({ status: ++n % 7 === 0 ? 503 : 200, delayMs: 5 }))
  })

  after(async () => {
    await receiver?.close()
    await one?.close()
    await two?.close()
    await database?.drop()
  })

  it('never delivers to one endpoint concurrently and keeps the order of each', async () => {
    const acme = await addTenant(one, 'acme')
    const paths = ['/a', '/b', '/c']
    const ids: string[] = []
    for (const path of paths) {
      ids.push((await createWebhook(one, SECRET_BOX, { url: `${receiver.url}${path}` })).webhook.id)
    }
    const options = { ...FAST, retryScheduleMs: [20, 50, 100, 200], concurrency: 2 }
    const workers = [
      new WebhookWorker(one, SECRET_BOX, options),
      new WebhookWorker(two, SECRET_BOX, options),
    ]
    for (const worker of workers) worker.start()
    try {
      const events: StoredEvent[] = []
      for (let i = 0; i < 20; i++) {
        const store = i % 2 === 0 ? one : two
        events.push(...(await appendEvents(store, acme, 'user.created', 'user.updated')))
      }
      const last = events.at(-1)?.position ?? Infinity
      for (const id of ids) await waitForCursor(one, id, last)
      for (const path of paths) {
        assert.equal(receiver.inFlight(path).max, 1, `${path}: one request at a time`)
        const got = receiver.received.filter((r) => r.path === path).map((r) => r.id)
        // Retries repeat an id; the first arrivals are the positions in order, none missing.
        const firsts = got.filter((id, i) => got.indexOf(id) === i)
        assert.deepEqual(
          firsts,
          events.map((e) => e.id),
          path,
        )
        for (let i = 1; i < got.length; i++) {
          const a = events.findIndex((e) => e.id === got[i - 1])
          const b = events.findIndex((e) => e.id === got[i])
          assert.ok(b === a || b === a + 1, `${path}: ${got[i]} after ${got[i - 1]}`)
        }
      }
    } finally {
      await Promise.all(workers.map((worker) => worker.close()))
    }
  })
})
