// The bench's loader (bench/bulk-load.ts) must write what Rollcall writes: users and a group
// loaded by bulk SQL read back through the SCIM API exactly as SCIM-created ones do.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { loadGroup, loadUsers, openSqliteBulk } from '../../bench/bulk-load.ts'
import { addMembersPatch, benchGroup, benchUser, userByUserNamePath } from '../../bench/workload.ts'
import { build, TEST_STORE, type TestApp } from '../helper.ts'
import { expectScim, type Json } from '../support/scim.ts'

const RUN = 'bulk'
const USERS = 50
const MEMBERS = 20

/** A resource without what differs between any two creates: its id and its meta. */
function comparable(resource: Json): Json {
  const { id: _id, meta: _meta, ...rest } = resource
  return rest
}

async function loadTenant(app: TestApp) {
  const db = openSqliteBulk(join(app.config.dataDir, 'rollcall.sqlite'))
  try {
    const users = await loadUsers(db, app.acme.tenant.id, RUN, 0, USERS)
    const groupId = await loadGroup(db, app.acme.tenant.id, RUN, 0, users.ids.slice(0, MEMBERS))
    await db.finish()
    return { users, groupId }
  } finally {
    await db.close()
  }
}

/** The directory rows of a user or group, without its id and timestamps. */
function rowsOf(app: TestApp, table: 'tenant_users' | 'groups', idColumn: string, id: string) {
  const db = new Database(join(app.config.dataDir, 'rollcall.sqlite'), { readonly: true })
  try {
    const row = db.prepare(`SELECT * FROM ${table} WHERE ${idColumn} = ?`).get(id) as Json
    const emails = db
      .prepare(
        'SELECT position, value, value_norm, type, is_primary FROM user_emails WHERE user_id = ?',
      )
      .all(id)
    const { [idColumn]: _id, created_at: _c, updated_at: _u, version: _v, ...rest } = row
    return { ...rest, doc: JSON.parse(rest.doc), emails }
  } finally {
    db.close()
  }
}

test(
  'loaded users and groups read back as SCIM-created ones',
  { skip: TEST_STORE !== 'sqlite' && 'the loader writes the SQLite file here' },
  async (t) => {
    const app = await build(t)
    const { users, groupId } = await loadTenant(app)
    const scim = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
      app.scim(app.acme, method, path, body)

    const all = expectScim(await scim('GET', '/Users?count=0'), 200)
    assert.equal(all.totalResults, USERS)
    for (const i of [0, 17, USERS - 1]) {
      const found = expectScim(await scim('GET', userByUserNamePath(users.userNames[i] ?? '')), 200)
      assert.equal(found.totalResults, 1)
      assert.equal(found.Resources[0].id, users.ids[i])
    }

    const group = expectScim(await scim('GET', `/Groups/${groupId}`), 200)
    assert.deepEqual(
      group.members.map((m: Json) => m.value).sort(),
      users.ids.slice(0, MEMBERS).sort(),
    )
    const member = expectScim(await scim('GET', `/Users/${users.ids[0]}`), 200)
    assert.deepEqual(
      member.groups.map((g: Json) => g.value),
      [groupId],
    )

    // A user outside the group, deleted and created again by SCIM with the same body.
    const index = USERS - 1
    const loaded = expectScim(await scim('GET', `/Users/${users.ids[index]}`), 200)
    const loadedRows = rowsOf(app, 'tenant_users', 'user_id', users.ids[index] ?? '')
    expectScim(await scim('DELETE', `/Users/${loaded.id}`), 204)
    const body = { ...benchUser(RUN, index).body, externalId: loaded.externalId }
    const created = expectScim(await scim('POST', '/Users', body), 201)
    const createdRead = expectScim(await scim('GET', `/Users/${created.id}`), 200)
    assert.deepEqual(comparable(loaded), comparable(createdRead))
    assert.deepEqual(loadedRows, rowsOf(app, 'tenant_users', 'user_id', created.id))

    // The group, deleted and created again by SCIM with its members added by PATCH.
    const groupRows = rowsOf(app, 'groups', 'id', groupId)
    expectScim(await scim('DELETE', `/Groups/${groupId}`), 204)
    const groupBody = { ...benchGroup(RUN, 0).body, externalId: group.externalId }
    const again = expectScim(await scim('POST', '/Groups', groupBody), 201)
    const patched = await scim(
      'PATCH',
      `/Groups/${again.id}`,
      addMembersPatch(users.ids.slice(0, MEMBERS)),
    )
    assert.ok([200, 204].includes(patched.statusCode), patched.body)
    const againRead = expectScim(await scim('GET', `/Groups/${again.id}`), 200)
    assert.deepEqual(comparable(group), comparable(againRead))
    const { emails: _e, ...groupColumns } = groupRows
    const { emails: _f, ...againColumns } = rowsOf(app, 'groups', 'id', again.id)
    assert.deepEqual(groupColumns, againColumns)
  },
)
