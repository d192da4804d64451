// No event is lost when an instance dies mid-delivery: a real server process delivers to a
// receiver that hangs on the first request, is killed (SIGKILL) while that request is in flight,
// and a new server on the same data takes the endpoint over once the dead one's lease has ended,
// delivering the event again and then the next one, in order. On SQLite and on PostgreSQL.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { openPostgresStore } from '../../src/store/postgres/open-postgres.ts'
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts'
import type { Tenant } from '../../src/domain/types.ts'
import type { Store } from '../../src/store/store.ts'
import { createTestDatabase, postgresSkipReason } from '../support/postgres.ts'
import { runCli, startServer, type ServerProcess } from '../support/processes.ts'
import { appendEvents, startReceiver, waitFor, waitForCursor } from './support.ts'

const skipPostgres = await postgresSkipReason()

async function killMidDelivery(env: Record<string, string>, openStore: () => Store): Promise<void> {
  const receiver = await startReceiver()
  receiver.script('/hook', 'hang')
  await runCli(env, 'tenant', 'create', '--slug', 'acme')
  const { id } = JSON.parse(
    await runCli(env, 'webhook', 'create', '--url', `${receiver.url}/hook`, '--json'),
  ) as { id: string }
  const store = openStore()
  const servers: ServerProcess[] = []
  try {
    const acme = (await store.tenants.getBySlug('acme')) as Tenant
    const first = await startServer(env)
    servers.push(first)
    const [event] = await appendEvents(store, acme, 'user.deactivated')
    assert.ok(event)
    await waitFor('the first request', () => receiver.received.length >= 1)
    assert.equal(receiver.inFlight('/hook').now, 1, 'the request is in flight')
    await first.stop('SIGKILL')
    const [next] = await appendEvents(store, acme, 'user.deleted')
    assert.ok(next)

    const second = await startServer(env)
    servers.push(second)
    await waitForCursor(store, id, next.position).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${second.output()}`)
    })
    assert.deepEqual(
      receiver.received.map((r) => r.id),
      [event.id, event.id, next.id],
    )
    const log = (await store.webhookDeliveries.list(id, 10)).reverse()
    assert.deepEqual(
      log.map((d) => [d.eventId, d.outcome]),
      [
        [event.id, 'delivered'],
        [next.id, 'delivered'],
      ],
    )
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
    await store.close()
    await receiver.close()
  }
}

const BASE_ENV = {
  ROLLCALL_SECRET: 'webhook-kill-test-secret-0123456789abcdef',
  PUBLIC_URL: 'http://rollcall.test',
  // Short, so the dead instance's lease (twice the timeout and 5 s) ends soon.
  WEBHOOK_TIMEOUT_SECONDS: '2',
  WEBHOOK_RETRY_SECONDS: '0.2,0.4',
}

describe('a server killed mid-delivery', () => {
  it('loses no event on SQLite', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-webhook-kill-'))
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))
    const env = { ...BASE_ENV, DATA_DIR: dataDir, DATABASE_URL: '' }
    await killMidDelivery(env, () => openSqliteStore(join(dataDir, 'rollcall.sqlite')))
  })

  it('loses no event on PostgreSQL', { skip: skipPostgres }, async (t) => {
    const database = await createTestDatabase('rollcall_webhook_kill')
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-webhook-kill-'))
    t.after(async () => {
      rmSync(dataDir, { recursive: true, force: true })
      await database.drop()
    })
    const env = { ...BASE_ENV, DATA_DIR: dataDir, DATABASE_URL: database.url }
    await killMidDelivery(env, () => openPostgresStore(database.url, 2))
  })
})
