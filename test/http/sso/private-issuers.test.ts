// SSO_ALLOW_PRIVATE_ISSUERS in a real server process (issue #7): with it, a loopback http://
// OpenID Provider (a lab) is created through the CLI and verified end to end by following the
// verification link with a cookie jar; without it, the CLI refuses the issuer at creation and
// names the setting.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { CLIENT_ID, CLIENT_SECRET, startTestOp } from '../../support/oidc-provider.ts'
import { runCli, startServer } from '../../support/processes.ts'

/** A port the OS just handed out: PUBLIC_URL (and so the redirect URI) must be known first. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** GET, following redirects across origins with a cookie jar per origin, as a browser does. */
async function visit(url: string): Promise<{ status: number; body: string; chain: string[] }> {
  const jar = new Map<string, Map<string, string>>()
  const chain: string[] = []
  let current = url
  for (let hop = 0; hop < 20; hop++) {
    chain.push(current)
    const origin = new URL(current).origin
    const cookies = jar.get(origin) ?? new Map<string, string>()
    const response = await fetch(current, {
      redirect: 'manual',
      headers:
        cookies.size > 0 ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
    })
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? ''
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (value === '' || /max-age=0/i.test(line)) cookies.delete(name)
      else cookies.set(name, value)
    }
    jar.set(origin, cookies)
    const location = response.headers.get('location')
    if (response.status >= 300 && response.status < 400 && location) {
      current = new URL(location, current).toString()
      continue
    }
    return { status: response.status, body: await response.text(), chain }
  }
  throw new Error(`too many redirects: ${chain.join(' → ')}`)
}

describe('SSO_ALLOW_PRIVATE_ISSUERS', () => {
  it('lets a server process verify a loopback http:// provider created through the CLI, and the CLI refuses it without the setting', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-private-issuer-'))
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))
    const port = await freePort()
    const publicUrl = `http://127.0.0.1:${port}`
    const op = await startTestOp(`${publicUrl}/sso/callback`)
    t.after(() => op.close())
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      ROLLCALL_SECRET: 'a-secret-of-at-least-thirty-two-characters',
      PUBLIC_URL: publicUrl,
      SSO_ALLOW_PRIVATE_ISSUERS: 'true',
    }
    const create = (extra: Record<string, string>, domain: string) =>
      runCli(
        { ...env, ...extra },
        ...['connection', 'create', '--tenant', 'acme', '--name', 'Lab IdP'],
        ...['--issuer', op.issuer, '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET],
        ...['--domain', domain, '--json'],
      )

    await runCli(env, 'tenant', 'create', '--slug', 'acme')
    await assert.rejects(
      create({ SSO_ALLOW_PRIVATE_ISSUERS: 'false' }, 'refused.example'),
      (error) => {
        assert.match(
          String((error as { stderr?: string }).stderr),
          /SSO_ALLOW_PRIVATE_ISSUERS=true/,
        )
        return true
      },
    )

    const server = await startServer({ ...env, PORT: String(port) })
    t.after(() => server.stop())
    const { id } = JSON.parse(await create({}, 'lab.example')) as { id: string }
    const link = JSON.parse(
      await runCli(env, 'connection', 'verify', '--tenant', 'acme', '--id', id, '--json'),
    ) as { url: string }
    assert.ok(link.url.startsWith(`${publicUrl}/sso/verify/`), link.url)

    const page = await visit(link.url)
    assert.equal(page.status, 200, `${page.body}\n${server.output()}`)
    assert.match(page.body, /Connection verified/)
    assert.ok(
      page.chain.some((url) => url.startsWith(op.issuer)),
      page.chain.join(' → '),
    )
    const listed = JSON.parse(
      await runCli(env, 'connection', 'list', '--tenant', 'acme', '--json'),
    ) as { id: string; status: string }[]
    assert.deepEqual(
      listed.map((c) => [c.id, c.status]),
      [[id, 'verified']],
    )
  })
})
