// The OpenID Provider's signing keys and its state live in the database: two instances behind one
// address finish each other's sign-ins, a rotation (by the CLI, i.e. another process) is picked up
// at the next request, the new key signs, and ID tokens of the previous key still verify until it
// retires.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose'
import { rotateProviderKey } from '../../src/identity-provider/keys.ts'
import { authorizationUrl, exchange, FetchBrowser, idpBench, passwordSignIn } from './support.ts'

const PASSWORD = 'a long enough password'

describe('OpenID Provider: keys and instances', () => {
  it('signs in across two instances, rotates keys, and keeps old ID tokens verifiable', async (t) => {
    const b = await idpBench(t, { instances: 2 })
    await b.passwordUser(b.h.acme, 'root@acme.example', PASSWORD)
    const form = { tenant: 'acme', email: 'root@acme.example', password: PASSWORD }
    const jwks = async () =>
      (await (await fetch(`${b.issuer}/jwks`)).json()) as JSONWebKeySet & {
        keys: { kid: string; d?: string }[]
      }
    const verify = async (idToken: string) =>
      jwtVerify(idToken, createLocalJWKSet(await jwks()), {
        issuer: b.issuer,
        audience: b.clientId,
      })

    const browser = new FetchBrowser()
    const firstAuth = await authorizationUrl(b.rp, { tenant: 'acme' })
    const first = await passwordSignIn(b, firstAuth, form, browser)
    assert.ok(first.callback, first.page.body.slice(0, 300))
    const oldToken = (await exchange(b.rp, first.callback, firstAuth)).id_token ?? ''
    const oldKid = decodeProtectedHeader(oldToken).kid
    // Both instances publish the same single key, and never a private part.
    const before = await jwks()
    assert.deepEqual(
      before.keys.map((k) => k.kid),
      [oldKid],
    )
    assert.deepEqual((await jwks()).keys, before.keys)
    assert.equal(
      before.keys.some((k) => k.d !== undefined),
      false,
    )

    const rotation = await rotateProviderKey(b.h.store, b.h.secretBox)
    const after = (await jwks()).keys.map((k) => k.kid).sort()
    assert.deepEqual(after, [oldKid, rotation.kid].sort())
    assert.deepEqual((await jwks()).keys.map((k) => k.kid).sort(), after)
    assert.equal((await verify(oldToken)).payload.tenant, 'acme')

    // The next sign-in (the session is reused) is signed with the new key.
    const secondAuth = await authorizationUrl(b.rp, { tenant: 'acme' })
    const second = await browser.follow(secondAuth.url.href, 'http://127.0.0.1:9/app/callback')
    assert.ok(second.callback)
    const newToken = (await exchange(b.rp, second.callback, secondAuth)).id_token ?? ''
    assert.equal(decodeProtectedHeader(newToken).kid, rotation.kid)
    assert.equal((await verify(newToken)).payload.tenant, 'acme')

    // Rotating with no overlap retires the previous keys at once: the old token no longer verifies.
    const last = await rotateProviderKey(b.h.store, b.h.secretBox, 0)
    assert.deepEqual(
      (await jwks()).keys.map((k) => k.kid),
      [last.kid],
    )
    await assert.rejects(verify(oldToken))
  })
})
