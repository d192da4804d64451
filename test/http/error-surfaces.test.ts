// One error catalogue, rendered once per surface (docs/errors.md): RFC 9457 problem details on
// /api (and /login as JSON), HTML pages on /sso (and /login in a browser), the RFC 7644 §3.12 body
// under /scim/v2. Internals never reach a client; an unreachable store is 503 with Retry-After.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildApp } from '../../src/http/app.ts'
import { StoreUnavailable, type Store } from '../../src/store/store.ts'
import { build } from '../helper.ts'

const PROBLEM = /^application\/problem\+json/

describe('error surfaces', () => {
  it('answers the admin API with problem details: about:blank, the status phrase, the code', async (t) => {
    const h = await build(t)
    const res = await h.app.inject({ method: 'GET', url: '/api/nothing-here?x=1' })
    assert.equal(res.statusCode, 404)
    assert.match(String(res.headers['content-type']), PROBLEM)
    assert.deepEqual(res.json(), {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No API endpoint at GET /api/nothing-here.',
      code: 'not_found',
    })
    const anonymous = await h.app.inject({ method: 'GET', url: '/api/session' })
    assert.equal(anonymous.statusCode, 401)
    assert.match(String(anonymous.headers['content-type']), PROBLEM)
    assert.equal(anonymous.json().code, 'unauthenticated')
    assert.equal(anonymous.json().title, 'Unauthorized')
  })

  it('answers /login as JSON with problem details and in a browser with a page', async (t) => {
    const h = await build(t)
    const json = await h.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      payload: '{}',
    })
    assert.equal(json.statusCode, 403)
    assert.match(String(json.headers['content-type']), PROBLEM)
    assert.equal(json.json().code, 'cross_site_request')
    const form = await h.app.inject({
      method: 'POST',
      url: '/login',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
      },
      payload: 'tenant=acme',
    })
    assert.equal(form.statusCode, 403)
    assert.match(String(form.headers['content-type']), /^text\/html/)
    assert.match(form.body, /<title>Request refused · Rollcall<\/title>/)
    assert.match(form.body, /Open the sign-in page of this site/)
  })

  it('answers /sso with pages, a malformed link included', async (t) => {
    const h = await build(t)
    const missing = await h.app.inject({ method: 'GET', url: '/sso/nothing-here' })
    assert.equal(missing.statusCode, 404)
    assert.match(String(missing.headers['content-type']), /^text\/html/)
    assert.match(missing.body, /There is no page here/)
    const tooLong = await h.app.inject({ method: 'GET', url: `/sso/login/${'x'.repeat(100)}` })
    assert.equal(tooLong.statusCode, 400)
    assert.match(String(tooLong.headers['content-type']), /^text\/html/)
    assert.match(tooLong.body, /<title>Invalid request · Rollcall<\/title>/)
  })

  it('answers SCIM with the RFC 7644 error body', async (t) => {
    const h = await build(t)
    const res = await h.scim(h.acme, 'GET', '/Nothing')
    assert.equal(res.statusCode, 404)
    assert.match(String(res.headers['content-type']), /^application\/scim\+json/)
    assert.deepEqual(res.json(), {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
      detail: `No SCIM endpoint at GET ${h.acme.base}/Nothing.`,
    })
  })

  it('answers 503 with Retry-After on every surface while the store is unreachable', async (t) => {
    const h = await build(t)
    const unreachable = async () => {
      throw new StoreUnavailable('connection refused by 10.0.0.5')
    }
    const down: Store = Object.create(h.store, {
      sessions: { value: { ...bound(h.store.sessions), get: unreachable } },
      connections: { value: { ...bound(h.store.connections), byDomain: unreachable } },
    }) as Store
    const app = await buildApp(h.config, {
      store: down,
      signingKey: h.signingKey,
      secretBox: h.secretBox,
      log: h.log,
      logger: false,
    })
    t.after(() => app.close())
    const api = await app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { cookie: 'rollcall_session=abc' },
    })
    assert.equal(api.statusCode, 503)
    assert.equal(api.headers['retry-after'], '5')
    assert.match(String(api.headers['content-type']), PROBLEM)
    assert.equal(api.json().code, 'unavailable')
    assert.doesNotMatch(api.body, /10\.0\.0\.5/)
    const page = await app.inject({ method: 'GET', url: '/sso?q=someone@contoso.com' })
    assert.equal(page.statusCode, 503)
    assert.equal(page.headers['retry-after'], '5')
    assert.match(page.body, /<title>Try again shortly · Rollcall<\/title>/)
    assert.doesNotMatch(page.body, /10\.0\.0\.5/)
  })
})

/** The methods of a repository object, bound to it, as own properties (they live on its prototype). */
function bound<T extends object>(repository: T): T {
  const out: Record<string, unknown> = {}
  for (
    let proto = repository;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = (repository as Record<string, unknown>)[name]
      if (name !== 'constructor' && !(name in out) && typeof value === 'function') {
        out[name] = value.bind(repository)
      }
    }
  }
  return out as T
}
