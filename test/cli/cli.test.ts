// The operator CLI end to end: a real `node bin/rollcall.js` process on a DATA_DIR, and the SCIM
// server on the same database converting what the CLI created (SPEC D5, G2).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { COMMANDS } from '../../src/cli/commands/index.ts'
import { runCli } from '../../src/cli/run.ts'
import { loadConfig } from '../../src/config.ts'
import { createSecretBox } from '../../src/credentials/secret-box.ts'
import { authenticateApiKey } from '../../src/credentials/api-keys.ts'
import { loadSigningKey } from '../../src/credentials/scim-tokens.ts'
import { asConnectionId, asTenantId } from '../../src/domain/ids.ts'
import { buildApp } from '../../src/http/app.ts'
import { ProvisioningLogWriter } from '../../src/provisioning/log-writer.ts'
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts'
import { startDnsServer } from '../support/dns-server.ts'
import { startServer } from '../support/processes.ts'

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'rollcall.js')

interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the CLI with stdin, stdout and stderr as pipes; `env` overrides the test defaults. */
async function cliWith(
  options: { dataDir: string; env?: Record<string, string>; input?: string },
  ...args: string[]
): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      ...process.env,
      DATA_DIR: options.dataDir,
      PUBLIC_URL: 'https://rc.test',
      DATABASE_URL: '',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  child.stdin.end(options.input ?? '')
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (exitCode) => resolve(exitCode))
  })
  return {
    code,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  }
}

async function cli(dataDir: string, ...args: string[]): Promise<CliResult> {
  return cliWith({ dataDir }, ...args)
}

/** The same command line in this process (no start-up cost); `env` is all of its environment. */
async function inProcess(
  options: { dataDir: string; env?: Record<string, string>; input?: string },
  ...args: string[]
): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const io = {
    out: (text: string) => void (stdout += `${text}\n`),
    err: (text: string) => void (stderr += `${text}\n`),
    readStdin: async () => options.input ?? '',
  }
  const env = { DATA_DIR: options.dataDir, PUBLIC_URL: 'https://rc.test', ...options.env }
  const code = await runCli(args, io, env)
  return { code, stdout, stderr }
}

function tempDataDir(t: TestContext): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-cli-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  return dataDir
}

