// Tenants are cached for SCIM authentication (store/sql/tenant-cache.ts), yet a token re-issued
// or revoked elsewhere — another instance on the same PostgreSQL database, or the CLI next to a
// SQLite server — must be refused within 1 s (issue #11), and the new token must work.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config.ts'
import {
  issueScimToken,
  loadSigningKey,
  revokeScimToken,
} from '../../src/credentials/scim-tokens.ts'
import { createSecretBox } from '../../src/credentials/secret-box.ts'
import { newTenantId } from '../../src/domain/ids.ts'
import { buildApp } from '../../src/http/app.ts'
import { ProvisioningLogWriter } from '../../src/provisioning/log-writer.ts'
import { openPostgresStore } from '../../src/store/postgres/open-postgres.ts'
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts'
import type { Store } from '../../src/store/store.ts'
import { createTestSchema, postgresSkipReason } from '../support/postgres.ts'
import { runCli } from '../support/processes.ts'

const SECRET = 'token-staleness-test-secret-0123456789abcdef'
const PUBLIC_URL = 'https://rollcall.test'
/** The bound the issue sets for every instance. */
const BOUND_MS = 1000

async function appOn(t: TestContext, store: Store, dataDir: string): Promise<FastifyInstance> {
  const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL, ROLLCALL_SECRET: SECRET })
  const secretBox = createSecretBox(SECRET)
  const log = new ProvisioningLogWriter(store, {
    retentionDays: 30,
    maxRowsPerTenant: 1000,
    onError: (error) => {
      throw error
    },
  })
  const app = await buildApp(config, {
    store,
    signingKey: await loadSigningKey(store, secretBox),
    secretBox,
    log,
    logger: false,
  })
  t.after(async () => {
    await app.close()
    await log.close()
  })
  return app
}

async function status(app: FastifyInstance, token: string): Promise<number> {
  const response = await app.inject({
    method: 'GET',
    url: '/scim/v2/acme/Users?count=1',
    headers: { authorization: `Bearer ${token}` },
  })
  return response.statusCode
}

/** Polls until `token` is refused; fails unless that happens within BOUND_MS of `changedAt`. */
async function assertRefusedWithinBound(
  app: FastifyInstance,
  token: string,
  changedAt: number,
): Promise<void> {
  for (;;) {
    const answer = await status(app, token)
    const elapsed = performance.now() - changedAt
    if (answer === 401) return
    assert.equal(answer, 200)
    assert.ok(elapsed <= BOUND_MS, `the old token still worked ${Math.round(elapsed)} ms later`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('a re-issued or revoked SCIM token', () => {
  it('is refused within 1 s by another instance on the same PostgreSQL database', async (t) => {
    const skip = await postgresSkipReason()
    if (skip) return t.skip(skip)
    const schema = await createTestSchema('rc_stale')
    const a = openPostgresStore(schema.url, 2)
    const b = openPostgresStore(schema.url, 2)
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-stale-'))
    // Hooks run in the order they are added: the app (added by appOn) closes before its store.
    const closeStores = async () => {
      await a.close()
      await b.close()
      await schema.drop()
      rmSync(dataDir, { recursive: true, force: true })
    }
    await a.migrate()
    const secretBox = createSecretBox(SECRET)
    const keyA = await loadSigningKey(a, secretBox)
    const appB = await appOn(t, b, dataDir)
    t.after(closeStores)
    const tenant = await a.tenants.create({
      id: newTenantId(),
      slug: 'acme',
      name: 'Acme',
      createdAt: new Date().toISOString(),
    })
    const issue = async () =>
      (await issueScimToken(a, keyA, tenant, PUBLIC_URL, { force: true })).token

    const first = await issue()
    assert.equal(await status(appB, first), 200) // B has the tenant cached now
    const second = await issue()
    await assertRefusedWithinBound(appB, first, performance.now())
    assert.equal(await status(appB, second), 200)

    await revokeScimToken(a, tenant)
    await assertRefusedWithinBound(appB, second, performance.now())
  })

  it('is refused within 1 s by a SQLite server when the CLI changed it', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-stale-'))
    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    await store.migrate()
    const app = await appOn(t, store, dataDir)
    t.after(async () => {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    })
    const env = { DATA_DIR: dataDir, ROLLCALL_SECRET: SECRET, PUBLIC_URL }
    await runCli(env, 'tenant', 'create', '--slug', 'acme')
    const issue = async () =>
      JSON.parse(await runCli(env, 'scim-token', 'issue', '--tenant', 'acme', '--force', '--json'))
        .token as string

    const first = await issue()
    assert.equal(await status(app, first), 200)
    const second = await issue()
    await assertRefusedWithinBound(app, first, performance.now())
    assert.equal(await status(app, second), 200)

    await runCli(env, 'scim-token', 'revoke', '--tenant', 'acme')
    await assertRefusedWithinBound(app, second, performance.now())
  })

  it('is refused at once by the instance that changed it', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-stale-'))
    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    await store.migrate()
    const app = await appOn(t, store, dataDir)
    t.after(async () => {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    })
    const key = await loadSigningKey(store, createSecretBox(SECRET))
    const tenant = await store.tenants.create({
      id: newTenantId(),
      slug: 'acme',
      name: 'Acme',
      createdAt: new Date().toISOString(),
    })
    const first = (await issueScimToken(store, key, tenant, PUBLIC_URL, { force: true })).token
    assert.equal(await status(app, first), 200)
    const second = (await issueScimToken(store, key, tenant, PUBLIC_URL, { force: true })).token
    assert.equal(await status(app, first), 401)
    assert.equal(await status(app, second), 200)
    await revokeScimToken(store, tenant)
    assert.equal(await status(app, second), 401)
  })
})
