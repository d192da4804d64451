// No caller hears of a write before the WAL flush that covers it has completed: a flush held
// back by the test holds back every acknowledgement, and releasing it releases them.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.ts'
import { newTenantId } from '../../../src/domain/ids.ts'
import { fdatasyncFile } from '../../../src/store/sqlite/wal-sync.ts'

interface HeldFlushes {
  readonly flush: (fd: number) => Promise<void>
  /** Flushes started and not yet released. */
  readonly started: (() => void)[]
  /** Whether a flush is allowed to finish at once. */
  hold: boolean
}

function heldFlushes(): HeldFlushes {
  const held: HeldFlushes = {
    hold: false,
    started: [],
    flush: async (fd) => {
      if (held.hold) await new Promise<void>((resolve) => held.started.push(resolve))
      await fdatasyncFile(fd)
    },
  }
  return held
}

async function openStore(t: TestContext, flushes: HeldFlushes) {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-flush-'))
  const store = openSqliteStore(join(dir, 'rollcall.sqlite'), { flushWal: flushes.flush })
  t.after(async () => {
    flushes.hold = false
    for (const release of flushes.started.splice(0)) release()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  await store.migrate()
  return store
}

/** Lets the event loop run (timers, the threadpool's callbacks) a while. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50))

/** Waits until `condition` holds (the batch has run); fails after 10 s. */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

test('transactions are acknowledged only once their flush has completed', async (t) => {
  const flushes = heldFlushes()
  const store = await openStore(t, flushes)
  flushes.hold = true
  const acknowledged: number[] = []
  const writes = [1, 2, 3].map((n) =>
    store
      .transaction((tx) => tx.settings.set(`k${n}`, 'v', '2026-01-01T00:00:00Z'))
      .then(() => acknowledged.push(n)),
  )
  await until(() => flushes.started.length > 0, 'the batch committed')
  await settle()
  assert.deepEqual(acknowledged, [], 'no write acknowledged while its flush is held')
  assert.equal(flushes.started.length, 1, 'one flush for the batch')
  // Committed (a reader sees it), not yet acknowledged.
  assert.equal((await store.settings.get('k1'))?.value, 'v')

  flushes.hold = false
  flushes.started.shift()?.()
  await Promise.all(writes)
  assert.deepEqual(acknowledged.sort(), [1, 2, 3])
})

test('a batch committed during the previous flush waits for a flush of its own', async (t) => {
  const flushes = heldFlushes()
  const store = await openStore(t, flushes)
  flushes.hold = true
  let firstDone = false
  let secondDone = false
  const first = store
    .transaction((tx) => tx.settings.set('a', 'v', '2026-01-01T00:00:00Z'))
    .then(() => (firstDone = true))
  await until(() => flushes.started.length === 1, 'the first batch committed')
  // The first batch's flush is held; the next batch still runs and commits meanwhile.
  const second = store
    .transaction((tx) => tx.settings.set('b', 'v', '2026-01-01T00:00:00Z'))
    .then(() => (secondDone = true))
  await until(
    async () => (await store.settings.get('b'))?.value === 'v',
    'the second batch committed',
  )
  assert.equal(flushes.started.length, 1, 'its flush waits for the one under way')

  flushes.started.shift()?.()
  await first
  assert.equal(firstDone, true)
  await until(() => flushes.started.length === 1, 'the second flush started')
  await settle()
  assert.equal(secondDone, false, 'the first flush began before the second commit')

  flushes.hold = false
  flushes.started.shift()?.()
  await second
  assert.equal(secondDone, true)
})

test('a write outside a transaction returns only once flushed', async (t) => {
  const flushes = heldFlushes()
  const store = await openStore(t, flushes)
  flushes.hold = true
  let done = false
  const write = store.settings.set('c', 'v', '2026-01-01T00:00:00Z').then(() => (done = true))
  await until(() => flushes.started.length === 1, 'the write committed')
  await settle()
  assert.equal(done, false)
  flushes.hold = false
  flushes.started.shift()?.()
  await write
  assert.equal(done, true)
})

test('a failed flush fails the writes it covered, and every later one', async (t) => {
  let fail = false
  const flushes = heldFlushes()
  const failing = {
    ...flushes,
    flush: async (fd: number) => {
      if (fail) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })
      await fdatasyncFile(fd)
    },
  }
  const store = await openStore(t, failing)
  fail = true
  await assert.rejects(
    store.transaction((tx) => tx.settings.set('d', 'v', '2026-01-01T00:00:00Z')),
    { name: 'StoreUnavailable' },
  )
  fail = false
  await assert.rejects(
    store.transaction((tx) => tx.settings.set('e', 'v', '2026-01-01T00:00:00Z')),
    { name: 'StoreUnavailable' },
  )
})

test('events committed but not yet flushed are not read outside a transaction', async (t) => {
  const flushes = heldFlushes()
  const store = await openStore(t, flushes)
  const tenant = await store.tenants.create({
    id: newTenantId(),
    slug: 'acme',
    name: 'Acme',
    createdAt: '2026-01-01T00:00:00Z',
  })
  const event = {
    type: 'user.created',
    data: {},
    actor: { type: 'system' as const },
    requestId: null,
  }
  const append = () => store.transaction((tx) => tx.forTenant(tenant.id).events.append([event]))
  const [first] = await append()
  flushes.hold = true
  const second = append()
  await until(() => flushes.started.length === 1, 'the second append committed')
  const events = store.forTenant(tenant.id).events
  assert.deepEqual(
    (await events.after({ after: 0, limit: 10 })).map((e) => e.position),
    [first?.position],
  )
  assert.equal(await events.head(), first?.position)
  assert.equal(await store.events.head(), first?.position)
  assert.equal((await store.events.after({ after: 0, limit: 10 })).length, 1)

  flushes.hold = false
  flushes.started.shift()?.()
  const [stored] = await second
  assert.equal(await events.head(), stored?.position)
  assert.equal((await events.after({ after: 0, limit: 10 })).length, 2)
})

test('a request rolled back in a batch does not reveal the events of the next', async (t) => {
  const flushes = heldFlushes()
  const store = await openStore(t, flushes)
  const tenant = await store.tenants.create({
    id: newTenantId(),
    slug: 'acme',
    name: 'Acme',
    createdAt: '2026-01-01T00:00:00Z',
  })
  const event = {
    type: 'user.created',
    data: {},
    actor: { type: 'system' as const },
    requestId: null,
  }
  flushes.hold = true
  // Called in one tick, so one batch: the first takes a position, rolls back, and the second
  // takes the same position.
  const failing = store.transaction(async (tx) => {
    await tx.forTenant(tenant.id).events.append([event])
    throw new Error('refused')
  })
  const second = store.transaction((tx) => tx.forTenant(tenant.id).events.append([event]))
  await assert.rejects(failing, /refused/)
  await until(() => flushes.started.length === 1, 'the batch committed')
  assert.deepEqual(await store.forTenant(tenant.id).events.after({ after: 0, limit: 10 }), [])
  assert.equal(await store.events.head(), 0)

  flushes.hold = false
  flushes.started.shift()?.()
  const [stored] = await second
  assert.equal(await store.events.head(), stored?.position)
})
