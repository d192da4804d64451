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

    const issued = await cli(dataDir, 'scim-token', 'issue', '--tenant', 'acme', '--json')
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
    const signingKey = await loadSigningKey(store, createSecretBox(secret))
    const log = new ProvisioningLogWriter(store, { retentionDays: 30, maxRowsPerTenant: 100, onError: () => {} })
    const app = await buildApp(config, { store, signingKey, log, logger: false })
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
    assert.equal((await cli(dataDir, 'scim-token', 'issue', '--tenant', 'acme')).code, 0)
    const revoked = await app.inject({ method: 'GET', url: '/scim/v2/acme/Users', headers })
    assert.equal(revoked.statusCode, 401)
  })

  it('prints usage for an unknown command and exits 2', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-cli-'))
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))
    const result = await cli(dataDir, 'frobnicate')
    assert.equal(result.code, 2)
    assert.match(result.stderr, /Usage: npx rollcall/)
  })
})
