// Sign-in hardening (issue #7): a flood of wrong passwords only slows a break-glass account down
// (growing, capped delay), set-password links are checked before any password is hashed and
// unknown ones are throttled per client address, and a sign-in re-hashes a password stored at
// older scrypt parameters.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { ensureAdmin } from '../../../src/directory/internal.ts'
import type { UserId } from '../../../src/domain/ids.ts'
import { hashPassword, SCRYPT_PARAMS, verifyPassword } from '../../../src/provisioning/passwords.ts'
import {
  issueSetPasswordLink,
  loginFailureKeys,
  setPasswordWithToken,
  signInWithPassword,
} from '../../../src/sessions/local-login.ts'
import { build as buildApp, type TestApp } from '../../helper.ts'

const PASSWORD = 'correct horse battery staple'
const FAST = { N: 2 ** 12, r: 8, p: 1 }
const build = (t: TestContext, env: Record<string, string> = {}) =>
  buildApp(t, env, { passwordHashing: FAST })

async function admin(h: TestApp, email = 'root@example.com'): Promise<UserId> {
  const { user } = await ensureAdmin(h.store, h.acme.tenant, email)
  return user.id
}

async function setPasswordLink(h: TestApp, userId: UserId): Promise<string> {
  const link = await issueSetPasswordLink(h.store, h.config.publicUrl, {
    tenantId: h.acme.tenant.id,
    userId,
  })
  return new URL(link).pathname
}

function postPassword(h: TestApp, path: string, password: string, address: string) {
  return h.app.inject({
    method: 'POST',
    url: path,
    remoteAddress: address,
    headers: { 'content-type': 'application/json', origin: 'https://rollcall.test' },
    payload: JSON.stringify({ password }),
  })
}

