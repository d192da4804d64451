// SSRF through the issuer URL (issue #7): a tenant admin's issuer may not lead the server to
// private, loopback, link-local or metadata addresses — refused at creation when the URL says
// so literally, and after DNS resolution before every request openid-client makes (discovery,
// token endpoint, jwks_uri) — unless the operator sets SSO_ALLOW_PRIVATE_ISSUERS=true. The admin
// gets a generic discovery error; the address goes to the server log only.
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, it, type TestContext } from 'node:test'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import * as oidc from 'openid-client'
import { asConnectionId } from '../../../src/domain/ids.ts'
import { buildApp } from '../../../src/http/app.ts'
import { OidcClients } from '../../../src/sso/clients.ts'
import { createConnection } from '../../../src/sso/connections.ts'
import { IssuerAddressRefused, type AddressLookup } from '../../../src/sso/issuer-address.ts'
import type { LoginConnectionRecord } from '../../../src/store/store.ts'
import { Browser } from '../../support/browser.ts'
import { sameOrigin, ssoBench } from '../../support/sso.ts'

const answers =
  (table: Record<string, readonly string[]>): AddressLookup =>
  async (hostname) => {
    const found = table[hostname]
    if (!found) throw new Error(`getaddrinfo ENOTFOUND ${hostname}`)
    return found
  }

const DNS = answers({
  'idp.corp.example': ['20.190.128.1', '10.0.0.7'],
  'metadata.example': ['169.254.169.254'],
  'v6.example': ['::ffff:7f00:1'],
})

/** A second instance on the bench's database, with made-up DNS and a log to read. */
async function instanceWithDns(t: TestContext, bench: Awaited<ReturnType<typeof ssoBench>>) {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  const app = await buildApp(bench.h.config, {
    store: bench.h.store,
    signingKey: bench.h.signingKey,
    secretBox: bench.h.secretBox,
    log: bench.h.log,
    logger: { level: 'warn', stream },
    sso: { lookup: DNS },
  })
  t.after(() => app.close())
  const browser = new Browser(app, bench.publicUrl)
  return { app, browser, log: () => lines.join('') }
}

