// Security headers on every response (issue #7), from @fastify/helmet in app.ts: a CSP that
// forbids framing and script but lets the server-rendered pages keep their inline <style>,
// nosniff, no Referer (links carry one-time tokens), and HSTS only when PUBLIC_URL is https.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { build } from '../helper.ts'

type Headers = Record<string, string | string[] | number | undefined>

function directives(headers: Headers): Map<string, string> {
  const csp = String(headers['content-security-policy'] ?? '')
  return new Map(
    csp
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/)
        return [name, values.join(' ')] as const
      }),
  )
}

function assertCommon(headers: Headers, where: string): void {
  assert.equal(headers['x-content-type-options'], 'nosniff', where)
  assert.equal(headers['referrer-policy'], 'no-referrer', where)
  assert.equal(headers['x-frame-options'], 'DENY', where)
  const csp = directives(headers)
  assert.equal(csp.get('frame-ancestors'), "'none'", where)
  assert.equal(csp.get('default-src'), "'none'", where)
}

describe('security headers', () => {
  it('sends a CSP that allows the pages their inline style and nothing else, without framing', async (t) => {
    const h = await build(t)
    for (const url of ['/login', '/sso', '/login/set-password/unknown', '/sso/nowhere']) {
      const res = await h.app.inject({ method: 'GET', url })
      assert.match(String(res.headers['content-type']), /^text\/html/, url)
      assertCommon(res.headers, url)
      const csp = directives(res.headers)
      assert.equal(csp.get('style-src'), "'unsafe-inline'", url)
      assert.equal(csp.has('script-src'), false, url)
      assert.equal(csp.get('base-uri'), "'none'", url)
      // What the page needs is what the policy allows: one inline <style>, no script, no
      // external resource, forms to this site (and the IdP redirect after "Sign in with SSO").
      assert.match(res.body, /<style>/, url)
      assert.doesNotMatch(res.body, /<script|<link|<img|<iframe| style="| on\w+="/i, url)
      assert.equal(csp.get('form-action'), "'self' https:", url)
      assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains')
    }
  })

  it('sends them on /api and SCIM responses too, errors included', async (t) => {
    const h = await build(t)
    const session = await h.app.inject({ method: 'GET', url: '/api/session' })
    assert.equal(session.statusCode, 401)
    assertCommon(session.headers, '/api/session')
    const users = await h.scim(h.acme, 'GET', '/Users')
    assert.equal(users.statusCode, 200)
    assertCommon(users.headers, 'SCIM /Users')
    const unauthenticated = await h.app.inject({ method: 'GET', url: `${h.acme.base}/Users` })
    assert.equal(unauthenticated.statusCode, 401)
    assertCommon(unauthenticated.headers, 'SCIM 401')
    assert.ok(unauthenticated.headers['strict-transport-security'])
    const health = await h.app.inject({ method: 'GET', url: '/healthz' })
    assertCommon(health.headers, '/healthz')
  })

  it('sends HSTS only when PUBLIC_URL is https', async (t) => {
    const plain = await build(t, { PUBLIC_URL: 'http://127.0.0.1:8080' })
    for (const url of ['/login', '/api/session', '/healthz']) {
      const res = await plain.app.inject({ method: 'GET', url })
      assert.equal(res.headers['strict-transport-security'], undefined, url)
      assertCommon(res.headers, url)
    }
    const scim = await plain.scim(plain.acme, 'GET', '/Users')
    assert.equal(scim.headers['strict-transport-security'], undefined)
    const secure = await build(t, { PUBLIC_URL: 'https://id.example.com' })
    const res = await secure.app.inject({ method: 'GET', url: '/login' })
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains')
  })

  it('lets forms also lead to http:// providers when SSO_ALLOW_PRIVATE_ISSUERS allows them', async (t) => {
    const h = await build(t, { SSO_ALLOW_PRIVATE_ISSUERS: 'true' })
    const res = await h.app.inject({ method: 'GET', url: '/sso' })
    assert.equal(directives(res.headers).get('form-action'), "'self' https: http:")
  })
})