describe('sign-in hardening', () => {
  it('slows a flood of wrong passwords from many addresses down with a doubling delay capped at LOGIN_MAX_DELAY_SECONDS, and lets the owner in after it', async (t) => {
    const h = await build(t, { LOGIN_MAX_DELAY_SECONDS: '60' })
    const userId = await admin(h)
    await h.store.people.setLocalCredential(
      userId,
      await hashPassword(PASSWORD, FAST),
      new Date().toISOString(),
    )
    const settings = { ...h.config, passwordHashing: FAST }
    let clock = Date.now()
    const attempt = (password: string, address: string) =>
      signInWithPassword(
        h.store,
        settings,
        { tenant: 'acme', email: 'root@example.com', password, address },
        new Date(clock),
      )
    const waits: number[] = []
    for (let i = 0; i < 12; i++) {
      const address = `198.51.100.${i}`
      let result = await attempt('wrong password!!', address)
      if (result.kind === 'throttled') {
        waits.push(result.retryAfterSeconds)
        // The rest of the flood meanwhile: refused unchecked, and not counted.
        for (let j = 0; j < 5; j++) {
          assert.equal((await attempt('wrong password!!', `203.0.113.${j}`)).kind, 'throttled')
        }
        clock += result.retryAfterSeconds * 1000
        result = await attempt('wrong password!!', address)
      }
      assert.equal(result.kind, 'invalid', `attempt ${i}`)
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60])
    const keys = loginFailureKeys('acme', 'root@example.com', '')
    const counted = await h.store.loginFailures.count(keys.account, new Date(0).toISOString())
    assert.equal(counted.count, 12)

    // The owner, from yet another address: the same capped wait, then in.
    assert.deepEqual(await attempt(PASSWORD, '192.0.2.1'), {
      kind: 'throttled',
      retryAfterSeconds: 60,
    })
    clock += 60_000
    assert.equal((await attempt(PASSWORD, '192.0.2.1')).kind, 'signedIn')
  })

  it('checks a set-password link before hashing the password: an unknown link never reaches scrypt', async (t) => {
    const h = await build(t)
    const userId = await admin(h)
    // Parameters scrypt refuses: any attempt to hash with them throws.
    const unhashable = { localLogin: h.config.localLogin, passwordHashing: { N: 3, r: 8, p: 1 } }
    const input = { token: 'made-up-token', password: PASSWORD, address: '10.0.0.1' }
    assert.deepEqual(await setPasswordWithToken(h.store, unhashable, input), {
      kind: 'invalidToken',
    })
    // A weak password on an unknown link is an unknown link (nothing tells the password rules).
    assert.deepEqual(
      await setPasswordWithToken(h.store, unhashable, { ...input, password: 'short' }),
      { kind: 'invalidToken' },
    )
    // A real link does reach the hash (and the link survives the failure).
    const token = (await setPasswordLink(h, userId)).split('/').pop() ?? ''
    await assert.rejects(setPasswordWithToken(h.store, unhashable, { ...input, token }))
    const fast = { localLogin: h.config.localLogin, passwordHashing: FAST }
    assert.equal((await setPasswordWithToken(h.store, fast, { ...input, token })).kind, 'set')
  })

  it('throttles set-password attempts with unknown links per client address (429 + Retry-After), on the form too', async (t) => {
    const h = await build(t)
    const path = await setPasswordLink(h, await admin(h))
    for (let i = 0; i < 20; i++) {
      const res = await postPassword(h, `/login/set-password/guess-${i}`, PASSWORD, '10.3.0.1')
      assert.equal(res.statusCode, 410, `attempt ${i}`)
    }
    const refused = await postPassword(h, path, PASSWORD, '10.3.0.1')
    assert.equal(refused.statusCode, 429)
    assert.equal(refused.json().code, 'too_many_attempts')
    const retryAfter = Number(refused.headers['retry-after'])
    assert.ok(retryAfter > 800 && retryAfter <= 900, String(retryAfter))
    const form = await h.app.inject({ method: 'GET', url: path, remoteAddress: '10.3.0.1' })
    assert.equal(form.statusCode, 429)
    assert.ok(Number(form.headers['retry-after']) > 0)
    // The counter is the address's own: not the login one, and not another address's.
    const login = await h.app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: '10.3.0.1',
      headers: { 'content-type': 'application/json', origin: 'https://rollcall.test' },
      payload: JSON.stringify({
        tenant: 'acme',
        email: 'root@example.com',
        password: 'x'.repeat(12),
      }),
    })
    assert.equal(login.statusCode, 401)
    const elsewhere = await postPassword(h, path, PASSWORD, '10.3.0.2')
    assert.equal(elsewhere.statusCode, 200, elsewhere.body)
  })

  it('re-hashes a password stored at older scrypt parameters on sign-in, at the default N = 2^17', async (t) => {
    // No cheaper parameters here: the app hashes at the defaults.
    const h = await buildApp(t)
    const userId = await admin(h)
    const old = await hashPassword(PASSWORD, { N: 2 ** 14, r: 8, p: 1 })
    await h.store.people.setLocalCredential(userId, old, new Date().toISOString())
    const login = (password: string) =>
      h.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: '10.4.0.1',
        headers: { 'content-type': 'application/json', origin: 'https://rollcall.test' },
        payload: JSON.stringify({ tenant: 'acme', email: 'root@example.com', password }),
      })
    assert.equal((await login('wrong password!!')).statusCode, 401)
    assert.equal(
      await h.store.people.getLocalCredential(userId),
      old,
      'a failed sign-in changes nothing',
    )
    assert.equal((await login(PASSWORD)).statusCode, 200)
    const stored = (await h.store.people.getLocalCredential(userId)) ?? ''
    assert.notEqual(stored, old)
    assert.match(stored, new RegExp(`^scrypt\\$${2 ** 17}\\$8\\$1\\$`))
    assert.deepEqual(SCRYPT_PARAMS, { N: 2 ** 17, r: 8, p: 1 })
    assert.equal(await verifyPassword(PASSWORD, stored), true)
    // Already current: the next sign-in keeps the hash.
    assert.equal((await login(PASSWORD)).statusCode, 200)
    assert.equal(await h.store.people.getLocalCredential(userId), stored)
  })
})
