// Two Rollcall processes on one PostgreSQL database (SPEC §8, issue #3): correctness under
// concurrency comes from the database — duplicates, member changes and token revocation.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/postgres.ts'
import { runCli, startServer, type ServerProcess } from '../support/processes.ts'

const skip = await postgresSkipReason()
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

describe('two instances on one PostgreSQL database', { skip }, () => {
  let database: TestDatabase
  let dataDir: string
  let env: Record<string, string>
  let a: ServerProcess
  let b: ServerProcess
  let token: string

  before(async () => {
    database = await createTestDatabase('rollcall_multi')
    dataDir = mkdtempSync(join(tmpdir(), 'rollcall-multi-'))
    env = {
      DATABASE_URL: database.url,
      ROLLCALL_SECRET: 'multi-instance-test-secret-0123456789abcdef',
      PUBLIC_URL: 'http://rollcall.test',
      DATA_DIR: dataDir,
    }
    await runCli(env, 'tenant', 'create', '--slug', 'acme')
    token = JSON.parse(
      await runCli(env, 'scim-token', 'issue', '--tenant', 'acme', '--force', '--json'),
    ).token
    // Started together: migrations are guarded by an advisory lock and run once.
    ;[a, b] = await Promise.all([startServer(env), startServer(env)])
  })

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    await database?.drop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  const call = async (
    server: ServerProcess,
    method: string,
    path: string,
    body?: unknown,
    bearer = token,
  ) => {
    const response = await fetch(`${server.url}/scim/v2/acme${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
  }

  it('lets exactly one of two simultaneous creates of the same userName win, each time', async () => {
    for (let i = 0; i < 15; i++) {
      const userName = `same${i}@example.com`
      const results = await Promise.all([
        call(a, 'POST', '/Users', { schemas: [USER], userName }),
        call(b, 'POST', '/Users', { schemas: [USER], userName: userName.toUpperCase() }),
      ])
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 409], `round ${i}`)
      const loser = results.find((r) => r.status === 409)
      assert.equal(loser?.body.scimType, 'uniqueness')
      const found = await call(
        a,
        'GET',
        `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
      )
      assert.equal(found.body.totalResults, 1)
    }
  })

  it('keeps every concurrent member add and remove made through both instances', async () => {
    const users: string[] = []
    for (let i = 0; i < 40; i++) {
      const created = await call(i % 2 ? a : b, 'POST', '/Users', {
        schemas: [USER],
        userName: `member${i}@example.com`,
      })
      assert.equal(created.status, 201)
      users.push(created.body.id)
    }
    const group = await call(a, 'POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Everyone',
      members: users.slice(30).map((value) => ({ value })),
    })
    assert.equal(group.status, 201)
    const id = group.body.id as string
    // Adds of users 0..29 one by one, and removes of 30..39, spread over both instances at once.
    const operations = [
      ...users.slice(0, 30).map((value) => ({ op: 'Add', path: 'members', value: [{ value }] })),
      ...users.slice(30).map((value) => ({ op: 'Remove', path: 'members', value: [{ value }] })),
    ]
    const results = await Promise.all(
      operations.map((operation, i) =>
        call(i % 2 ? a : b, 'PATCH', `/Groups/${id}`, {
          schemas: [PATCH],
          Operations: [operation],
        }),
      ),
    )
    assert.deepEqual([...new Set(results.map((r) => r.status))], [204])
    const final = await call(b, 'GET', `/Groups/${id}`)
    const members = (final.body.members as { value: string }[]).map((m) => m.value).sort()
    assert.deepEqual(members, users.slice(0, 30).sort())
  })

  it("refuses a re-issued token's predecessor on both instances within 1 s", async () => {
    assert.equal((await call(a, 'GET', '/Users?count=1')).status, 200)
    assert.equal((await call(b, 'GET', '/Users?count=1')).status, 200)
    const fresh = JSON.parse(
      await runCli(env, 'scim-token', 'issue', '--tenant', 'acme', '--force', '--json'),
    ).token
    // Each instance reads the tenant at most half a second old (tenant-cache.ts): within 1 s.
    const changedAt = performance.now()
    for (const server of [a, b]) {
      let old = await call(server, 'GET', '/Users?count=1')
      while (old.status === 200 && performance.now() - changedAt <= 1000) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        old = await call(server, 'GET', '/Users?count=1')
      }
      assert.equal(old.status, 401)
      assert.match(old.body.detail, /revoked/)
      assert.equal((await call(server, 'GET', '/Users?count=1', undefined, fresh)).status, 200)
    }
    token = fresh
  })

  it('finishes in-flight requests and exits 0 on SIGTERM', async () => {
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      call(b, 'POST', '/Users', { schemas: [USER], userName: `drain${i}@example.com` }).catch(
        () => ({ status: 0 }),
      ),
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    const code = await b.stop('SIGTERM')
    assert.equal(code, 0, b.output().slice(-2000))
    const statuses = (await Promise.all(inFlight)).map((r) => r.status)
    // Requests the server had accepted were answered; later ones found the port closed (0).
    assert.ok(
      statuses.every((s) => s === 201 || s === 0 || s === 503),
      statuses.join(','),
    )
    b = await startServer(env)
  })

  it('shares one provisioning log between the instances', async () => {
    const log = JSON.parse(
      await runCli(env, 'provisioning-log', '--tenant', 'acme', '--limit', '1000', '--json'),
    )
    assert.ok(log.length > 50, `got ${log.length} entries`)
    assert.ok(log.some((e: { operation: string }) => e.operation === 'Patch Group'))
  })
})
