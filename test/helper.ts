// build(t): a Rollcall app on a fresh SQLite store in a temp directory, with one tenant and its
// SCIM token, closed when the test ends. Requests go through app.inject().
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import type { FastifyInstance, HTTPMethods, LightMyRequestResponse as LightResponse } from 'fastify'
import { loadConfig, type Config } from '../src/config.ts'
import { createSecretBox, type SecretBox } from '../src/credentials/secret-box.ts'
import { issueScimToken, loadSigningKey, type SigningKey } from '../src/credentials/scim-tokens.ts'
import { newTenantId } from '../src/domain/ids.ts'
import type { Tenant } from '../src/domain/types.ts'
import { buildApp } from '../src/http/app.ts'
import type { OidcClientOptions } from '../src/sso/clients.ts'
import type { ScryptParams } from '../src/provisioning/passwords.ts'
import { ProvisioningLogWriter } from '../src/provisioning/log-writer.ts'
import { openPostgresStore } from '../src/store/postgres/open-postgres.ts'
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.ts'
import type { Store } from '../src/store/store.ts'
import { createTestSchema, postgresSkipReason } from './support/postgres.ts'

/**
 * Which store the HTTP tests run on: SQLite by default; TEST_STORE=postgres runs the same tests on
 * PostgreSQL (a fresh schema per test). CI runs both.
 */
export const TEST_STORE = process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite'

async function openTestStore(
  dataDir: string,
): Promise<{ store: Store; drop: () => Promise<void> }> {
  if (TEST_STORE === 'sqlite') {
    return { store: openSqliteStore(join(dataDir, 'rollcall.sqlite')), drop: async () => {} }
  }
  const skip = await postgresSkipReason()
  if (skip) throw new Error(skip)
  const schema = await createTestSchema()
  return { store: openPostgresStore(schema.url, 4), drop: () => schema.drop() }
}

export interface TestTenant {
  readonly tenant: Tenant
  readonly token: string
  /** Path prefix of the tenant's SCIM base, e.g. /scim/v2/acme */
  readonly base: string
}

export interface TestApp {
  readonly app: FastifyInstance
  readonly store: Store
  readonly config: Config
  readonly signingKey: SigningKey
  readonly secretBox: SecretBox
  readonly log: ProvisioningLogWriter
  readonly acme: TestTenant
  addTenant(slug: string): Promise<TestTenant>
  /** A SCIM request as the tenant's IdP: bearer token and application/scim+json. */
  scim(
    tenant: TestTenant,
    method: HTTPMethods,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightResponse>
}

export interface BuildOptions {
  /** Relying-party options: the loopback OpenID Provider of the SSO tests. */
  readonly sso?: OidcClientOptions
  /** Cheaper scrypt parameters for local passwords (tests that hash many). */
  readonly passwordHashing?: ScryptParams
  /** The built console to serve at / (default: dist/console of this checkout). */
  readonly consoleDir?: string
}

export async function build(
  t: TestContext,
  env: Record<string, string> = {},
  options: BuildOptions = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-test-'))
  const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://rollcall.test', ...env })
  const { store, drop } = await openTestStore(dataDir)
  await store.migrate()
  const secretBox = createSecretBox('x'.repeat(32))
  const signingKey = await loadSigningKey(store, secretBox)
  const log = new ProvisioningLogWriter(store, {
    retentionDays: 30,
    maxRowsPerTenant: 1000,
    onError: (error) => {
      throw error
    },
  })
  const app = await buildApp(config, {
    store,
    signingKey,
    secretBox,
    log,
    logger: false,
    ...(options.sso ? { sso: options.sso } : {}),
    ...(options.passwordHashing ? { passwordHashing: options.passwordHashing } : {}),
    ...(options.consoleDir ? { consoleDir: options.consoleDir } : {}),
  })
  t.after(async () => {
    await app.close()
    await log.close()
    await store.close()
    await drop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const addTenant = async (slug: string): Promise<TestTenant> => {
    const tenant = await store.tenants.create({
      id: newTenantId(),
      slug,
      name: slug,
      createdAt: new Date().toISOString(),
    })
    // Test tenants have no login connection: issue as the operator does with --force.
    const { token } = await issueScimToken(store, signingKey, tenant, config.publicUrl, {
      force: true,
    })
    return {
      tenant: (await store.tenants.getById(tenant.id)) ?? tenant,
      token,
      base: `/scim/v2/${slug}`,
    }
  }
  const acme = await addTenant('acme')
  return {
    app,
    store,
    config,
    signingKey,
    secretBox,
    log,
    acme,
    addTenant,
    scim(tenant, method, path, body, headers = {}) {
      return app.inject({
        method,
        url: `${tenant.base}${path}`,
        headers: {
          authorization: `Bearer ${tenant.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
          ...headers,
        },
        ...(body === undefined
          ? {}
          : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      })
    },
  }
}
