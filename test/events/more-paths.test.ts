// The event log of the remaining write paths: the operator CLI (actor operator), local sign-in,
// hand back, D2 (a membership elsewhere ended by SCIM here), and a role rule on a group larger
// than one chunk of role changes.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { runCli } from '../../src/cli/run.ts'
import { ensureAdmin } from '../../src/directory/internal.ts'
import { createRoleRule } from '../../src/directory/role-rules.ts'
import { asTenantId, newUserId } from '../../src/domain/ids.ts'
import { issueSetPasswordLink } from '../../src/sessions/local-login.ts'
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts'
import { build } from '../helper.ts'
import { expectScim, GROUP, userBody } from '../support/scim.ts'
import { sameOrigin, ssoBench } from '../support/sso.ts'
import { directoryEventsOf, headOf, summary } from './support.ts'

const PASSWORD = 'correct horse battery staple'

describe('events of the CLI, local sign-in, hand back, D2 and large rules', () => {
  it('records the operator’s CLI commands with actor operator and no request id', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-events-cli-'))
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))
    const io = { out: () => {}, err: () => {}, readStdin: async () => '' }
    const env = { DATA_DIR: dataDir, PUBLIC_URL: 'https://rc.test' }
    assert.equal(await runCli(['tenant', 'create', '--slug', 'acme'], io, env), 0)
    assert.equal(
      await runCli(['user', 'add', '--tenant', 'acme', '--email', 'op@acme.com'], io, env),
      0,
    )
    assert.equal(await runCli(['scim-token', 'issue', '--tenant', 'acme', '--force'], io, env), 0)
    const store = openSqliteStore(join(dataDir, 'rollcall.sqlite'))
    t.after(() => store.close())
    const tenant = await store.tenants.getBySlug('acme')
    const events = await store
      .forTenant(asTenantId(tenant!.id))
      .events.after({ after: 0, limit: 10 })
    const bodies = events.map((e) => JSON.parse(e.body))
    assert.deepEqual(
      bodies.map((b) => [b.type, b.actor, b.requestId]),
      [
        ['user.created', { type: 'operator' }, null],
        ['scim_token.issued', { type: 'operator' }, null],
      ],
    )
    assert.equal(bodies[0].data.email, 'op@acme.com')
  })

  it('records a local sign-in as user.signed_in with method local', async (t) => {
    const h = await build(t, {}, { passwordHashing: { N: 2 ** 12, r: 8, p: 1 } })
    const { user } = await ensureAdmin(h.store, h.acme.tenant, 'root@example.com')
    const link = await issueSetPasswordLink(h.store, h.config.publicUrl, {
      tenantId: h.acme.tenant.id,
      userId: user.id,
    })
    const set = await h.app.inject({
      method: 'POST',
      url: new URL(link).pathname,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://rollcall.test',
      },
      payload: `password=${encodeURIComponent(PASSWORD)}`,
    })
    assert.equal(set.statusCode, 200, set.body)
    const start = await headOf(h, h.acme)
    const res = await h.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/json', origin: 'https://rollcall.test' },
      payload: JSON.stringify({ tenant: 'acme', email: 'root@example.com', password: PASSWORD }),
    })
    assert.equal(res.statusCode, 200, res.body)
    const events = await directoryEventsOf(h, h.acme, start)
    assert.deepEqual(summary(events), [['user.signed_in', user.id]])
    assert.equal(events[0]!.data.method, 'local')
    assert.equal(events[0]!.data.connectionId, null)
    assert.equal(events[0]!.data.role, 'Admin')
    assert.deepEqual(events[0]!.actor, { type: 'user' })
    assert.equal(events[0]!.requestId, res.headers['x-request-id'])
  })

  it('records hand back as user.updated and group.updated with origin INTERNAL', async (t) => {
    const b = await ssoBench(t)
    await b.signInAdmin(b.h.acme)
    const user = expectScim(
      await b.h.scim(b.h.acme, 'POST', '/Users', userBody('hb@acme.com')),
      201,
    )
    const group = expectScim(
      await b.h.scim(b.h.acme, 'POST', '/Groups', { schemas: [GROUP], displayName: 'HB' }),
      201,
    )
    const call = (method: string, path: string) =>
      b.browser.request(method, `${b.publicUrl}/api/tenants/acme${path}`, {
        headers: sameOrigin(b.publicUrl),
        body: '{}',
      })
    assert.ok([200, 204].includes((await call('POST', '/scim/disable')).status))
    const start = await headOf(b.h, b.h.acme)
    const res = await call('POST', '/hand-back')
    assert.equal(res.status, 200, res.body)
    const events = await directoryEventsOf(b.h, b.h.acme, start)
    assert.deepEqual(summary(events), [
      ['user.updated', user.id],
      ['group.updated', group.id],
    ])
    for (const e of events) assert.equal(e.data.origin, 'INTERNAL')
  })

  it('records user.deleted as the system’s in the tenant D2 takes a person from', async (t) => {
    const b = await ssoBench(t)
    const globex = await b.h.addTenant('globex')
    const member = await b.member(b.h.acme, 'pat@contoso.com')
    // Also a member of globex (as after a sign-in there, D7), whose domain it is (D10).
    await b.member(globex, 'pat@contoso.com')
    await b.verifyDomain(globex, 'contoso.com')
    const start = await headOf(b.h, b.h.acme)
    expectScim(await b.h.scim(globex, 'POST', '/Users', userBody('pat@contoso.com')), 201)
    const there = await directoryEventsOf(b.h, b.h.acme, start)
    assert.deepEqual(summary(there), [['user.deleted', member.id]])
    assert.deepEqual(there[0]!.actor, { type: 'system' })
    assert.equal(there[0]!.requestId, null)
    // In globex the member became SCIM-controlled: updated (its origin), with globex's token.
    const here = await directoryEventsOf(b.h, globex)
    assert.deepEqual(summary(here), [['user.updated', member.id]])
    assert.equal(here[0]!.data.origin, 'SCIM')
    assert.deepEqual(here[0]!.actor, { type: 'scim', id: globex.tenant.scimTokenId })
  })

  it('records one user.role_changed per member of a rule’s group, in chunks', async (t) => {
    const h = await build(t)
    const ts = h.store.forTenant(h.acme.tenant.id)
    const at = new Date().toISOString()
    const ids = await h.store.transaction(async (tx) => {
      const out = []
      for (let i = 0; i < 1234; i++) {
        const id = newUserId()
        await tx.forTenant(h.acme.tenant.id).users.insertIdentity(id, `m${i}@big.example`, at)
        await tx.forTenant(h.acme.tenant.id).users.insert(
          id,
          {
            userName: `m${i}@big.example`,
            externalId: null,
            displayName: null,
            active: true,
            doc: { userName: `m${i}@big.example`, active: true },
            emails: [],
          },
          { origin: 'SCIM', role: 'Viewer' },
          at,
        )
        out.push(id)
      }
      return out
    })
    const group = expectScim(
      await h.scim(h.acme, 'POST', '/Groups', {
        schemas: [GROUP],
        displayName: 'Everyone',
        members: ids.map((value) => ({ value })),
      }),
      201,
    )
    const start = await headOf(h, h.acme)
    await createRoleRule(h.store, h.acme.tenant, { groupId: group.id, role: 'Editor' })
    const events = await directoryEventsOf(h, h.acme, start)
    assert.equal(events.length, ids.length)
    assert.deepEqual(new Set(events.map((e) => e.data.id)), new Set(ids))
    for (const e of events) {
      assert.equal(e.type, 'user.role_changed')
      assert.equal(e.data.role, 'Editor')
    }
    assert.equal((await ts.users.get(ids[0]!))?.role, 'Editor')
  })
})