describe('rollcall CLI', () => {
  it('creates tenants, issues a token as exact JSON, and manages INTERNAL users and groups', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-cli-'))
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))

    const created = await cli(dataDir, 'tenant', 'create', '--slug', 'acme', '--name', 'Acme Corp')
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stderr, /generated a new secret/)
    assert.equal((await cli(dataDir, 'tenant', 'create', '--slug', 'acme')).code, 1)
    assert.equal((await cli(dataDir, 'tenant', 'create', '--slug', 'Bad Slug')).code, 2)

    const issued = await cli(
      dataDir,
      'scim-token',
      'issue',
      '--tenant',
      'acme',
      '--force',
      '--json',
    )
    assert.equal(issued.code, 0, issued.stderr)
    assert.match(issued.stdout.trim(), /^\{"baseUrl": "[^"]+", "token": "[^"]+"\}$/)
    const { baseUrl, token } = JSON.parse(issued.stdout) as { baseUrl: string; token: string }
    assert.equal(baseUrl, 'https://rc.test/scim/v2/acme')

    assert.equal(
      (
        await cli(
          dataDir,
          'user',
          'add',
          '--tenant',
          'acme',
          '--email',
          'ann@example.com',
          '--role',
          'Editor',
        )
      ).code,
      0,
    )
    const badRole = await cli(
      dataDir,
      'user',
      'add',
      '--tenant',
      'acme',
      '--email',
      'x@example.com',
      '--role',
      'Boss',
    )
    assert.equal(badRole.code, 1)
    assert.match(badRole.stderr, /Unknown role/)
    const group = await cli(
      dataDir,
      'group',
      'create',
      '--tenant',
      'acme',
      '--name',
      'Sales',
      '--member',
      'ann@example.com',
    )
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
    const log = new ProvisioningLogWriter(store, {
      retentionDays: 30,
      maxRowsPerTenant: 100,
      onError: () => {},
    })
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
      payload: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'ANN@example.com',
      },
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

    const users = JSON.parse(
      (await cli(dataDir, 'user', 'list', '--tenant', 'acme', '--json')).stdout,
    )
    assert.deepEqual(
      users.map((u: Record<string, unknown>) => [u.userName, u.origin, u.role]),
      [['ANN@example.com', 'SCIM', 'Editor']],
    )
    const shown = JSON.parse(
      (await cli(dataDir, 'group', 'show', '--tenant', 'acme', '--name', 'SALES', '--json')).stdout,
    )
    assert.equal(shown.origin, 'SCIM')
    assert.deepEqual(
      shown.members.map((m: Record<string, unknown>) => m.origin),
      ['INTERNAL'],
    )

    const logOut = JSON.parse(
      (await cli(dataDir, 'provisioning-log', '--tenant', 'acme', '--json')).stdout,
    )
    assert.deepEqual(logOut.map((e: Record<string, unknown>) => e.operation).sort(), [
      'Create Group',
      'Create User',
    ])

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
      dataDir,
      'connection',
      'create',
      '--tenant',
      'acme',
      '--name',
      'Entra ID',
      '--issuer',
      'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
      '--client-id',
      'app-id',
      '--client-secret',
      'cli-secret-value',
      '--domain',
      'contoso.com',
      '--json',
    )
    assert.equal(created.code, 0, created.stderr)
    assert.match(
      created.stdout.trim(),
      /^\{"id": "[^"]+", "loginUrl": "[^"]+", "redirectUri": "[^"]+"\}$/,
    )
    const { id, loginUrl, redirectUri } = JSON.parse(created.stdout) as Record<string, string>
    assert.equal(loginUrl, `https://rc.test/sso/login/${id}`)
    assert.equal(redirectUri, 'https://rc.test/sso/callback')
    const taken = await cli(
      dataDir,
      'connection',
      'create',
      '--tenant',
      'acme',
      '--name',
      'Again',
      '--issuer',
      'https://idp.example.com',
      '--client-id',
      'x',
      '--client-secret',
      'y',
      '--domain',
      'CONTOSO.com',
    )
    assert.equal(taken.code, 1)
    assert.match(taken.stderr, /already use/)

    const listed = await cli(dataDir, 'connection', 'list', '--tenant', 'acme', '--json')
    assert.equal(listed.code, 0, listed.stderr)
    assert.deepEqual(
      JSON.parse(listed.stdout).map((c: Record<string, unknown>) => [c.id, c.status]),
      [[id, 'draft']],
    )
    assert.doesNotMatch(
      listed.stdout + (await cli(dataDir, 'connection', 'list', '--tenant', 'acme')).stdout,
      /cli-secret-value/,
    )

    // Still draft: still refused. The operator may bypass.
    assert.equal((await cli(dataDir, 'scim-token', 'issue', '--tenant', 'acme')).code, 1)
    const forced = await cli(
      dataDir,
      'scim-token',
      'issue',
      '--tenant',
      'acme',
      '--force',
      '--json',
    )
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(forced.stdout.trim(), /^\{"baseUrl": "[^"]+", "token": "[^"]+"\}$/)

    const verify = await cli(dataDir, 'connection', 'verify', '--tenant', 'acme', '--id', id ?? '')
    assert.equal(verify.code, 0, verify.stderr)
    assert.match(verify.stdout.trim(), /^https:\/\/rc\.test\/sso\/verify\/[\w-]{43}$/)

    // Once verified (as the callback does), the token is issued without --force.
    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    const tenant = await store.tenants.getBySlug('acme')
    await store
      .forTenant(tenant?.id ?? asTenantId(''))
      .connections.update(
        asConnectionId(id ?? ''),
        { status: 'verified', verifiedAt: new Date().toISOString() },
        new Date().toISOString(),
      )
    await store.close()
    assert.equal((await cli(dataDir, 'scim-token', 'issue', '--tenant', 'acme')).code, 0)

    const admin = await cli(
      dataDir,
      'admin',
      'create',
      '--tenant',
      'acme',
      '--email',
      'root@example.com',
    )
    assert.equal(admin.code, 0, admin.stderr)
    assert.match(admin.stdout, /https:\/\/rc\.test\/login\/set-password\/[\w-]{43}/)
    const users = JSON.parse(
      (await cli(dataDir, 'user', 'list', '--tenant', 'acme', '--json')).stdout,
    )
    assert.deepEqual(
      users.map((u: Record<string, unknown>) => [u.userName, u.origin, u.role]),
      [['root@example.com', 'INTERNAL', 'Admin']],
    )

    const log = await cli(dataDir, 'sign-in-log', '--tenant', 'acme', '--json')
    assert.equal(log.code, 0, log.stderr)
    assert.deepEqual(JSON.parse(log.stdout), [])

    assert.equal(
      (await cli(dataDir, 'connection', 'delete', '--tenant', 'acme', '--id', id ?? '')).code,
      0,
    )
    assert.equal(
      (await cli(dataDir, 'connection', 'delete', '--tenant', 'acme', '--id', id ?? '')).code,
      1,
    )
  })

  it('prints usage for an unknown command and exits 2', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-cli-'))
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))
    const result = await cli(dataDir, 'frobnicate')
    assert.equal(result.code, 2)
    assert.match(result.stderr, /Usage: npx rollcall/)
  })
})