describe('issuer URLs and SSRF', () => {
  it('refuses at creation an http:// or literal private issuer, naming SSO_ALLOW_PRIVATE_ISSUERS', async (t) => {
    const bench = await ssoBench(t, { SSO_ALLOW_PRIVATE_ISSUERS: 'false' })
    await bench.signInAdmin(bench.h.acme)
    const url = `${bench.publicUrl}/api/tenants/acme/connections`
    const create = (issuer: string, domain: string) =>
      bench.browser.request('POST', url, {
        headers: sameOrigin(bench.publicUrl),
        body: JSON.stringify({
          name: 'IdP',
          issuer,
          clientId: 'c',
          clientSecret: 's',
          domain,
        }),
      })
    let n = 0
    for (const issuer of [
      bench.op.issuer,
      'http://localhost:8080',
      'https://127.0.0.1/',
      'https://localhost/',
      'https://169.254.169.254/latest',
      'https://10.1.2.3/v2.0',
      'https://0.0.0.0/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
    ]) {
      const res = await create(issuer, `refused-${n++}.example`)
      assert.equal(res.status, 400, `${issuer}: ${res.body}`)
      const error = JSON.parse(res.body)
      assert.equal(error.code, 'invalid_request')
      assert.match(error.detail, /SSO_ALLOW_PRIVATE_ISSUERS=true/, issuer)
    }
    // A host name is resolved when connecting, not at creation.
    const named = await create('https://idp.corp.example/v2.0', 'named.example')
    assert.equal(named.status, 201, named.body)
    const id = JSON.parse(named.body).id as string
    const edited = await bench.browser.request('PATCH', `${url}/${id}`, {
      headers: sameOrigin(bench.publicUrl),
      body: JSON.stringify({ issuer: 'https://192.168.0.10/' }),
    })
    assert.equal(edited.status, 400, edited.body)
    assert.match(JSON.parse(edited.body).detail, /SSO_ALLOW_PRIVATE_ISSUERS/)
  })

  it('refuses discovery of a name resolving to any private address, with a generic error for the admin and the address in the server log', async (t) => {
    const bench = await ssoBench(t, { SSO_ALLOW_PRIVATE_ISSUERS: 'false' })
    const other = await instanceWithDns(t, bench)
    await bench.signInAdmin(bench.h.acme, other.browser)
    for (const [issuer, address] of [
      ['https://idp.corp.example/v2.0', '10.0.0.7'],
      ['https://metadata.example', '169.254.169.254'],
      ['https://v6.example', '::ffff:7f00:1'],
    ] as const) {
      const connection = await bench.connection(bench.h.acme, { issuer })
      const res = await other.browser.request(
        'POST',
        `${bench.publicUrl}/api/tenants/acme/connections/${connection.id}/verify`,
        { headers: sameOrigin(bench.publicUrl), body: '{}' },
      )
      assert.equal(res.status, 502, res.body)
      const error = JSON.parse(res.body)
      assert.equal(error.code, 'idp_discovery_failed')
      assert.match(error.detail, /could not be reached/)
      assert.ok(!error.detail.includes(address), error.detail)
      assert.doesNotMatch(error.detail, /resolves|private|20\.190/)
      const [logged] = await bench.h.store
        .forTenant(bench.h.acme.tenant.id)
        .signInLog.list({ limit: 1 })
      assert.equal(logged?.outcome, 'verification-failed')
      assert.ok(!(logged?.detail ?? '').includes(address), String(logged?.detail))
      assert.ok(other.log().includes(address), `${address} not in the server log`)
      assert.ok(other.log().includes(connection.id))
    }
    // The sign-in page of a (verified) connection says as little.
    const verified = await bench.verifiedConnection(bench.h.acme, {
      issuer: 'https://metadata.example/',
    })
    const page = await other.browser.visit(`${bench.publicUrl}/sso/login/${verified.id}`)
    assert.equal(page.status, 502)
    assert.doesNotMatch(page.body, /169\.254/)
  })

  it('checks the token endpoint and the key set (jwks_uri) of a discovered provider too', async (t) => {
    const bench = await ssoBench(t, { SSO_ALLOW_PRIVATE_ISSUERS: 'false' })
    const issuer = 'https://login.example.com'
    const { privateKey, publicKey } = await generateKeyPair('RS256')
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] }
    const seen: string[] = []
    const metadataFor = (endpoints: { token: string; jwks: string }) => ({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: endpoints.token,
      jwks_uri: endpoints.jwks,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    })
    let endpoints = { token: `${issuer}/token`, jwks: `${issuer}/keys` }
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })
    const fetch: oidc.CustomFetch = async (url) => {
      seen.push(url)
      if (url.endsWith('/.well-known/openid-configuration')) return json(metadataFor(endpoints))
      if (url === endpoints.token) {
        const idToken = await new SignJWT({ nonce: 'n0nce' })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(issuer)
          .setAudience('client')
          .setSubject('alice')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey)
        return json({ access_token: 'at', token_type: 'Bearer', id_token: idToken })
      }
      if (url === endpoints.jwks) return json(jwks)
      return new Response('not found', { status: 404 })
    }
    const lookup = answers({
      'login.example.com': ['20.190.128.1'],
      'token.corp.example': ['10.9.9.9'],
      'keys.corp.example': ['fd00::5'],
    })
    const clients = new OidcClients(bench.h.secretBox, { fetch, lookup })
    const at = new Date().toISOString()
    const connection = (id: string): LoginConnectionRecord => ({
      id: asConnectionId(id),
      tenantId: bench.h.acme.tenant.id,
      name: 'IdP',
      issuer,
      clientId: 'client',
      clientSecretEncrypted: bench.h.secretBox.seal('secret'),
      domain: 'example.com',
      status: 'verified',
      verifiedAt: at,
      jitEnabled: true,
      emailClaims: ['email'],
      createdAt: at,
      updatedAt: at,
    })
    const callback = new URL('https://rollcall.test/sso/callback?code=c0de&state=st4te')
    const checks = {
      expectedState: 'st4te',
      expectedNonce: 'n0nce',
      pkceCodeVerifier: 'v'.repeat(43),
    }

    // The public provider works through the same path: the stub is reached and the ID token read.
    const fine = connection('fine')
    oidc.enableNonRepudiationChecks(await clients.configFor(fine))
    assert.equal((await clients.exchange(fine, callback, checks)).claims.sub, 'alice')
    assert.ok(seen.includes(`${issuer}/keys`))

    endpoints = { token: 'https://token.corp.example/token', jwks: `${issuer}/keys` }
    seen.length = 0
    await assert.rejects(
      clients.exchange(connection('token'), callback, checks),
      IssuerAddressRefused,
    )
    assert.ok(!seen.includes(endpoints.token), seen.join(' '))

    // The key set is fetched to check the ID token's signature; it is checked the same way.
    endpoints = { token: `${issuer}/token`, jwks: 'https://keys.corp.example/jwks' }
    seen.length = 0
    const keys = connection('keys')
    oidc.enableNonRepudiationChecks(await clients.configFor(keys))
    await assert.rejects(clients.exchange(keys, callback, checks), IssuerAddressRefused)
    assert.ok(seen.includes(endpoints.token))
    assert.ok(!seen.includes(endpoints.jwks), seen.join(' '))
  })

  it('allows a loopback http:// provider end to end when SSO_ALLOW_PRIVATE_ISSUERS=true', async (t) => {
    // The bench's default: the operator's setting, not a test-only client option.
    const bench = await ssoBench(t)
    assert.equal(bench.h.config.sso.allowPrivateIssuers, true)
    await bench.signInAdmin(bench.h.acme)
    const connection = await createConnection(
      bench.h.store,
      bench.h.secretBox,
      bench.h.acme.tenant,
      {
        name: 'Lab IdP',
        issuer: bench.op.issuer,
        clientId: 'rollcall-test-client',
        clientSecret: 'client-secret-of-the-test',
        domain: 'lab.example',
      },
      bench.h.config.sso,
    )
    const res = await bench.browser.request(
      'POST',
      `${bench.publicUrl}/api/tenants/acme/connections/${connection.id}/verify`,
      { headers: sameOrigin(bench.publicUrl), body: '{}' },
    )
    assert.equal(res.status, 200, res.body)
    const page = await bench.browser.visit(JSON.parse(res.body).url)
    assert.equal(page.status, 200, page.body)
    assert.match(page.body, /Connection verified/)
  })
})
