// Verified domains through the admin API (SPEC §1 D10): the TXT record to publish, verification
// by a real DNS lookup (node:dns against a DNS server on loopback), one owner per domain, and
// only the tenant's own Admin may touch its domains.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { asUserId } from '../../../src/domain/ids.ts'
import { startDnsServer, type TestDnsServer } from '../../support/dns-server.ts'
import { sameOrigin, ssoBench, type SsoBench } from '../../support/sso.ts'

async function bench(t: TestContext): Promise<{ bench: SsoBench; dns: TestDnsServer }> {
  const dns = await startDnsServer()
  t.after(() => dns.close())
  const b = await ssoBench(t, {
    DOMAIN_VERIFICATION_DNS_SERVERS: dns.address,
    DOMAIN_VERIFICATION_TIMEOUT_SECONDS: '1',
  })
  await b.signInAdmin(b.h.acme)
  return { bench: b, dns }
}

async function api(b: SsoBench, method: string, path: string, body?: unknown, browser = b.browser) {
  const res = await browser.request(method, `${b.publicUrl}/api/tenants${path}`, {
    headers: sameOrigin(b.publicUrl),
    ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
  })
  return { status: res.status, body: res.body === '' ? undefined : JSON.parse(res.body) }
}

describe('verified domains API', () => {
  it('adds a domain with its TXT record, then verifies it once the record is published', async (t) => {
    const { bench: b, dns } = await bench(t)
    const added = await api(b, 'POST', '/acme/domains', { domain: 'Contoso.COM' })
    assert.equal(added.status, 201, JSON.stringify(added.body))
    assert.equal(added.body.domain, 'contoso.com')
    assert.equal(added.body.status, 'pending')
    assert.equal(added.body.txtName, '_rollcall-challenge.contoso.com')
    assert.match(added.body.txtValue, /^rollcall-domain-verification=[\w-]{20,}$/)

    const early = await api(b, 'POST', '/acme/domains/contoso.com/verify')
    assert.equal(early.status, 422)
    assert.equal(early.body.code, 'domain_not_verified')
    assert.match(early.body.detail, /_rollcall-challenge\.contoso\.com/)
    assert.ok(early.body.detail.includes(added.body.txtValue))
    assert.ok(dns.queries.includes('_rollcall-challenge.contoso.com'))

    // A wrong value (another tenant's challenge) does not verify either.
    dns.txt.set('_rollcall-challenge.contoso.com', [['rollcall-domain-verification=someone-else']])
    assert.equal((await api(b, 'POST', '/acme/domains/contoso.com/verify')).status, 422)

    // Long values come split in 255-byte strings; they are joined.
    const value: string = added.body.txtValue
    dns.txt.set('_rollcall-challenge.contoso.com', [
      ['v=spf1 -all'],
      [value.slice(0, 10), value.slice(10)],
    ])
    const verified = await api(b, 'POST', '/acme/domains/contoso.com/verify')
    assert.equal(verified.status, 200, JSON.stringify(verified.body))
    assert.equal(verified.body.status, 'verified')
    assert.equal(verified.body.verifiedMethod, 'dns')
    assert.ok(verified.body.verifiedAt)
    assert.equal(await b.h.store.domains.owner('contoso.com'), b.h.acme.tenant.id)

    const listed = await api(b, 'GET', '/acme/domains')
    assert.deepEqual(
      listed.body.map((d: { domain: string }) => d.domain),
      ['contoso.com'],
    )
    assert.equal((await api(b, 'GET', '/acme/domains/CONTOSO.com')).body.status, 'verified')
    assert.equal((await api(b, 'DELETE', '/acme/domains/contoso.com')).status, 204)
    assert.equal((await api(b, 'GET', '/acme/domains/contoso.com')).status, 404)
    assert.equal(await b.h.store.domains.owner('contoso.com'), undefined)
  })

  it('refuses a domain another tenant verified, without naming it', async (t) => {
    const { bench: b, dns } = await bench(t)
    const globex = await b.h.addTenant('globex')
    const globexAdmin = b.newBrowser()
    await b.signInAdmin(globex, globexAdmin)
    // Both claim it; globex proves it first.
    const mine = await api(b, 'POST', '/acme/domains', { domain: 'contoso.com' })
    const theirs = await api(b, 'POST', '/globex/domains', { domain: 'contoso.com' }, globexAdmin)
    assert.equal(theirs.status, 201)
    assert.notEqual(mine.body.txtValue, theirs.body.txtValue)
    dns.txt.set('_rollcall-challenge.contoso.com', [[theirs.body.txtValue]])
    assert.equal(
      (await api(b, 'POST', '/globex/domains/contoso.com/verify', undefined, globexAdmin)).status,
      200,
    )

    const late = await api(b, 'POST', '/acme/domains/contoso.com/verify')
    assert.equal(late.status, 409)
    assert.equal(late.body.code, 'domain_taken')
    assert.doesNotMatch(JSON.stringify(late.body), /globex/)
    const again = await api(b, 'POST', '/acme/domains', { domain: 'sub.contoso.com' })
    assert.equal(again.status, 201, 'a subdomain is a domain of its own')
    await api(b, 'DELETE', '/acme/domains/contoso.com')
    const claim = await api(b, 'POST', '/acme/domains', { domain: 'CONTOSO.com' })
    assert.equal(claim.status, 409)
    assert.equal(claim.body.code, 'domain_taken')
  })

  it('rejects bad input with a detail the admin can act on', async (t) => {
    const { bench: b } = await bench(t)
    for (const domain of [
      'contoso',
      'not a domain',
      '-x.com',
      'a'.repeat(64) + '.com',
      'x@y.com',
    ]) {
      const res = await api(b, 'POST', '/acme/domains', { domain })
      assert.equal(res.status, 400, domain)
      assert.match(res.body.detail, /domain/, domain)
    }
    assert.equal((await api(b, 'POST', '/acme/domains', {})).status, 400)
    await api(b, 'POST', '/acme/domains', { domain: 'x.com' })
    const dup = await api(b, 'POST', '/acme/domains', { domain: 'X.com' })
    assert.equal(dup.status, 409)
    assert.equal((await api(b, 'POST', '/acme/domains/nope.com/verify')).status, 404)
  })

  it('gives up on a DNS server that does not answer, within the configured time', async (t) => {
    const { bench: b, dns } = await bench(t)
    await api(b, 'POST', '/acme/domains', { domain: 'slow.com' })
    dns.silent = true
    const res = await api(b, 'POST', '/acme/domains/slow.com/verify')
    assert.equal(res.status, 422)
    assert.match(res.body.detail, /DNS lookup failed/)
    assert.equal(
      (await b.h.store.forTenant(b.h.acme.tenant.id).domains.get('slow.com'))?.status,
      'pending',
    )
  })

  it("keeps every tenant's domains to its own Admin", async (t) => {
    const { bench: b } = await bench(t)
    const globex = await b.h.addTenant('globex')
    await api(b, 'POST', '/acme/domains', { domain: 'contoso.com' })
    const globexAdmin = b.newBrowser()
    await b.signInAdmin(globex, globexAdmin)
    for (const [method, path] of [
      ['GET', '/acme/domains'],
      ['POST', '/acme/domains'],
      ['GET', '/acme/domains/contoso.com'],
      ['POST', '/acme/domains/contoso.com/verify'],
      ['DELETE', '/acme/domains/contoso.com'],
    ] as const) {
      const res = await api(
        b,
        method,
        path,
        method === 'POST' && path.endsWith('domains') ? { domain: 'evil.com' } : undefined,
        globexAdmin,
      )
      assert.equal(res.status, 403, `${method} ${path}`)
      const anonymous = await api(
        b,
        method,
        path,
        method === 'POST' && path.endsWith('domains') ? { domain: 'evil.com' } : undefined,
        b.newBrowser(),
      )
      assert.equal(anonymous.status, 401, `${method} ${path}`)
    }
    const viewer = b.newBrowser()
    await b.signInAdmin(b.h.acme, viewer, 'viewer@contoso.com')
    await b.h.store
      .forTenant(b.h.acme.tenant.id)
      .users.setRole(
        (await b.h.store
          .forTenant(b.h.acme.tenant.id)
          .users.findIdByUserName('viewer@contoso.com')) ?? asUserId(''),
        'Viewer',
        new Date().toISOString(),
      )
    assert.equal((await api(b, 'GET', '/acme/domains', undefined, viewer)).status, 403)
    assert.deepEqual(
      (await b.h.store.forTenant(b.h.acme.tenant.id).domains.list()).map((d) => d.domain),
      ['contoso.com'],
    )
  })
})
