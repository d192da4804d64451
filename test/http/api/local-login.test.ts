// Local sign-in of bootstrap / break-glass admins (issue #4): `admin create` gives a one-time
// set-password link, /login takes tenant + email + password (form or JSON), and failed attempts
// are throttled per account and client address, per address, and slowed down per account, with
// counters in the database.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { ensureAdmin } from '../../../src/directory/internal.ts'
import { issueSetPasswordLink, signInWithPassword } from '../../../src/sessions/local-login.ts'
import { build as buildApp, type TestApp } from '../../helper.ts'

const PASSWORD = 'correct horse battery staple'

// These tests hash and check many passwords; the default cost is asserted in passwords.test.ts.
const FAST = { N: 2 ** 12, r: 8, p: 1 }
const build = (t: TestContext, env: Record<string, string> = {}) =>
  buildApp(t, env, { passwordHashing: FAST })

async function adminWithPassword(h: TestApp, email = 'root@example.com'): Promise<void> {
  const { user } = await ensureAdmin(h.store, h.acme.tenant, email)
  const link = await issueSetPasswordLink(h.store, h.config.publicUrl, {
    tenantId: h.acme.tenant.id,
    userId: user.id,
  })
  const path = new URL(link).pathname
  const form = await h.app.inject({ method: 'GET', url: path })
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /Set your password/)
  const set = await h.app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'https://rollcall.test',
    },
    payload: `password=${encodeURIComponent(PASSWORD)}`,
  })
  assert.equal(set.statusCode, 200, set.body)
  assert.match(set.body, /Password set/)
  const reused = await h.app.inject({ method: 'GET', url: path })
  assert.equal(reused.statusCode, 410)
}

function login(h: TestApp, body: Record<string, string>, address = '10.0.0.1') {
  return h.app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: address,
    headers: { 'content-type': 'application/json', origin: 'https://rollcall.test' },
    payload: JSON.stringify(body),
  })
}

