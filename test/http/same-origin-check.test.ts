// The same-origin check of state-changing requests (plugins/web-session.ts) as real browsers
// make them: under this site's Referrer-Policy: no-referrer, Chromium and Firefox send
// `Origin: null` on same-origin form posts and fetch() calls, with `Sec-Fetch-Site: same-origin`.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { build } from '../helper.ts'

const SIGN_IN = JSON.stringify({ tenant: 'acme', email: 'nobody@example.com', password: 'x' })

describe('the same-origin check', () => {
  it('accepts Origin: null when Sec-Fetch-Site says same-origin, on /login and /api', async (t) => {
    const h = await build(t)
    const login = await h.app.inject({
      method: 'POST',
      url: '/login',
      headers: {
        'content-type': 'application/json',
        origin: 'null',
        'sec-fetch-site': 'same-origin',
      },
      payload: SIGN_IN,
    })
    // Past the check: the credentials are what fails.
    assert.equal(login.statusCode, 401, login.body)
    assert.equal(login.json().code, 'invalid_credentials')
    const logout = await h.app.inject({
      method: 'POST',
      url: '/api/session/logout',
      headers: {
        'content-type': 'application/json',
        origin: 'null',
        'sec-fetch-site': 'same-origin',
      },
    })
    assert.equal(logout.statusCode, 204)
  })

  it('refuses Origin: null without Sec-Fetch-Site, or from another site', async (t) => {
    const h = await build(t)
    for (const headers of [
      { origin: 'null' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      { origin: 'null', 'sec-fetch-site': 'same-site' },
    ]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/json', ...headers },
        payload: SIGN_IN,
      })
      assert.equal(res.statusCode, 403, JSON.stringify(headers))
      assert.equal(res.json().code, 'cross_site_request')
    }
  })
})
