// The server log (pino through buildApp) of real requests: one-time tokens, OIDC code/state and
// SCIM filter values never appear, neither in request lines nor in a 500's logged error.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, it, type TestContext } from 'node:test'
import { loadConfig } from '../../src/config.ts'
import { issueScimToken, loadSigningKey } from '../../src/credentials/scim-tokens.ts'
import { createSecretBox } from '../../src/credentials/secret-box.ts'
import { newTenantId } from '../../src/domain/ids.ts'
import { buildApp } from '../../src/http/app.ts'
import { ProvisioningLogWriter } from '../../src/provisioning/log-writer.ts'
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts'
import type { Store } from '../../src/store/store.ts'

const TOKEN = 'tok3n-0ne-time-Zx81'
const EMAIL = 'someone.private@contoso.example'

async function appWithCapturedLog(t: TestContext, breakTokens = false) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-logs-'))
  const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://rollcall.test' })
  const real = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
  await real.migrate()
  // A store failure whose message quotes the link, as a careless error could.
  const store = breakTokens
    ? (new Proxy(real, {
        get(target, name, receiver) {
          if (name === 'oneTimeTokens') {
            const fail = async () => {
              throw new Error(
                `lookup failed for /login/set-password/${TOKEN} and /sso/verify/${TOKEN}`,
              )
            }
            return { find: fail, consume: fail, pruneExpired: fail }
          }
          const value = Reflect.get(target, name, receiver) as unknown
          return typeof value === 'function' ? value.bind(target) : value
        },
      }) as Store)
    : real
  const secretBox = createSecretBox('x'.repeat(32))
  const signingKey = await loadSigningKey(store, secretBox)
  const log = new ProvisioningLogWriter(store, {
    retentionDays: 30,
    maxRowsPerTenant: 1000,
    onError: () => {},
  })
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const app = await buildApp(config, {
    store,
    signingKey,
    secretBox,
    log,
    logger: { level: 'trace', stream },
  })
  t.after(async () => {
    await app.close()
    await log.close()
    await real.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  const tenant = await store.tenants.create({
    id: newTenantId(),
    slug: 'acme',
    name: 'acme',
    createdAt: new Date().toISOString(),
  })
  const { token } = await issueScimToken(store, signingKey, tenant, config.publicUrl, {
    force: true,
  })
  return { app, lines, token }
}

const assertClean = (lines: readonly string[]) => {
  assert.ok(lines.length > 0)
  for (const line of lines) {
    JSON.parse(line)
    assert.doesNotMatch(
      line,
      new RegExp(`${TOKEN}|c0de-Zx81|st4te-Zx81|someone\\.private|someone%2Eprivate`),
      line,
    )
  }
}

describe('server log', () => {
  it('masks one-time links, OIDC code and state and SCIM filters of real requests', async (t) => {
    const { app, lines, token } = await appWithCapturedLog(t)
    const filter = encodeURIComponent(`userName eq "${EMAIL}"`)
    const requests = [
      { method: 'GET', url: `/login/set-password/${TOKEN}` },
      { method: 'POST', url: `/login/set-password/${TOKEN}`, payload: { password: 'x' } },
      { method: 'GET', url: `/sso/verify/${TOKEN}` },
      { method: 'GET', url: `/sso/verify/${TOKEN}/not-a-route` },
      { method: 'DELETE', url: `/login/set-password/${TOKEN}` },
      { method: 'GET', url: '/sso/callback?code=c0de-Zx81&state=st4te-Zx81' },
      { method: 'GET', url: `/sso?q=${encodeURIComponent(EMAIL)}` },
      {
        method: 'GET',
        url: `/scim/v2/acme/Users?filter=${filter}`,
        headers: { authorization: `Bearer ${token}` },
      },
      { method: 'GET', url: `/scim/v2/acme/Groups?filter=${filter}` },
    ] as const
    for (const request of requests) {
      const res = await app.inject(request)
      assert.ok(res.statusCode < 500, `${request.url}: ${res.statusCode} ${res.body}`)
    }
    assertClean(lines)
    const urls = lines.map((line) => (JSON.parse(line) as { req?: { url?: string } }).req?.url)
    assert.ok(urls.includes('/sso/verify/[redacted]'))
    assert.ok(urls.includes('/sso/callback?code=[redacted]&state=[redacted]'))
    assert.ok(urls.includes('/scim/v2/acme/Users?filter=[redacted]'))
  })

  it('logs a 500 without the link or the token, from the default and the scope error handlers', async (t) => {
    const { app, lines } = await appWithCapturedLog(t, true)
    app.get('/test/verify/:token', async () => {
      throw new Error(`broken at /test/verify/${TOKEN}?code=c0de-Zx81`)
    })
    for (const url of [
      `/login/set-password/${TOKEN}`,
      `/sso/verify/${TOKEN}`,
      `/test/verify/${TOKEN}`,
    ]) {
      const res = await app.inject({ method: 'GET', url })
      assert.equal(res.statusCode, 500, `${url}: ${res.body}`)
    }
    assertClean(lines)
    const errors = lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)
    assert.ok(errors.length >= 3)
    assert.ok(
      errors.some((line) => line.includes('lookup failed for /login/set-password/[redacted]')),
    )
    assert.ok(errors.some((line) => line.includes('"url":"/test/verify/[redacted]"')))
  })
})
