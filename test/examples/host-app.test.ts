// The example host app (examples/host-app/app.ts) against the real thing, every part its own
// process or server: a Rollcall server set up by the operator with the real CLI, the test
// upstream IdP, SCIM requests as Entra sends them, and the app. Alice signs in through the app
// (app → Rollcall /oidc → /sso → the IdP → back) and the app shows her claims; a SCIM
// deactivation reaches the app by webhook and ends her session there within seconds (so does a
// SCIM delete, after a reactivation and a new sign-in), while a forged webhook is refused and
// changes nothing.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { Webhook } from 'standardwebhooks'
import { FetchBrowser } from '../identity-provider/support.ts'
import { CLIENT_ID, CLIENT_SECRET, startTestOp } from '../support/oidc-provider.ts'
import { TEST_STORE } from '../helper.ts'
import { createTestDatabase } from '../support/postgres.ts'
import { runCli, startServer } from '../support/processes.ts'
import { PATCH, userBody, GROUP } from '../support/scim.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const EMAIL = 'alice@contoso.com' // the test IdP's default account

/** A port that was free a moment ago (the server and the app must know each other's address). */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (!address || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** Starts the example app and waits for its "listening" line. */
async function startApp(env: Record<string, string>): Promise<{ child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'examples', 'host-app', 'app.ts')],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${output}`)), 20_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('host app on')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`app exited with ${code}:\n${output}`))
    })
  })
  return { child }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000) {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

test('the example app signs Alice in through Rollcall and drops her session when SCIM deactivates her', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-example-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  const [rollcallPort, appPort] = [await freePort(), await freePort()]
  const publicUrl = `http://127.0.0.1:${rollcallPort}`
  const appUrl = `http://127.0.0.1:${appPort}`

  const idp = await startTestOp(`${publicUrl}/sso/callback`)
  t.after(() => idp.close())
  // `npm run test:postgres` runs the same walk on a fresh PostgreSQL database.
  const database =
    TEST_STORE === 'postgres' ? await createTestDatabase('rollcall_example') : undefined
  if (database) t.after(() => database.drop())
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: database?.url ?? '',
    ROLLCALL_SECRET: 'example-app-test-secret-0123456789abcdef',
    PORT: String(rollcallPort),
    PUBLIC_URL: publicUrl,
    SSO_ALLOW_PRIVATE_ISSUERS: 'true', // the test IdP is on loopback
    WEBHOOK_RETRY_SECONDS: '0.2,0.5,1',
  }
  const server = await startServer(env)
  t.after(() => server.stop())
  assert.equal(server.url, publicUrl)
  const cli = async (...args: string[]) => JSON.parse(await runCli(env, ...args, '--json'))

  // The operator's set-up: tenant, verified domain, login connection (verified through the IdP),
  // SCIM token, the app's OIDC client and its webhook.
  await cli('tenant', 'create', '--slug', 'acme', '--name', 'Acme')
  await cli('domain', 'add', '--tenant', 'acme', '--domain', 'contoso.com')
  await cli('domain', 'verify', '--tenant', 'acme', '--domain', 'contoso.com', '--force')
  const connection = await cli(
    'connection',
    'create',
    '--tenant',
    'acme',
    '--name',
    'Entra ID',
    '--issuer',
    idp.issuer,
    '--client-id',
    CLIENT_ID,
    '--client-secret',
    CLIENT_SECRET,
    '--domain',
    'contoso.com',
  )
  assert.equal(connection.redirectUri, `${publicUrl}/sso/callback`)
  const { url: verifyUrl } = await cli(
    'connection',
    'verify',
    '--tenant',
    'acme',
    '--id',
    connection.id,
  )
  const verified = await new FetchBrowser().follow(verifyUrl, 'none:')
  assert.match(verified.page.body, /Connection verified/, verified.page.body)
  // No --force: the connection is verified, as the command requires.
  const scim = await cli('scim-token', 'issue', '--tenant', 'acme')
  const client = await cli(
    'oidc-client',
    'create',
    '--name',
    'Example app',
    '--redirect-uri',
    `${appUrl}/callback`,
  )
  assert.equal(client.issuer, `${publicUrl}/oidc`)
  const hook = await cli('webhook', 'create', '--url', `${appUrl}/webhooks`)
  assert.match(hook.secret, /^whsec_/)

  const app = await startApp({
    PORT: String(appPort),
    ROLLCALL_ISSUER: client.issuer,
    CLIENT_ID: client.clientId,
    CLIENT_SECRET: client.clientSecret,
    WEBHOOK_SECRET: hook.secret,
  })
  t.after(() => void app.child.kill('SIGKILL'))

  // Entra provisions Alice and a group she is in.
  const scimRequest = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${scim.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${scim.token}`, 'content-type': 'application/scim+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  }
  const alice = await scimRequest('POST', '/Users', userBody(EMAIL, { displayName: 'Alice' }))
  await scimRequest('POST', '/Groups', {
    schemas: [GROUP],
    displayName: 'Engineering',
    members: [{ value: alice.id }],
  })

  // Sign-in: the app → Rollcall's /oidc → /sso → the IdP → Rollcall → the app's / page.
  const browser = new FetchBrowser()
  const signedIn = await browser.follow(
    `${appUrl}/login?email=${encodeURIComponent(EMAIL)}`,
    'none:',
  )
  assert.equal(signedIn.page.status, 200, signedIn.page.body)
  assert.equal(signedIn.page.url, `${appUrl}/`)
  const claims = JSON.parse(signedIn.page.body)
  assert.equal(claims.sub, alice.id, 'sub is the user id of SCIM and the events')
  assert.equal(claims.email, EMAIL)
  assert.equal(claims.name, 'Alice')
  assert.equal(claims.tenant, 'acme')
  assert.equal(claims.role, 'Viewer')
  assert.deepEqual(claims.groups, ['Engineering'])
  assert.equal(claims.iss, `${publicUrl}/oidc`)
  const page = () => browser.request(`${appUrl}/`)

  // A forged deactivation (a signature under another secret) is refused; the session stays.
  const forged = JSON.stringify({
    id: 'evt_forged',
    type: 'user.deactivated',
    timestamp: new Date().toISOString(),
    tenant: 'acme',
    data: { id: alice.id, active: false },
  })
  const now = new Date()
  const signature = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).sign(
    'evt_forged',
    now,
    forged,
  )
  const refused = await fetch(`${appUrl}/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': 'evt_forged',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body: forged,
  })
  assert.equal(refused.status, 400)
  assert.equal((await page()).status, 200, 'a forged webhook ends no session')

  // Entra deactivates Alice: the webhook reaches the app, which ends her session.
  await scimRequest('PATCH', `/Users/${alice.id}`, {
    schemas: [PATCH],
    Operations: [{ op: 'replace', path: 'active', value: false }],
  })
  const after = await until('the session to end', async () => {
    const reply = await page()
    return reply.status === 401 ? reply : undefined
  })
  assert.match(after.body, /signIn/)
  // Back in Entra's scope, she signs in again; Entra deletes her, and that session ends too.
  await scimRequest('PATCH', `/Users/${alice.id}`, {
    schemas: [PATCH],
    Operations: [{ op: 'replace', path: 'active', value: true }],
  })
  const again = new FetchBrowser()
  const second = await again.follow(`${appUrl}/login?email=${encodeURIComponent(EMAIL)}`, 'none:')
  assert.equal(second.page.status, 200, second.page.body)
  assert.equal((await page()).status, 401, 'the ended session stays ended')
  await scimRequest('DELETE', `/Users/${alice.id}`, undefined)
  await until('the second session to end', async () =>
    (await again.request(`${appUrl}/`)).status === 401 ? true : undefined,
  )

  // Every genuine delivery verified at the app (answered 204), none failed or dead-lettered.
  const log = await cli('webhook', 'deliveries', '--id', hook.id)
  assert.ok(log.deliveries.length >= 7, JSON.stringify(log))
  for (const d of log.deliveries) assert.deepEqual([d.outcome, d.status], ['delivered', 204])
  assert.deepEqual(log.deadLetters, [])
})