describe('rollcall CLI usage', () => {
  it('answers --help without creating a database or a secret, even with other options', async (t) => {
    const dataDir = tempDataDir(t)
    const help = await cli(dataDir, 'tenant', 'create', '--slug', 'acme', '--bogus', '--help')
    assert.equal(help.code, 0, help.stderr)
    assert.match(
      help.stdout,
      /^Usage: npx rollcall tenant create --slug S \[--name N\] \[--json\]\n/,
    )
    assert.match(help.stdout, /--slug S +lower-case letters/)
    assert.equal(help.stderr, '')
    assert.deepEqual(readdirSync(dataDir), [])
  })

  it('has a usage with --json and --help for every command, shown by --help, -h and help', async (t) => {
    const dataDir = tempDataDir(t)
    for (const command of COMMANDS) {
      const words = command.name.split(' ')
      for (const args of [
        [...words, '--help'],
        [...words, '-h'],
        ['help', ...words],
      ]) {
        const result = await inProcess({ dataDir }, ...args)
        assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
        assert.ok(result.stdout.startsWith(`Usage: npx rollcall ${command.name} `), result.stdout)
        assert.match(result.stdout, /\n {2}--json +print /)
        assert.match(result.stdout, /\n {2}-h, --help +show this help/)
        assert.equal(result.stderr, '')
      }
    }
    assert.deepEqual(readdirSync(dataDir), [])
  })

  it('lists every command in --help, a group by its first word, and prints the version', async (t) => {
    const dataDir = tempDataDir(t)
    const help = await inProcess({ dataDir }, '--help')
    assert.equal(help.code, 0)
    for (const command of COMMANDS)
      assert.match(help.stdout, new RegExp(`^  ${command.name} `, 'm'))
    assert.doesNotMatch(help.stdout, /SPEC|§/)
    const group = await inProcess({ dataDir }, 'connection', '--help')
    assert.equal(group.code, 0)
    assert.match(group.stdout, /connection create --tenant S/)
    assert.match(group.stdout, /connection verify --tenant S --id ID/)
    const version = await cli(dataDir, '--version')
    assert.equal(version.code, 0, version.stderr)
    const manifest = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'),
    )
    assert.equal(version.stdout, `${manifest.version}\n`)
    assert.deepEqual(readdirSync(dataDir), [])
  })

  it('exits 2 with a message and the usage on a usage error, before opening the database', async (t) => {
    const dataDir = tempDataDir(t)
    const cases: [string[], RegExp, RegExp][] = [
      [[], /Usage: npx rollcall <command>/, /Commands:/],
      [['frobnicate'], /Unknown command "frobnicate"/, /Usage: npx rollcall <command>/],
      [['tenant'], /"tenant" needs a subcommand/, /tenant create --slug S/],
      [['tenant', 'frob'], /Unknown command "tenant frob"/, /tenant list/],
      [['tenant', 'create'], /--slug is required/, /Usage: npx rollcall tenant create/],
      [['tenant', 'create', '--slug'], /--slug needs a value/, /Usage: npx rollcall tenant create/],
      [['tenant', 'create', '--slug', 'Bad Slug'], /--slug must be lower-case/, /--name N/],
      [['tenant', 'create', '--slug', 'acme', '--bogus'], /Unknown option --bogus/, /--slug S/],
      [['tenant', 'create', 'acme'], /Unexpected argument "acme"/, /--slug S/],
      [
        ['tenant', 'set', '--slug', 'acme', '--strict-profile', 'maybe'],
        /takes on or off/,
        /on\|off/,
      ],
      [
        ['provisioning-log', '--tenant', 'acme', '--limit', 'lots'],
        /--limit must be/,
        /--failures/,
      ],
      [
        ['sign-in-log', '--tenant', 'acme', '--limit', '0'],
        /--limit must be/,
        /sign-in-log --tenant S/,
      ],
      [['connection', 'verify', '--tenant', 'acme'], /--id is required/, /connection verify/],
      [['admin', 'create', '--tenant', 'acme', '--email'], /--email needs a value/, /admin create/],
    ]
    for (const [args, message, usage] of cases) {
      const result = await inProcess({ dataDir }, ...args)
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, message, args.join(' '))
      assert.match(result.stderr, usage, args.join(' '))
      assert.equal(result.stdout, '')
    }
    assert.deepEqual(readdirSync(dataDir), [])
    // A failure of the command itself is 1.
    const missing = await inProcess(
      { dataDir },
      'tenant',
      'set',
      '--slug',
      'nope',
      '--strict-profile',
      'on',
    )
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /No tenant "nope"/)
  })
})