describe('local sign-in', () => {
  it('signs an Admin in with the password set through the one-time link, as JSON and as a form', async (t) => {
    const h = await build(t)
    await adminWithPassword(h)
    const res = await login(h, { tenant: 'acme', email: 'ROOT@example.com', password: PASSWORD })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), { email: 'root@example.com', tenant: 'acme', role: 'Admin' })
    const cookie = String(res.headers['set-cookie'])
    const value = /rollcall_session=([^;]+)/.exec(cookie)?.[1]
    assert.ok(value)
    assert.match(cookie, /HttpOnly/)
    assert.match(cookie, /Secure/)
    assert.match(cookie, /SameSite=Lax/)
    const me = await h.app.inject({
      method: 'GET',
      url: '/api/session',
      cookies: { rollcall_session: value },
    })
    assert.deepEqual(me.json(), { email: 'root@example.com', tenant: 'acme', role: 'Admin' })

    const page = await h.app.inject({ method: 'GET', url: '/login' })
    assert.match(page.body, /<form method="post" action="\/login">/)
    const form = await h.app.inject({
      method: 'POST',
      url: '/login',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
      },
      payload: `tenant=acme&email=root%40example.com&password=${encodeURIComponent(PASSWORD)}`,
    })
    assert.equal(form.statusCode, 200, form.body)
    assert.match(form.body, /signed in to <strong>acme<\/strong>/)
  })

  it('records the sign-in as the last sign-in the Users page lists', async (t) => {
    const h = await build(t)
    await adminWithPassword(h)
    const before = await h.store.forTenant(h.acme.tenant.id).users.search({ limit: 10 })
    assert.deepEqual(
      before.items.map((u) => u.lastSignInAt),
      [null],
      'setting a password is no sign-in',
    )
    const started = new Date().toISOString()
    const res = await login(h, { tenant: 'acme', email: 'root@example.com', password: PASSWORD })
    assert.equal(res.statusCode, 200, res.body)
    const value = /rollcall_session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1]
    assert.ok(value)
    const users = await h.app.inject({
      method: 'GET',
      url: '/api/tenants/acme/users',
      cookies: { rollcall_session: value },
    })
    assert.equal(users.statusCode, 200, users.body)
    const [root] = users.json().items as { email: string; lastSignInAt: string | null }[]
    assert.equal(root?.email, 'root@example.com')
    assert.ok(root.lastSignInAt && root.lastSignInAt >= started, root.lastSignInAt ?? 'null')
  })

  it('refuses a wrong password, an unknown account and a short new password', async (t) => {
    const h = await build(t)
    await adminWithPassword(h)
    const wrong = await login(h, {
      tenant: 'acme',
      email: 'root@example.com',
      password: 'wrong password!!',
    })
    assert.equal(wrong.statusCode, 401)
    assert.equal(wrong.json().code, 'invalid_credentials')
    assert.equal(
      (await login(h, { tenant: 'acme', email: 'nobody@example.com', password: PASSWORD }))
        .statusCode,
      401,
    )
    assert.equal(
      (await login(h, { tenant: 'nope', email: 'root@example.com', password: PASSWORD }))
        .statusCode,
      401,
    )
    const { user } = await ensureAdmin(h.store, h.acme.tenant, 'second@example.com')
    const link = await issueSetPasswordLink(h.store, h.config.publicUrl, {
      tenantId: h.acme.tenant.id,
      userId: user.id,
    })
    const short = await h.app.inject({
      method: 'POST',
      url: new URL(link).pathname,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ password: 'short' }),
    })
    assert.equal(short.statusCode, 400)
    assert.equal(short.json().code, 'weak_password')
  })

  it('locks an account for the address that failed 5 times, not for its owner elsewhere, who waits a short delay', async (t) => {
    const h = await build(t)
    await adminWithPassword(h)
    // Two minutes ago, from one address, as fast as the account's delay lets it.
    let clock = Date.now() - 120_000
    const attempt = (password: string, address: string) =>
      signInWithPassword(
        h.store,
        { ...h.config, passwordHashing: FAST },
        { tenant: 'acme', email: 'root@example.com', password, address },
        new Date(clock),
      )
    for (let i = 0; i < 5; i++) {
      let result = await attempt(`wrong-${i}-password`, '10.0.1.1')
      if (result.kind === 'throttled') {
        clock += result.retryAfterSeconds * 1000
        result = await attempt(`wrong-${i}-password`, '10.0.1.1')
      }
      assert.equal(result.kind, 'invalid')
    }
    // Right after, the owner elsewhere is slowed down (4 s after 5 failures), not locked out.
    assert.deepEqual(await attempt(PASSWORD, '10.0.2.1'), {
      kind: 'throttled',
      retryAfterSeconds: 4,
    })
    clock += 4000
    const guesser = await attempt(PASSWORD, '10.0.1.1')
    assert.equal(guesser.kind, 'throttled')
    assert.equal((await attempt(PASSWORD, '10.0.2.1')).kind, 'signedIn')

    // Now, over HTTP: the guessing address stays locked out of this account for the window,
    // right password or not; the owner signs in.
    const blocked = await login(
      h,
      { tenant: 'acme', email: 'root@example.com', password: PASSWORD },
      '10.0.1.1',
    )
    assert.equal(blocked.statusCode, 429)
    assert.equal(blocked.json().code, 'too_many_attempts')
    const retryAfter = Number(blocked.headers['retry-after'])
    assert.ok(retryAfter > 700 && retryAfter <= 780, String(retryAfter))
    const owner = await login(
      h,
      { tenant: 'acme', email: 'root@example.com', password: PASSWORD },
      '10.0.2.1',
    )
    assert.equal(owner.statusCode, 200, owner.body)
    // Another account is not affected, from the guessing address either.
    await adminWithPassword(h, 'other@example.com')
    assert.equal(
      (
        await login(
          h,
          { tenant: 'acme', email: 'other@example.com', password: PASSWORD },
          '10.0.1.1',
        )
      ).statusCode,
      200,
    )
  })

  it('throttles a client address after 20 failures across accounts', async (t) => {
    const h = await build(t)
    await adminWithPassword(h)
    for (let i = 0; i < 20; i++) {
      const res = await login(
        h,
        { tenant: 'acme', email: `guess${i}@example.com`, password: 'wrong password!!' },
        '192.0.2.7',
      )
      assert.equal(res.statusCode, 401, `attempt ${i}`)
    }
    const blocked = await login(
      h,
      { tenant: 'acme', email: 'root@example.com', password: PASSWORD },
      '192.0.2.7',
    )
    assert.equal(blocked.statusCode, 429)
    assert.ok(Number(blocked.headers['retry-after']) > 0)
    assert.equal(
      (
        await login(
          h,
          { tenant: 'acme', email: 'root@example.com', password: PASSWORD },
          '192.0.2.8',
        )
      ).statusCode,
      200,
    )
  })

  it('refuses a cross-site form post to /login (CSRF)', async (t) => {
    const h = await build(t)
    await adminWithPassword(h)
    const res = await h.app.inject({
      method: 'POST',
      url: '/login',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      payload: `tenant=acme&email=root%40example.com&password=${encodeURIComponent(PASSWORD)}`,
    })
    assert.equal(res.statusCode, 403)
    assert.match(res.body, /Cross-site request refused/)
    assert.equal(res.headers['set-cookie'], undefined)
  })

  it('promotes an existing member to Admin instead of adding them twice', async (t) => {
    const h = await build(t)
    const first = await ensureAdmin(h.store, h.acme.tenant, 'ann@example.com')
    assert.equal(first.promoted, false)
    await h.store
      .forTenant(h.acme.tenant.id)
      .users.setRole(first.user.id, 'Viewer', new Date().toISOString())
    const again = await ensureAdmin(h.store, h.acme.tenant, 'ann@example.com')
    assert.equal(again.promoted, true)
    assert.equal(again.user.role, 'Admin')
    assert.equal(again.user.origin, 'INTERNAL')
  })
})
