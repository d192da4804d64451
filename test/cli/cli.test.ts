// The operator CLI end to end: a real `node bin/rollcall.js` process on a DATA_DIR, and the SCIM
// server on the same database converting what the CLI created (SPEC D5, G2).
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { loadConfig } from '../../src/config.ts'
import { createSecretBox } from '../../src/credentials/secret-box.ts'
import { loadSigningKey } from '../../src/credentials/scim-tokens.ts'
import { buildApp } from '../../src/http/app.ts'
import { ProvisioningLogWriter } from '../../src/provisioning/log-writer.ts'
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts'

const run = promisify(execFile)
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'rollcall.js')

async function cli(dataDir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: 'https://rc.test', DATABASE_URL: '' },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('rollcall CLI', () => {
  it('creates tenants, issues a token as exact JSON, and manages INTERNAL users and groups', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-cli-'))
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))

    const created = await cli(dataDir, 'tenant', 'create', '--slug', 'acme', '--name', 'Acme Corp')
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stderr, /generated a new secret/)
    assert.equal((await cli(dataDir, 'tenant', 'create', '--slug', 'acme')).code, 1)
    assert.equal((await cli(dataDir, 'tenant', 'create', '--slug', 'Bad Slug')).code, 1)

    const issued = await cli(dataDir, 'scim-token', 'issue', '--tenant', 'acme', '--force', '--json')
    assert.equal(issued.code, 0, issued.stderr)
    assert.match(issued.stdout.trim(), /^\{"baseUrl": "[^"]+", "token": "[^"]+"\}$/)
    const { baseUrl, token } = JSON.parse(issued.stdout) as { baseUrl: string; token: string }
    assert.equal(baseUrl, 'https://rc.test/scim/v2/acme')

    assert.equal((await cli(dataDir, 'user', 'add', '--tenant', 'acme', '--email', 'ann@example.com', '--role', 'Editor')).code, 0)
    const badRole = await cli(dataDir, 'user', 'add', '--tenant', 'acme', '--email', 'x@example.com', '--role', 'Boss')
    assert.equal(badRole.code, 1)
    assert.match(badRole.stderr, /Unknown role/)
    const group = await cli(dataDir, 'group', 'create', '--tenant', 'acme', '--name', 'Sales', '--member', 'ann@example.com')
    assert.equal(group.code, 0, group.stderr)
    const missingTenant = await cli(dataDir, 'user', 'list', '--tenant', 'nope')
    assert.equal(missingTenant.code, 1)
    assert.match(missingTenant.stderr, /No tenant "nope"/)

    // The SCIM server, on the same database, converts the INTERNAL user and group.
    const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://rc.test' })
    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    const secret = readFileSync(join(dataDir, 'secret'), 'utf8').trim()
    const secretBox = createSecretBox(secret)
    const signingKey = await loadSigningKey(store, secretBox)
    const log = new ProvisioningLogWriter(store, { retentionDays: 30, maxRowsPerTenant: 100, onError: () => {} })
    const app = await buildApp(config, { store, signingKey, secretBox, log, logger: false })
    t.after(async () => {
      await app.close()
      await log.close()
      await store.close()
    })
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' }
    const user = await app.inject({
      method: 'POST',
      url: '/scim/v2/acme/Users',
      headers,
      payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ANN@example.com' },
    })
    assert.equal(user.statusCode, 201, user.body)
    const scimGroup = await app.inject({
      method: 'POST',
      url: '/scim/v2/acme/Groups',
      headers,
      payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'sales' },
    })
    assert.equal(scimGroup.statusCode, 201, scimGroup.body)
    await log.flush()

    const users = JSON.parse((await cli(dataDir, 'user', 'list', '--tenant', 'acme', '--json')).stdout)
    assert.deepEqual(
      users.map((u: Record<string, unknown>) => [u.userName, u.origin, u.role]),
      [['ANN@example.com', 'SCIM', 'Editor']],
    )
    const shown = JSON.parse((await cli(dataDir, 'group', 'show', '--tenant', 'acme', '--name', 'SALES', '--json')).stdout)
    assert.equal(shown.origin, 'SCIM')
    assert.deepEqual(shown.members.map((m: Record<string, unknown>) => m.origin), ['INTERNAL'])

    const logOut = JSON.parse((await cli(dataDir, 'provisioning-log', '--tenant', 'acme', '--json')).stdout)
    assert.deepEqual(logOut.map((e: Record<string, unknown>) => e.operation).sort(), ['Create Group', 'Create User'])

    // Re-issuing revokes the previous token at once.
    assert.equal((await cli(dataDir, 'scim-token', 'issue', '--tenant', 'acme', '--force')).code, 0)
    const revoked = await app.inject({ method: 'GET', url: '/scim/v2/acme/Users', headers })
    assert.equal(revoked.statusCode, 401)
  })

  it('refuses scim-token issue without a verified login connection, unless --force', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-cli-'))
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))
    assert.equal((await cli(dataDir, 'tenant', 'create', '--slug', 'acme')).code, 0)
    const refused = await cli(dataDir, 'scim-token', 'issue', '--tenant', 'acme')
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /needs a verified login connection/)
    assert.match(refused.stderr, /connection verify/)
    assert.match(refused.stderr, /--force/)
    assert.equal(refused.stdout, '')

    const created = await cli(
      dataDir, 'connection', 'create', '--tenant', 'acme', '--name', 'Entra ID',
      '--issuer', 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
      '--client-id', 'app-id', '--client-secret', 'cli-secret-value', '--domain', 'contoso.com', '--json',
    )
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout.trim(), /^\{"id": "[^"]+", "loginUrl": "[^"]+", "redirectUri": "[^"]+"\}$/)
    const { id, loginUrl, redirectUri } = JSON.parse(created.stdout) as Record<string, string>
    assert.equal(loginUrl, `https://rc.test/sso/login/${id}`)
    assert.equal(redirectUri, 'https://rc.test/sso/callback')
    const taken = await cli(
      dataDir, 'connection', 'create', '--tenant', 'acme', '--name', 'Again', '--issuer', 'https://idp.example.com',
      '--client-id', 'x', '--client-secret', 'y', '--domain', 'CONTOSO.com',
    )
    assert.equal(taken.code, 1)
    assert.match(taken.stderr, /already used/)

    const listed = await cli(dataDir, 'connection', 'list', '--tenant', 'acme', '--json')
    assert.equal(listed.code, 0, listed.stderr)
    assert.deepEqual(JSON.parse(listed.stdout).map((c: Record<string, unknown>) => [c.id, c.status]), [[id, 'draft']])
    assert.doesNotMatch(listed.stdout + (await cli(dataDir, 'connection', 'list', '--tenant', 'acme')).stdout, /cli-secret-value/)

    // Still draft: still refused. The operator may bypass.
    assert.equal((await cli(dataDir, 'scim-token', 'issue', '--tenant', 'acme')).code, 1)
    const forced = await cli(dataDir, 'scim-token', 'issue', '--tenant', 'acme', '--force', '--json')
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(forced.stdout.trim(), /^\{"baseUrl": "[^"]+", "token": "[^"]+"\}$/)

    const verify = await cli(dataDir, 'connection', 'verify', '--tenant', 'acme', '--id', id ?? '')
    assert.equal(verify.code, 0, verify.stderr)
    assert.match(verify.stdout.trim(), /^https:\/\/rc\.test\/sso\/verify\/[\w-]{43}$/)

    // Once verified (as the callback does), the token is issued without --force.
    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    const tenant = await store.getTenantBySlug('acme')
    await store.updateConnection(tenant?.id ?? '', id ?? '', { status: 'verified', verifiedAt: new Date().toISOString() }, new Date().toISOString())
    await store.close()
    assert.equal((await cli(dataDir, 'scim-token', 'issue', '--tenant', 'acme')).code, 0)

    const admin = await cli(dataDir, 'admin', 'create', '--tenant', 'acme', '--email', 'root@example.com')
    assert.equal(admin.code, 0, admin.stderr)
    assert.match(admin.stdout, /https:\/\/rc\.test\/login\/set-password\/[\w-]{43}/)
    const users = JSON.parse((await cli(dataDir, 'user', 'list', '--tenant', 'acme', '--json')).stdout)
    assert.deepEqual(users.map((u: Record<string, unknown>) => [u.userName, u.origin, u.role]), [['root@example.com', 'INTERNAL', 'Admin']])

    const log = await cli(dataDir, 'sign-in-log', '--tenant', 'acme', '--json')
    assert.equal(log.code, 0, log.stderr)
    assert.deepEqual(JSON.parse(log.stdout), [])

    assert.equal((await cli(dataDir, 'connection', 'delete', '--tenant', 'acme', '--id', id ?? '')).code, 0)
    assert.equal((await cli(dataDir, 'connection', 'delete', '--tenant', 'acme', '--id', id ?? '')).code, 1)
  })

  it('prints usage for an unknown command and exits 2', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-cli-'))
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))
    const result = await cli(dataDir, 'frobnicate')
    assert.equal(result.code, 2)
    assert.match(result.stderr, /Usage: npx rollcall/)
  })
})