describe('rollcall CLI --json and secrets', () => {
  it('prints a JSON object for every command that had only text', async (t) => {
    const dataDir = tempDataDir(t)
    const parsed = async (...args: string[]) => {
      const result = await inProcess({ dataDir }, ...args, '--json')
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
      return JSON.parse(result.stdout) as Record<string, unknown>
    }
    assert.deepEqual(await parsed('migrate'), { migrated: true })
    await parsed('tenant', 'create', '--slug', 'acme')
    assert.deepEqual(await parsed('tenant', 'set', '--slug', 'acme', '--strict-profile', 'on'), {
      slug: 'acme',
      strictProfile: true,
    })
    assert.deepEqual(await parsed('scim-token', 'revoke', '--tenant', 'acme'), {
      tenant: 'acme',
      scimEnabled: false,
    })
    const admin = await parsed('admin', 'create', '--tenant', 'acme', '--email', 'root@example.com')
    assert.deepEqual(Object.keys(admin), ['id', 'email', 'promoted', 'setPasswordUrl'])
    assert.equal(admin.email, 'root@example.com')
    assert.equal(admin.promoted, false)
    assert.match(
      String(admin.setPasswordUrl),
      /^https:\/\/rc\.test\/login\/set-password\/[\w-]{43}$/,
    )
    const again = await parsed('admin', 'create', '--tenant', 'acme', '--email', 'ROOT@example.com')
    assert.deepEqual([again.id, again.promoted], [admin.id, true])

    const { id } = await parsed(
      'connection',
      'create',
      '--tenant',
      'acme',
      '--name',
      'Entra ID',
      '--issuer',
      'https://idp.example.com',
      '--client-id',
      'app',
      '--client-secret',
      's',
      '--domain',
      'acme.com',
    )
    const verify = await parsed('connection', 'verify', '--tenant', 'acme', '--id', String(id))
    assert.deepEqual(Object.keys(verify), ['url'])
    assert.match(String(verify.url), /^https:\/\/rc\.test\/sso\/verify\/[\w-]{43}$/)
    assert.deepEqual(await parsed('connection', 'delete', '--tenant', 'acme', '--id', String(id)), {
      id,
      deleted: true,
    })
  })

  it('reads a client secret from a file or standard input, without the trailing newline', async (t) => {
    const dataDir = tempDataDir(t)
    assert.equal((await inProcess({ dataDir }, 'tenant', 'create', '--slug', 'acme')).code, 0)
    const secretFile = join(dataDir, 'client-secret.txt')
    writeFileSync(secretFile, 'from-a-file\n')
    const create = (domain: string, ...secretArgs: string[]) => [
      'connection',
      'create',
      '--tenant',
      'acme',
      '--name',
      domain,
      '--issuer',
      'https://idp.example.com',
      '--client-id',
      'app',
      '--domain',
      domain,
      '--json',
      ...secretArgs,
    ]
    const fromFile = await inProcess(
      { dataDir },
      ...create('file.example', '--client-secret-file', secretFile),
    )
    assert.equal(fromFile.code, 0, fromFile.stderr)
    // The real process's standard input.
    const fromStdin = await cliWith(
      { dataDir, input: 'from-stdin\r\n' },
      ...create('stdin.example', '--client-secret-stdin'),
    )
    assert.equal(fromStdin.code, 0, fromStdin.stderr)

    const refusals: [string[], RegExp][] = [
      [
        [],
        /\(--client-secret SECRET \| --client-secret-file PATH \| --client-secret-stdin\) is required/,
      ],
      [['--client-secret', 'x', '--client-secret-stdin'], /only one of/],
      [['--client-secret-file', join(dataDir, 'nope')], /cannot read .*nope \(ENOENT\)/],
      [['--client-secret-stdin'], /client secret is empty/],
    ]
    for (const [secretArgs, message] of refusals) {
      const result = await inProcess(
        { dataDir, input: '\n' },
        ...create('x.example', ...secretArgs),
      )
      assert.equal(result.code, 2, secretArgs.join(' '))
      assert.match(result.stderr, message)
    }

    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    t.after(() => store.close())
    const box = createSecretBox(readFileSync(join(dataDir, 'secret'), 'utf8').trim())
    const tenant = await store.tenants.getBySlug('acme')
    const secrets = (await store.forTenant(tenant?.id ?? asTenantId('')).connections.list())
      .map((c) => [c.domain, box.open(c.clientSecretEncrypted)])
      .sort()
    assert.deepEqual(secrets, [
      ['file.example', 'from-a-file'],
      ['stdin.example', 'from-stdin'],
    ])
  })
})

