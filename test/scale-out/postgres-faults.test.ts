// PostgreSQL faults (issue #3): readiness follows the database, a lost connection answers 503
// with Retry-After (never a half-written change or a 500), and requests recover without a
// process restart after the backends are terminated.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { loadConfig } from '../../src/config.ts'
import { createSecretBox } from '../../src/credentials/secret-box.ts'
import { issueScimToken, loadSigningKey } from '../../src/credentials/scim-tokens.ts'
import { newTenantId } from '../../src/domain/ids.ts'
import { buildApp } from '../../src/http/app.ts'
import { ProvisioningLogWriter } from '../../src/provisioning/log-writer.ts'
import { openPostgresStore } from '../../src/store/postgres/open-postgres.ts'
import type { Store } from '../../src/store/store.ts'
import {
  createTestDatabase,
  POSTGRES_URL,
  postgresSkipReason,
  type TestDatabase,
} from '../support/postgres.ts'

const skip = await postgresSkipReason()
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'

describe('PostgreSQL faults', { skip }, () => {
  let database: TestDatabase
  let store: Store
  let app: Awaited<ReturnType<typeof buildApp>>
  let log: ProvisioningLogWriter
  let token: string
  const name = () => new URL(database.url).pathname.slice(1)

  async function admin(query: string, values: unknown[] = []): Promise<void> {
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    try {
      await client.query(query, values)
    } finally {
      await client.end()
    }
  }
  const terminateBackends = () =>
    admin(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name()],
    )

  before(async () => {
    database = await createTestDatabase('rollcall_faults')
    store = openPostgresStore(database.url, 4)
    await store.migrate()
    const secretBox = createSecretBox('f'.repeat(40))
    const signingKey = await loadSigningKey(store, secretBox)
    const tenant = await store.tenants.create({
      id: newTenantId(),
      slug: 'acme',
      name: 'Acme',
      createdAt: new Date().toISOString(),
    })
    token = (
      await issueScimToken(store, signingKey, tenant, 'https://rollcall.test', {
        force: true,
      })
    ).token
    log = new ProvisioningLogWriter(store, {
      retentionDays: 1,
      maxRowsPerTenant: 100,
      onError: () => {},
    })
    app = await buildApp(loadConfig({ PUBLIC_URL: 'https://rollcall.test' }), {
      store,
      signingKey,
      secretBox,
      log,
      logger: false,
    })
  })

  after(async () => {
    await admin(`alter database ${name()} with allow_connections true`).catch(() => undefined)
    await app?.close()
    await log?.close()
    await store?.close()
    await database?.drop()
  })

  const scim = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    app.inject({
      method,
      url: `/scim/v2/acme${path}`,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/scim+json' } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    })

  it('recovers by itself after every backend connection is terminated', async () => {
    for (let i = 0; i < 5; i++)
      assert.equal(
        (await scim('POST', '/Users', { schemas: [USER], userName: `r${i}@x.io` })).statusCode,
        201,
      )
    await terminateBackends()
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) {
      statuses.push((await scim('GET', '/Users?count=1')).statusCode)
    }
    assert.ok(!statuses.includes(500), `no 500s: ${statuses.join(',')}`)
    assert.equal(statuses.at(-1), 200, `recovered: ${statuses.join(',')}`)
    assert.equal(
      (await scim('POST', '/Users', { schemas: [USER], userName: 'after@x.io' })).statusCode,
      201,
    )
  })

  it('answers 503 with Retry-After while the database refuses connections, and readiness follows', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
    await admin(`alter database ${name()} with allow_connections false`)
    await terminateBackends()
    const ready = await app.inject({ method: 'GET', url: '/readyz' })
    assert.equal(ready.statusCode, 503)
    const write = await scim('POST', '/Users', { schemas: [USER], userName: 'down@x.io' })
    assert.equal(write.statusCode, 503)
    assert.ok(write.headers['retry-after'])
    assert.equal(write.json().status, '503')
    assert.match(write.headers['content-type'] as string, /application\/scim\+json/)

    await admin(`alter database ${name()} with allow_connections true`)
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
    const found = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "down@x.io"')}`,
    )
    assert.equal(found.statusCode, 200)
    assert.equal(found.json().totalResults, 0, 'the refused write left nothing behind')
    assert.equal(
      (await scim('POST', '/Users', { schemas: [USER], userName: 'down@x.io' })).statusCode,
      201,
    )
  })
})
