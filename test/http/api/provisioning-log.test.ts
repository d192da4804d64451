// The provisioning log through the admin API (SPEC §5): the tenant's SCIM requests newest first,
// filtered by outcome, operation and resource type, paged by beforeId; one entry with its error
// detail and redacted bodies; the activity chart's counts; nothing of another tenant.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { sameOrigin, ssoBench, type SsoBench } from '../../support/sso.ts'

async function api(b: SsoBench, path: string, browser = b.browser) {
  const res = await browser.request('GET', `${b.publicUrl}/api/tenants${path}`, {
    headers: sameOrigin(b.publicUrl),
  })
  return { status: res.status, body: JSON.parse(res.body) }
}

/** Some SCIM traffic of acme: two users created, one refused as a duplicate, a group, a list. */
async function traffic(b: SsoBench): Promise<void> {
  const { h } = b
  const user = (n: number) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `user${n}@contoso.com`,
    password: 'hunter2-very-secret',
  })
  assert.equal((await h.scim(h.acme, 'POST', '/Users', user(1))).statusCode, 201)
  assert.equal((await h.scim(h.acme, 'POST', '/Users', user(2))).statusCode, 201)
  assert.equal((await h.scim(h.acme, 'POST', '/Users', user(1))).statusCode, 409)
  const group = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales' }
  assert.equal((await h.scim(h.acme, 'POST', '/Groups', group)).statusCode, 201)
  assert.equal((await h.scim(h.acme, 'GET', '/Users')).statusCode, 200)
  await h.log.flush()
}

async function bench(t: TestContext): Promise<SsoBench> {
  const b = await ssoBench(t)
  await b.signInAdmin(b.h.acme)
  await traffic(b)
  return b
}

type Row = { id: number; operation: string; status: number; outcome: string }

describe('provisioning log API', () => {
  it('lists requests newest first, filtered by outcome, operation and resource type', async (t) => {
    const b = await bench(t)
    const all = await api(b, '/acme/provisioning-log')
    assert.equal(all.status, 200)
    assert.deepEqual(
      all.body.entries.map((e: Row) => `${e.operation} ${e.status} ${e.outcome}`),
      [
        'List Users 200 success',
        'Create Group 201 success',
        'Create User 409 failure',
        'Create User 201 success',
        'Create User 201 success',
      ],
    )
    assert.equal(all.body.nextBeforeId, null)
    assert.ok(!('requestBody' in all.body.entries[0]))

    const failures = await api(b, '/acme/provisioning-log?outcome=failure')
    assert.deepEqual(
      failures.body.entries.map((e: Row & { scimType: string; detail: string }) => [
        e.status,
        e.scimType,
      ]),
      [[409, 'uniqueness']],
    )
    assert.match(failures.body.entries[0].detail, /user1@contoso\.com/)
    const successes = await api(b, '/acme/provisioning-log?outcome=success')
    assert.equal(successes.body.entries.length, 4)
    const creates = await api(
      b,
      `/acme/provisioning-log?operation=${encodeURIComponent('Create User')}`,
    )
    assert.equal(creates.body.entries.length, 3)
    const groups = await api(b, '/acme/provisioning-log?resourceType=Group')
    assert.deepEqual(
      groups.body.entries.map((e: Row) => e.operation),
      ['Create Group'],
    )
    const bad = await api(b, '/acme/provisioning-log?outcome=maybe')
    assert.equal(bad.status, 400)
    assert.equal(bad.body.code, 'invalid_request')
  })

  it('pages with beforeId, each entry once', async (t) => {
    const b = await bench(t)
    const seen: number[] = []
    let next: number | null = null
    let pages = 0
    do {
      const page = await api(
        b,
        `/acme/provisioning-log?limit=2${next === null ? '' : `&beforeId=${next}`}`,
      )
      assert.equal(page.status, 200)
      seen.push(...page.body.entries.map((e: Row) => e.id))
      next = page.body.nextBeforeId
      pages += 1
    } while (next !== null)
    assert.equal(pages, 3)
    assert.equal(seen.length, 5)
    assert.deepEqual(
      seen,
      [...seen].sort((x, y) => y - x),
    )
  })

  it('shows one entry with its error detail and bodies, secrets redacted', async (t) => {
    const b = await bench(t)
    const [failure] = (await api(b, '/acme/provisioning-log?outcome=failure')).body.entries
    const entry = await api(b, `/acme/provisioning-log/${failure.id}`)
    assert.equal(entry.status, 200)
    assert.equal(entry.body.status, 409)
    assert.equal(entry.body.method, 'POST')
    assert.equal(entry.body.path, '/scim/v2/acme/Users')
    assert.match(entry.body.requestBody, /user1@contoso\.com/)
    assert.doesNotMatch(entry.body.requestBody, /hunter2/)
    assert.match(entry.body.responseBody, /uniqueness/)
    assert.equal((await api(b, `/acme/provisioning-log/${failure.id + 1000}`)).status, 404)
    assert.equal((await api(b, '/acme/provisioning-log/x')).status, 400)
  })

  it('counts requests and failures per bucket for the chart, every bucket present', async (t) => {
    const b = await bench(t)
    const day = await api(b, '/acme/provisioning-log/activity')
    assert.equal(day.status, 200)
    assert.equal(day.body.range, 'day')
    assert.equal(day.body.bucket, 'hour')
    assert.equal(day.body.buckets.length, 24)
    const sum = (key: 'requests' | 'failures', body: typeof day.body) =>
      body.buckets.reduce(
        (n: number, bucket: { requests: number; failures: number }) => n + bucket[key],
        0,
      )
    assert.equal(sum('requests', day.body), 5)
    assert.equal(sum('failures', day.body), 1)
    const hour = await api(b, '/acme/provisioning-log/activity?range=hour')
    assert.equal(hour.body.buckets.length, 60)
    assert.equal(hour.body.bucket, 'minute')
    assert.equal(sum('requests', hour.body), 5)
    const month = await api(b, '/acme/provisioning-log/activity?range=month')
    assert.equal(month.body.buckets.length, 30)
    assert.equal(month.body.buckets.at(-1).start.slice(11), '00:00:00.000Z')
  })

  it("never shows another tenant's entries: their ids are 404 through one's own tenant", async (t) => {
    const b = await bench(t)
    const [acmeEntry] = (await api(b, '/acme/provisioning-log')).body.entries
    const globex = await b.h.addTenant('globex')
    const globexAdmin = b.newBrowser()
    await b.signInAdmin(globex, globexAdmin)
    const theirs = await api(b, '/globex/provisioning-log', globexAdmin)
    assert.deepEqual(theirs.body.entries, [])
    const probe = await api(b, `/globex/provisioning-log/${acmeEntry.id}`, globexAdmin)
    assert.equal(probe.status, 404)
    assert.equal(probe.body.code, 'not_found')
    assert.equal((await api(b, '/acme/provisioning-log', globexAdmin)).status, 403)
    const activity = await api(b, '/globex/provisioning-log/activity', globexAdmin)
    assert.ok(activity.body.buckets.every((bucket: { requests: number }) => bucket.requests === 0))
  })
})