describe('rollcall CLI output and public URL', () => {
  it('writes all of a large output to a pipe before exiting', async (t) => {
    const dataDir = tempDataDir(t)
    assert.equal((await inProcess({ dataDir }, 'tenant', 'create', '--slug', 'acme')).code, 0)
    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    const tenant = await store.tenants.getBySlug('acme')
    await store.forTenant(tenant?.id ?? asTenantId('')).provisioningLog.append(
      Array.from({ length: 1500 }, (_, i) => ({
        at: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
        requestId: `req-${i}`,
        method: 'POST',
        path: '/scim/v2/acme/Users',
        operation: 'Create User',
        resourceType: 'User',
        resourceId: `user-${i}`,
        status: 201,
        scimType: null,
        detail: null,
        durationMs: 1.5,
        client: 'test',
        address: null,
        requestBody: JSON.stringify({ userName: `user-${i}@example.com` }),
        responseBody: JSON.stringify({ id: `user-${i}` }),
      })),
    )
    await store.close()
    const result = await cli(
      dataDir,
      'provisioning-log',
      '--tenant',
      'acme',
      '--limit',
      '10000',
      '--json',
    )
    assert.equal(result.code, 0, result.stderr)
    assert.ok(result.stdout.length > 200_000, `only ${result.stdout.length} bytes`)
    assert.equal((JSON.parse(result.stdout) as unknown[]).length, 1500)
  })

  it('prints the URLs of the public URL the server recorded at start, warning when its own differs', async (t) => {
    const dataDir = tempDataDir(t)
    const unset = { PUBLIC_URL: '' }
    assert.equal(
      (await inProcess({ dataDir, env: unset }, 'tenant', 'create', '--slug', 'acme')).code,
      0,
    )
    // Nothing recorded and no PUBLIC_URL here: the default, and a note saying so.
    const guessed = await inProcess(
      { dataDir, env: unset },
      'scim-token',
      'issue',
      '--tenant',
      'acme',
      '--force',
      '--json',
    )
    assert.equal(guessed.code, 0, guessed.stderr)
    assert.equal(JSON.parse(guessed.stdout).baseUrl, 'http://127.0.0.1:8080/scim/v2/acme')
    assert.match(guessed.stderr, /has not recorded its public URL/)

    // PORT=0, no PUBLIC_URL: the server records the address it actually listens on.
    const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '', PUBLIC_URL: '' })
    t.after(() => server.stop())
    const recorded = await inProcess(
      { dataDir, env: { ...unset, PORT: '9999' } },
      'scim-token',
      'issue',
      '--tenant',
      'acme',
      '--force',
      '--json',
    )
    assert.equal(recorded.code, 0, recorded.stderr)
    assert.equal(JSON.parse(recorded.stdout).baseUrl, `${server.url}/scim/v2/acme`)
    assert.equal(recorded.stderr, '')

    const differs = await inProcess(
      { dataDir, env: { PUBLIC_URL: 'https://elsewhere.example' } },
      'admin',
      'create',
      '--tenant',
      'acme',
      '--email',
      'root@example.com',
    )
    assert.equal(differs.code, 0, differs.stderr)
    assert.match(differs.stdout, new RegExp(`${server.url}/login/set-password/`))
    assert.doesNotMatch(differs.stdout, /elsewhere/)
    assert.match(
      differs.stderr,
      /PUBLIC_URL here is https:\/\/elsewhere\.example, but the server runs with/,
    )
    // The same record reaches every command that prints a URL.
    const listed = await inProcess(
      { dataDir, env: unset },
      'connection',
      'list',
      '--tenant',
      'acme',
      '--json',
    )
    assert.deepEqual(JSON.parse(listed.stdout), [])
    assert.ok(existsSync(join(dataDir, 'rollcall.sqlite')))
  })

  it('adds, verifies (by DNS or --force), lists and removes domains, with exact JSON', async (t) => {
    const dataDir = tempDataDir(t)
    const dns = await startDnsServer()
    t.after(() => dns.close())
    const env = {
      DOMAIN_VERIFICATION_DNS_SERVERS: dns.address,
      DOMAIN_VERIFICATION_TIMEOUT_SECONDS: '1',
    }
    const run = (...args: string[]) => inProcess({ dataDir, env }, ...args)
    assert.equal((await run('tenant', 'create', '--slug', 'acme', '--name', 'Acme')).code, 0)
    assert.equal((await run('tenant', 'create', '--slug', 'globex', '--name', 'Globex')).code, 0)

    const added = await run(
      'domain',
      'add',
      '--tenant',
      'acme',
      '--domain',
      'Contoso.com',
      '--json',
    )
    assert.equal(added.code, 0, added.stderr)
    assert.match(
      added.stdout.trim(),
      /^\{"domain": "contoso\.com", "txtName": "_rollcall-challenge\.contoso\.com", "txtValue": "rollcall-domain-verification=[\w-]+"\}$/,
    )
    const { txtValue } = JSON.parse(added.stdout) as { txtValue: string }

    const early = await run('domain', 'verify', '--tenant', 'acme', '--domain', 'contoso.com')
    assert.equal(early.code, 1)
    assert.match(early.stderr, /_rollcall-challenge\.contoso\.com/)
    dns.txt.set('_rollcall-challenge.contoso.com', [[txtValue]])
    const verified = await run(
      'domain',
      'verify',
      '--tenant',
      'acme',
      '--domain',
      'contoso.com',
      '--json',
    )
    assert.equal(verified.code, 0, verified.stderr)
    assert.equal(JSON.parse(verified.stdout).status, 'verified')
    assert.equal(JSON.parse(verified.stdout).verifiedMethod, 'dns')

    const taken = await run('domain', 'add', '--tenant', 'globex', '--domain', 'contoso.com')
    assert.equal(taken.code, 1)
    assert.match(taken.stderr, /verified by another organisation/)
    assert.doesNotMatch(taken.stderr, /acme/)

    assert.equal(
      (await run('domain', 'add', '--tenant', 'globex', '--domain', 'globex.com')).code,
      0,
    )
    const vouched = await run(
      'domain',
      'verify',
      '--tenant',
      'globex',
      '--domain',
      'globex.com',
      '--force',
      '--by',
      'Pat (ops)',
      '--json',
    )
    assert.equal(vouched.code, 0, vouched.stderr)
    assert.equal(JSON.parse(vouched.stdout).verifiedMethod, 'operator')
    assert.equal(JSON.parse(vouched.stdout).verifiedBy, 'Pat (ops)')

    const listed = await run('domain', 'list', '--tenant', 'globex', '--json')
    assert.deepEqual(
      JSON.parse(listed.stdout).map((d: { domain: string; status: string }) => [
        d.domain,
        d.status,
      ]),
      [['globex.com', 'verified']],
    )
    assert.match((await run('domain', 'list', '--tenant', 'acme')).stdout, /contoso\.com\tverified/)
    const removed = await run(
      'domain',
      'remove',
      '--tenant',
      'globex',
      '--domain',
      'globex.com',
      '--json',
    )
    assert.deepEqual(JSON.parse(removed.stdout), { domain: 'globex.com', removed: true })
    assert.equal(
      (await run('domain', 'remove', '--tenant', 'globex', '--domain', 'globex.com')).code,
      1,
    )

    // Usage errors exit 2 before anything is done.
    assert.equal((await run('domain', 'add', '--tenant', 'acme')).code, 2)
    assert.equal(
      (await run('domain', 'verify', '--tenant', 'acme', '--domain', 'x.com', '--by', 'me')).code,
      2,
    )
    assert.equal(
      (await run('domain', 'add', '--tenant', 'acme', '--domain', 'not a domain')).code,
      1,
    )
  })

  it('creates API keys shown once as exact JSON, lists them without secrets, and revokes them', async (t) => {
    const dataDir = tempDataDir(t)
    const run = (...args: string[]) => inProcess({ dataDir }, ...args)
    assert.equal((await run('tenant', 'create', '--slug', 'acme')).code, 0)
    const created = await run(
      'api-key',
      'create',
      '--tenant',
      'acme',
      '--scope',
      'write',
      '--name',
      'Sync job',
      '--json',
    )
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout.trim(), /^\{"id": "[0-9a-f]+", "key": "rk_[^"]+"\}$/)
    const { id, key } = JSON.parse(created.stdout) as { id: string; key: string }
    assert.ok(key.startsWith(`rk_${id}_`))

    const human = await run('api-key', 'create', '--scope', 'read')
    assert.equal(human.code, 0, human.stderr)
    assert.match(human.stdout, /all tenants/)
    assert.match(human.stdout, /shown once/)
    assert.match(human.stdout, /rk_[0-9a-f]+_/)

    assert.equal((await run('api-key', 'create', '--scope', 'admin')).code, 2)
    assert.equal((await run('api-key', 'create', '--scope', 'read', '--tenant', 'nope')).code, 1)

    const listed = await run('api-key', 'list', '--json')
    assert.equal(listed.code, 0, listed.stderr)
    assert.ok(!listed.stdout.includes(key.slice(25)), 'the secret is never listed')
    const rows = JSON.parse(listed.stdout) as { id: string; tenant: string | null; scope: string }[]
    assert.deepEqual(
      rows.map((r) => [r.tenant, r.scope, 'name' in r ? (r as { name: string }).name : '']),
      [
        ['acme', 'write', 'Sync job'],
        [null, 'read', 'operator key'],
      ],
    )

    // The key the CLI printed is the key the server accepts, until it is revoked.
    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    t.after(() => store.close())
    assert.equal((await authenticateApiKey(store, key, null))?.keyId, id)
    assert.equal((await run('api-key', 'revoke', '--id', id)).code, 0)
    assert.equal(await authenticateApiKey(store, key, null), undefined)
    assert.equal((await run('api-key', 'revoke', '--id', 'nope')).code, 1)
    const after = JSON.parse((await run('api-key', 'list', '--json')).stdout) as {
      id: string
      revokedAt: string | null
    }[]
    assert.notEqual(after.find((r) => r.id === id)?.revokedAt, null)
  })
})

