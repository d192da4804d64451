// /api takes JSON only (issue #7, CSRF): every state-changing request must say Content-Type:
// application/json, bodiless ones (logout, DELETE, verify) included, so that neither a cross-site
// form nor a "simple" cross-site fetch (text/plain, no preflight) can change anything.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ssoBench } from '../../support/sso.ts'

describe('/api content type', () => {
  it('refuses a text/plain, form or untyped logout with 415 and keeps the session', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const logout = `${bench.publicUrl}/api/session/logout`
    for (const headers of [
      { 'content-type': 'text/plain' },
      { 'content-type': 'text/plain;charset=UTF-8' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'multipart/form-data; boundary=x' },
      {},
    ]) {
      const res = await bench.browser.request('POST', logout, { headers, body: 'x' })
      assert.equal(res.status, 415, JSON.stringify(headers))
      assert.equal(JSON.parse(res.body).status, 415)
      assert.equal(JSON.parse(res.body).code, 'unsupported_media_type')
      assert.match(JSON.parse(res.body).detail, /Content-Type: application\/json/)
      assert.equal(res.headers['set-cookie'], undefined)
    }
    const bodiless = await bench.browser.request('POST', logout)
    assert.equal(bodiless.status, 415)
    const still = await bench.browser.request('GET', `${bench.publicUrl}/api/session`)
    assert.equal(still.status, 200, 'the session survived')

    const out = await bench.browser.request('POST', logout, {
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(out.status, 204, out.body)
    const gone = await bench.browser.request('GET', `${bench.publicUrl}/api/session`)
    assert.equal(gone.status, 401)
  })

  it('takes bodiless JSON-typed DELETE and verify requests, and a charset parameter', async (t) => {
    const bench = await ssoBench(t)
    await bench.signInAdmin(bench.h.acme)
    const connection = await bench.connection(bench.h.acme)
    const url = `${bench.publicUrl}/api/tenants/acme/connections/${connection.id}`
    const untyped = await bench.browser.request('DELETE', url)
    assert.equal(untyped.status, 415)
    const verify = await bench.browser.request('POST', `${url}/verify`, {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
    assert.equal(verify.status, 200, verify.body)
    const malformed = await bench.browser.request('PATCH', url, {
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    })
    assert.equal(malformed.status, 400)
    assert.equal(JSON.parse(malformed.body).code, 'invalid_request')
    const deleted = await bench.browser.request('DELETE', url, {
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(deleted.status, 204, deleted.body)
    // Reads need no content type.
    const list = await bench.browser.request(
      'GET',
      `${bench.publicUrl}/api/tenants/acme/connections`,
    )
    assert.equal(list.status, 200)
  })
})