describe('rollcall webhook', () => {
  it('creates, lists, rotates, disables, enables and deletes webhooks, with exact JSON', async (t) => {
    const dataDir = tempDataDir(t)
    const run = (...args: string[]) => inProcess({ dataDir }, ...args)
    assert.equal((await run('tenant', 'create', '--slug', 'acme')).code, 0)
    const created = await run(
      'webhook',
      'create',
      '--url',
      'http://10.0.0.5:3000/hooks',
      '--tenant',
      'acme',
      '--events',
      'user.created, user.deactivated',
      '--json',
    )
    assert.equal(created.code, 0, created.stderr)
    assert.match(
      created.stdout,
      /^\{"id": "wh_[0-9a-f]{20}", "secret": "whsec_[A-Za-z0-9+/]{43}="\}\n$/,
    )
    const { id, secret } = JSON.parse(created.stdout) as { id: string; secret: string }

    const listed = await run('webhook', 'list', '--json')
    assert.deepEqual(JSON.parse(listed.stdout), [
      {
        id,
        url: 'http://10.0.0.5:3000/hooks',
        tenant: 'acme',
        events: ['user.created', 'user.deactivated'],
        enabled: true,
        disabledReason: null,
        previousSecretUntil: null,
        createdAt: JSON.parse(listed.stdout)[0].createdAt,
      },
    ])
    assert.ok(!listed.stdout.includes(secret.slice(6)), 'never the secret')
    assert.match((await run('webhook', 'list')).stdout, new RegExp(`^${id}\tenabled\t`))

    const rotated = await run(
      'webhook',
      'rotate-secret',
      '--id',
      id,
      '--overlap-hours',
      '2',
      '--json',
    )
    const rotation = JSON.parse(rotated.stdout) as Record<string, string>
    assert.deepEqual(Object.keys(rotation), ['id', 'secret', 'previousSecretUntil'])
    assert.notEqual(rotation.secret, secret)
    const overlap = Date.parse(rotation.previousSecretUntil ?? '') - Date.now()
    assert.ok(overlap > 1.9 * 3600_000 && overlap <= 2 * 3600_000, `overlap ${overlap}`)

    const disabled = JSON.parse((await run('webhook', 'disable', '--id', id, '--json')).stdout)
    assert.deepEqual([disabled.enabled, disabled.disabledReason], [false, 'by the operator'])
    const enabled = JSON.parse((await run('webhook', 'enable', '--id', id, '--json')).stdout)
    assert.deepEqual([enabled.enabled, enabled.disabledReason], [true, null])

    // The log, newest first, with status, latency and next try (rows as the worker writes them).
    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    for (const [attempt, status, nextTryAt] of [
      [1, 500, '2030-01-01T00:00:05.000Z'],
      [2, 200, null],
    ] as const) {
      await store.webhookDeliveries.append({
        endpointId: id,
        eventId: 'evt_1',
        attempt,
        manual: false,
        outcome: status === 200 ? 'delivered' : 'failed',
        status,
        latencyMs: 40 + attempt,
        error: status === 200 ? null : 'HTTP 500: oops',
        nextTryAt,
        at: `2030-01-01T00:00:0${attempt}.000Z`,
      })
    }
    await store.close()
    const log = await run('webhook', 'deliveries', '--id', id)
    assert.deepEqual(log.stdout.split('\n').slice(0, 3), [
      '2030-01-01T00:00:02.000Z  delivered     200  42 ms     evt_1 #2',
      '2030-01-01T00:00:01.000Z  failed        500  41 ms     evt_1 #1  next try 2030-01-01T00:00:05.000Z',
      '    HTTP 500: oops',
    ])
    const logJson = JSON.parse((await run('webhook', 'deliveries', '--id', id, '--json')).stdout)
    assert.deepEqual(
      logJson.deliveries.map((d: { attempt: number; status: number }) => [d.attempt, d.status]),
      [
        [2, 200],
        [1, 500],
      ],
    )
    assert.deepEqual(logJson.deadLetters, [])

    const redeliver = await run('webhook', 'redeliver', '--id', id, '--event', 'evt_nope')
    assert.equal(redeliver.code, 1)
    assert.match(redeliver.stderr, /No event "evt_nope"/)
    assert.deepEqual(JSON.parse((await run('webhook', 'delete', '--id', id, '--json')).stdout), {
      id,
      deleted: true,
    })
    const gone = await run('webhook', 'delete', '--id', id)
    assert.equal(gone.code, 1)
    assert.match(gone.stderr, /No webhook/)
  })

  it('refuses bad URLs, unknown event types and unknown tenants with clear errors', async (t) => {
    const dataDir = tempDataDir(t)
    const run = (...args: string[]) => inProcess({ dataDir }, ...args)
    const cases: [string[], number, RegExp][] = [
      [['--url', 'ftp://files.example.com'], 2, /must be http:\/\/ or https:\/\/, not ftp:/],
      [['--url', 'not a url'], 2, /"not a url" is not a URL/],
      [
        ['--url', 'https://app.test', '--events', 'user.created,user.exploded'],
        2,
        /Unknown event type user\.exploded; the types are user\.created/,
      ],
      [['--url', 'https://app.test', '--tenant', 'nope'], 1, /No tenant "nope"/],
    ]
    for (const [args, code, message] of cases) {
      const result = await run('webhook', 'create', ...args)
      assert.equal(result.code, code, args.join(' '))
      assert.match(result.stderr, message)
    }
    const overlap = await run('webhook', 'rotate-secret', '--id', 'wh_x', '--overlap-hours', '-1')
    assert.equal(overlap.code, 2)
    assert.equal((await run('webhook', 'list', '--json')).stdout, '[]\n')
  })
})

describe('rollcall CLI: the OpenID Provider', () => {
  it('registers, lists and deletes OIDC clients with exact JSON, the secret sealed, and rotates keys', async (t) => {
    const dataDir = tempDataDir(t)
    const created = await cli(
      dataDir,
      'oidc-client',
      'create',
      '--name',
      'Host app',
      '--redirect-uri',
      'https://app.example/callback',
      '--redirect-uri',
      'http://localhost:3000/callback',
      '--json',
    )
    assert.equal(created.code, 0, created.stderr)
    assert.match(
      created.stdout.trim(),
      /^\{"clientId": "[^"]+", "clientSecret": "[^"]+", "issuer": "https:\/\/rc\.test\/oidc"\}$/,
    )
    const { clientId, clientSecret } = JSON.parse(created.stdout) as {
      clientId: string
      clientSecret: string
    }
    const run = (...args: string[]) => inProcess({ dataDir }, ...args)

    const listed = await run('oidc-client', 'list', '--json')
    assert.equal(listed.code, 0, listed.stderr)
    const clients = JSON.parse(listed.stdout) as Record<string, unknown>[]
    assert.deepEqual(
      clients.map((c) => [c.clientId, c.name, c.redirectUris]),
      [[clientId, 'Host app', ['https://app.example/callback', 'http://localhost:3000/callback']]],
    )
    assert.doesNotMatch(listed.stdout, new RegExp(clientSecret))
    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    try {
      const row = await store.oidcClients.get(clientId)
      assert.ok(row)
      assert.notEqual(row.secretSealed, clientSecret)
      const box = createSecretBox(readFileSync(join(dataDir, 'secret'), 'utf8').trim())
      assert.equal(box.open(row.secretSealed), clientSecret)
    } finally {
      await store.close()
    }

    const rotated = await run('oidc-key', 'rotate', '--keep-hours', '2', '--json')
    assert.equal(rotated.code, 0, rotated.stderr)
    const rotation = JSON.parse(rotated.stdout) as { kid: string; published: string[] }
    assert.equal(rotation.published[0], rotation.kid)
    const again = JSON.parse((await run('oidc-key', 'rotate', '--json')).stdout) as {
      published: string[]
    }
    // The previous key stays published after the second rotation.
    assert.equal(again.published.length, 2)
    assert.equal(again.published[1], rotation.kid)

    // Refusals: bad input exits 2 (usage) or 1 (refused by the service).
    assert.equal((await run('oidc-client', 'create', '--name', 'x')).code, 2)
    assert.equal(
      (await run('oidc-client', 'create', '--name', 'x', '--redirect-uri', 'ftp://x')).code,
      1,
    )
    assert.equal(
      (await run('oidc-client', 'create', '--name', ' ', '--redirect-uri', 'https://a.test/cb'))
        .code,
      1,
    )
    assert.equal((await run('oidc-key', 'rotate', '--keep-hours', 'soon')).code, 2)

    const deleted = await run('oidc-client', 'delete', '--id', clientId, '--json')
    assert.deepEqual(JSON.parse(deleted.stdout), { clientId, deleted: true })
    assert.equal((await run('oidc-client', 'delete', '--id', clientId)).code, 1)
    assert.match((await run('oidc-client', 'list')).stdout, /No OIDC clients/)
  })
})
