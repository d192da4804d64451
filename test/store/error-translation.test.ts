// Store errors come out of the store, whichever method meets them: with the database failing
// under it (a driver error, SQLITE_BUSY, thrown by better-sqlite3 itself), every method of every
// repository, transaction(), ping() and migrate() reject with StoreUnavailable, never the driver's
// error. The table below must name every public method, so a new one cannot skip the check.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import BetterSqlite3 from 'better-sqlite3'
import { SqliteDialect } from 'kysely'
import {
  asConnectionId,
  asGroupId,
  asUserId,
  newTenantId,
  type TenantId,
} from '../../src/domain/ids.ts'
import { SqlStore } from '../../src/store/sql/sql-store.ts'
import { sqliteDialect } from '../../src/store/sqlite/dialect.ts'
import { translateSqliteError } from '../../src/store/sqlite/open-sqlite.ts'
import { StoreUnavailable, type Store, type TenantStore } from '../../src/store/store.ts'

const AT = '2025-01-01T00:00:00.000Z'
const user = asUserId('01937a3e-0000-7000-8000-000000000001')
const group = asGroupId('01937a3e-0000-7000-8000-000000000002')
const connection = asConnectionId('01937a3e-0000-7000-8000-000000000003')
const write = {
  userName: 'ann@example.com',
  externalId: null,
  displayName: null,
  active: true,
  doc: { userName: 'ann@example.com' },
  emails: [{ value: 'ann@example.com', type: 'work', primary: true }],
}
const groupWrite = { displayName: 'Ops', externalId: null, doc: { displayName: 'Ops' } }
const times = { createdAt: AT, expiresAt: AT }

type Calls<T> = Record<string, (repository: T) => Promise<unknown>>

// The root store's repositories: one call per method, with arguments that reach the database.
const ROOT: Record<string, Calls<never>> = {
  tenants: {
    create: (r: Store['tenants']) =>
      r.create({ id: newTenantId(), slug: 's', name: 'S', createdAt: AT }),
    getBySlug: (r: Store['tenants']) => r.getBySlug('acme'),
    getBySlugRecent: (r: Store['tenants']) => r.getBySlugRecent('acme'),
    getById: (r: Store['tenants']) => r.getById(newTenantId()),
    list: (r: Store['tenants']) => r.list(),
  },
  people: {
    membershipsOf: (r: Store['people']) => r.membershipsOf(user),
    getLocalCredential: (r: Store['people']) => r.getLocalCredential(user),
    setLocalCredential: (r: Store['people']) => r.setLocalCredential(user, 'scrypt$x', AT),
  },
  connections: {
    get: (r: Store['connections']) => r.get(connection),
    byDomain: (r: Store['connections']) => r.byDomain('acme.com'),
  },
  domains: { owner: (r: Store['domains']) => r.owner('acme.com') },
  authorizationStates: {
    consume: (r: Store['authorizationStates']) => r.consume('state', AT),
    pruneExpired: (r: Store['authorizationStates']) => r.pruneExpired(AT),
  },
  oneTimeTokens: {
    find: (r: Store['oneTimeTokens']) => r.find('h', 'set-password', AT),
    consume: (r: Store['oneTimeTokens']) => r.consume('h', 'set-password', AT),
    pruneExpired: (r: Store['oneTimeTokens']) => r.pruneExpired(AT),
  },
  sessions: {
    get: (r: Store['sessions']) => r.get('h'),
    touch: (r: Store['sessions']) => r.touch('h', AT, AT),
    delete: (r: Store['sessions']) => r.delete('h'),
    pruneExpired: (r: Store['sessions']) => r.pruneExpired(AT),
  },
  loginFailures: {
    record: (r: Store['loginFailures']) => r.record(['k'], AT),
    count: (r: Store['loginFailures']) => r.count('k', AT),
    clear: (r: Store['loginFailures']) => r.clear('k'),
    pruneBefore: (r: Store['loginFailures']) => r.pruneBefore(AT),
  },
  signingKeys: {
    get: (r: Store['signingKeys']) => r.get(),
    insert: (r: Store['signingKeys']) =>
      r.insert({
        id: 'k',
        algorithm: 'EdDSA',
        publicJwk: '{}',
        privateKeyEncrypted: 'x',
        createdAt: AT,
      }),
  },
  provisioningLog: { prune: (r: Store['provisioningLog']) => r.prune(AT, 10) },
  signInLog: { prune: (r: Store['signInLog']) => r.prune(AT) },
  events: {
    after: (r: Store['events']) => r.after({ after: 0, limit: 10 }),
    head: (r: Store['events']) => r.head(),
    get: (r: Store['events']) => r.get('evt_x'),
    deleteOlderThan: (r: Store['events']) => r.deleteOlderThan(AT, 10),
  },
  apiKeys: {
    create: (r: Store['apiKeys']) =>
      r.create({
        id: 'k',
        tenantId: null,
        scope: 'read',
        name: 'n',
        keyHash: 'h',
        createdAt: AT,
      }),
    get: (r: Store['apiKeys']) => r.get('k'),
    list: (r: Store['apiKeys']) => r.list(),
    recordUse: (r: Store['apiKeys']) => r.recordUse('k', AT, null, AT),
    revoke: (r: Store['apiKeys']) => r.revoke('k', AT),
  },
  settings: {
    get: (r: Store['settings']) => r.get('public_url'),
    set: (r: Store['settings']) => r.set('public_url', 'https://x.test', AT),
  },
  webhooks: {
    create: (r: Store['webhooks']) =>
      r.create({
        id: 'wh_x',
        url: 'https://app.test/hook',
        tenantId: null,
        eventTypes: null,
        secretSealed: 'x',
        cursor: 0,
        createdAt: AT,
      }),
    list: (r: Store['webhooks']) => r.list(),
    get: (r: Store['webhooks']) => r.get('wh_x'),
    delete: (r: Store['webhooks']) => r.delete('wh_x'),
    setEnabled: (r: Store['webhooks']) => r.setEnabled('wh_x', false, 'x', AT),
    rotateSecret: (r: Store['webhooks']) => r.rotateSecret('wh_x', 'y', AT, AT),
    claim: (r: Store['webhooks']) =>
      r.claim({ owner: 'o', now: AT, leaseUntil: AT, limit: 1, exclude: ['wh_y'] }),
    renewLease: (r: Store['webhooks']) => r.renewLease('wh_x', 'o', AT),
    release: (r: Store['webhooks']) => r.release('wh_x', 'o'),
    saveProgress: (r: Store['webhooks']) =>
      r.saveProgress(
        'wh_x',
        'o',
        { cursor: 1, pendingPosition: null, pendingAttempts: 0, nextAttemptAt: null },
        AT,
      ),
  },
  webhookDeliveries: {
    append: (r: Store['webhookDeliveries']) =>
      r.append({
        endpointId: 'wh_x',
        eventId: 'evt_x',
        attempt: 1,
        manual: false,
        outcome: 'delivered',
        status: 200,
        latencyMs: 1,
        error: null,
        nextTryAt: null,
        at: AT,
      }),
    list: (r: Store['webhookDeliveries']) => r.list('wh_x', 10),
    prune: (r: Store['webhookDeliveries']) => r.prune(AT, 10),
    addDeadLetter: (r: Store['webhookDeliveries']) =>
      r.addDeadLetter({
        endpointId: 'wh_x',
        eventId: 'evt_x',
        position: 1,
        attempts: 3,
        lastError: null,
        at: AT,
      }),
    deadLetters: (r: Store['webhookDeliveries']) => r.deadLetters('wh_x', 10),
    queueRedelivery: (r: Store['webhookDeliveries']) => r.queueRedelivery('wh_x', 'evt_x', AT),
    dueRedeliveries: (r: Store['webhookDeliveries']) => r.dueRedeliveries('wh_x', AT, 10),
    nextRedeliveryAt: (r: Store['webhookDeliveries']) => r.nextRedeliveryAt('wh_x'),
    retryRedelivery: (r: Store['webhookDeliveries']) => r.retryRedelivery(1, 1, AT),
    finishRedelivery: (r: Store['webhookDeliveries']) => r.finishRedelivery(1),
  },
  oidcModels: {
    upsert: (r: Store['oidcModels']) =>
      r.upsert({
        kind: 'Session',
        id: 's',
        payload: '{}',
        grantId: null,
        userCode: null,
        uid: null,
        expiresAt: AT,
      }),
    find: (r: Store['oidcModels']) => r.find('Session', 's', AT),
    findByUid: (r: Store['oidcModels']) => r.findByUid('Session', 'u', AT),
    findByUserCode: (r: Store['oidcModels']) => r.findByUserCode('DeviceCode', 'c', AT),
    consume: (r: Store['oidcModels']) => r.consume('AuthorizationCode', 'c', 1),
    destroy: (r: Store['oidcModels']) => r.destroy('Session', 's'),
    revokeByGrantId: (r: Store['oidcModels']) => r.revokeByGrantId('g'),
    pruneExpired: (r: Store['oidcModels']) => r.pruneExpired(AT),
  },
  oidcClients: {
    insert: (r: Store['oidcClients']) =>
      r.insert({
        id: 'c',
        name: 'App',
        secretSealed: 'x',
        redirectUris: ['https://a.test/cb'],
        createdAt: AT,
      }),
    get: (r: Store['oidcClients']) => r.get('c'),
    list: (r: Store['oidcClients']) => r.list(),
    delete: (r: Store['oidcClients']) => r.delete('c'),
  },
  oidcKeys: {
    live: (r: Store['oidcKeys']) => r.live(AT),
    insertFirst: (r: Store['oidcKeys']) =>
      r.insertFirst({ id: 'k', privateJwkSealed: 'x', createdAt: AT, retiresAt: null }, AT),
    rotate: (r: Store['oidcKeys']) =>
      r.rotate({ id: 'k2', privateJwkSealed: 'x', createdAt: AT, retiresAt: null }, AT, AT),
  },
} as Record<string, Calls<never>>

const query = { sortOrder: 'ascending', startIndex: 1, count: 10 } as const

// The repositories of a TenantStore.
const TENANT: Record<string, Calls<never>> = {
  users: {
    get: (r: TenantStore['users']) => r.get(user),
    getMany: (r: TenantStore['users']) => r.getMany([user]),
    list: (r: TenantStore['users']) => r.list(query),
    search: (r: TenantStore['users']) => r.search({ text: 'ann', limit: 10 }),
    findIdByUserName: (r: TenantStore['users']) => r.findIdByUserName('ann@example.com'),
    identityByEmail: (r: TenantStore['users']) => r.identityByEmail('ann@example.com'),
    insertIdentity: (r: TenantStore['users']) => r.insertIdentity(user, 'ann@example.com', AT),
    setIdentityEmail: (r: TenantStore['users']) => r.setIdentityEmail(user, null),
    insert: (r: TenantStore['users']) =>
      r.insert(user, write, { origin: 'SCIM', role: 'Viewer' }, AT),
    update: (r: TenantStore['users']) => r.update(user, 1, write, AT),
    delete: (r: TenantStore['users']) => r.delete(user),
    setRole: (r: TenantStore['users']) => r.setRole(user, 'Admin', AT),
    groupsOf: (r: TenantStore['users']) => r.groupsOf([user]),
  },
  groups: {
    get: (r: TenantStore['groups']) => r.get(group),
    getMany: (r: TenantStore['groups']) => r.getMany([group]),
    getByName: (r: TenantStore['groups']) => r.getByName('Ops'),
    list: (r: TenantStore['groups']) => r.list(query),
    insert: (r: TenantStore['groups']) => r.insert(group, groupWrite, 'SCIM', AT),
    update: (r: TenantStore['groups']) => r.update(group, 1, groupWrite, AT),
    touch: (r: TenantStore['groups']) => r.touch(group, AT),
    delete: (r: TenantStore['groups']) => r.delete(group),
  },
  members: {
    list: (r: TenantStore['members']) => r.list([group]),
    page: (r: TenantStore['members']) => r.page(group, { limit: 10 }),
    scan: (r: TenantStore['members']) => r.scan(group, { limit: 10, origin: 'SCIM' }),
    findTargets: (r: TenantStore['members']) => r.findTargets([user]),
    upsert: (r: TenantStore['members']) =>
      r.upsert(group, [{ id: user, type: 'User' }], 'SCIM', AT),
    remove: (r: TenantStore['members']) => r.remove(group, [user], 'SCIM'),
    removeExcept: (r: TenantStore['members']) => r.removeExcept(group, [], 'SCIM'),
  },
  roleRules: {
    list: (r: TenantStore['roleRules']) => r.list(),
    get: (r: TenantStore['roleRules']) => r.get(group),
    create: (r: TenantStore['roleRules']) => r.create(group, 'Editor', AT),
    delete: (r: TenantStore['roleRules']) => r.delete(group),
    factsOf: (r: TenantStore['roleRules']) => r.factsOf(user),
  },
  origins: {
    scimControlled: (r: TenantStore['origins']) => r.scimControlled(5),
    releaseToInternal: (r: TenantStore['origins']) => r.releaseToInternal(10, AT),
  },
  connections: {
    create: (r: TenantStore['connections']) =>
      r.create({
        id: connection,
        name: 'IdP',
        issuer: 'https://idp.test',
        clientId: 'c',
        clientSecretEncrypted: 'x',
        domain: 'acme.com',
        status: 'draft',
        verifiedAt: null,
        jitEnabled: true,
        emailClaims: ['email'],
        createdAt: AT,
        updatedAt: AT,
      }),
    list: (r: TenantStore['connections']) => r.list(),
    update: (r: TenantStore['connections']) => r.update(connection, { name: 'x' }, AT),
    delete: (r: TenantStore['connections']) => r.delete(connection),
  },
  domains: {
    add: (r: TenantStore['domains']) =>
      r.add({
        domain: 'acme.com',
        challenge: 'c',
        status: 'pending',
        verifiedAt: null,
        verifiedMethod: null,
        verifiedBy: null,
        createdAt: AT,
      }),
    get: (r: TenantStore['domains']) => r.get('acme.com'),
    list: (r: TenantStore['domains']) => r.list(),
    markVerified: (r: TenantStore['domains']) =>
      r.markVerified('acme.com', { at: AT, method: 'dns', by: 'x' }),
    remove: (r: TenantStore['domains']) => r.remove('acme.com'),
  },
  provisioningLog: {
    append: (r: TenantStore['provisioningLog']) =>
      r.append([
        {
          at: AT,
          requestId: null,
          method: 'GET',
          path: '/Users',
          operation: 'List Users',
          resourceType: null,
          resourceId: null,
          status: 200,
          scimType: null,
          detail: null,
          durationMs: 1,
          client: null,
          address: null,
          requestBody: null,
          responseBody: null,
        },
      ]),
    list: (r: TenantStore['provisioningLog']) => r.list({ limit: 10 }),
    get: (r: TenantStore['provisioningLog']) => r.get(1),
    activity: (r: TenantStore['provisioningLog']) => r.activity({ since: AT, bucket: 'hour' }),
  },
  signInLog: {
    append: (r: TenantStore['signInLog']) =>
      r.append({ connectionId: null, at: AT, outcome: 'failed', email: null, detail: null }),
    list: (r: TenantStore['signInLog']) => r.list({ limit: 10 }),
  },
  sessions: {
    insert: (r: TenantStore['sessions']) =>
      r.insert({
        idHash: 'h',
        userId: user,
        createdAt: AT,
        lastSeenAt: AT,
        idleExpiresAt: AT,
        absoluteExpiresAt: AT,
      }),
    deleteOf: (r: TenantStore['sessions']) => r.deleteOf(user),
  },
  oneTimeTokens: {
    insert: (r: TenantStore['oneTimeTokens']) =>
      r.insert({ ...times, tokenHash: 'h', purpose: 'set-password', subjectId: user }),
  },
  authorizationStates: {
    insert: (r: TenantStore['authorizationStates']) =>
      r.insert({
        ...times,
        state: 's',
        connectionId: connection,
        purpose: 'login',
        nonce: 'n',
        codeVerifier: 'v',
        bindingHash: 'b',
      }),
  },
  scim: {
    setToken: (r: TenantStore['scim']) => r.setToken('jti', AT),
    setStrictProfile: (r: TenantStore['scim']) => r.setStrictProfile(true),
  },
  events: {
    append: (r: TenantStore['events']) =>
      r.append([{ type: 'user.created', data: {}, actor: { type: 'system' }, requestId: null }]),
    after: (r: TenantStore['events']) => r.after({ after: 0, limit: 10 }),
    head: (r: TenantStore['events']) => r.head(),
  },
} as Record<string, Calls<never>>

/** A migrated store on a file whose connection fails every statement while `failing` is set. */
async function failingStore(t: TestContext): Promise<{ store: Store; fail(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-errors-'))
  const database = new BetterSqlite3(join(dir, 'rollcall.sqlite'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  let failing = false
  const flaky = new Proxy(database, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver)
      return (text: string) => {
        if (failing) throw new BetterSqlite3.SqliteError('database is locked', 'SQLITE_BUSY')
        return target.prepare(text)
      }
    },
  })
  const store = SqlStore.open({
    connection: new SqliteDialect({ database: flaky }),
    dialect: sqliteDialect,
    translateError: translateSqliteError,
    groupCommit: true,
  })
  t.after(async () => {
    failing = false
    await store.close()
  })
  await store.migrate()
  return { store, fail: () => (failing = true) }
}

async function rejectsUnavailable(name: string, promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(
      error instanceof StoreUnavailable,
      `${name}: expected StoreUnavailable, got ${String(error)}`,
    )
    return true
  })
}

/** The public methods a repository object has (its class's, without the constructor). */
function methodsOf(repository: object): string[] {
  return Object.getOwnPropertyNames(Object.getPrototypeOf(repository))
    .filter((name) => name !== 'constructor')
    .filter((name) => typeof (repository as Record<string, unknown>)[name] === 'function')
    .filter((name) => !PRIVATE.has(name))
    .sort()
}

// Helpers the repository classes keep to themselves (TypeScript `private`).
const PRIVATE = new Set(['writeEmails'])

describe('store error translation', () => {
  it('names every repository and method of the Store and of a TenantStore', async (t) => {
    const { store } = await failingStore(t)
    const tenant = store.forTenant(newTenantId())
    for (const [table, target] of [
      [ROOT, store],
      [TENANT, tenant],
    ] as const) {
      for (const [name, calls] of Object.entries(table)) {
        const repository = (target as unknown as Record<string, object>)[name]
        assert.ok(repository, name)
        assert.deepEqual(methodsOf(repository), Object.keys(calls).sort(), name)
      }
    }
    const repositories = (target: object) =>
      Object.getOwnPropertyNames(Object.getPrototypeOf(target)).filter(
        (name) => Object.getOwnPropertyDescriptor(Object.getPrototypeOf(target), name)?.get,
      )
    assert.deepEqual(repositories(store).sort(), Object.keys(ROOT).sort())
    assert.deepEqual(repositories(tenant).sort(), Object.keys(TENANT).sort())
  })

  it('rejects with StoreUnavailable from every repository method when the driver fails', async (t) => {
    const { store, fail } = await failingStore(t)
    const tenantId: TenantId = newTenantId()
    fail()
    const tenant = store.forTenant(tenantId)
    for (const [table, target] of [
      [ROOT, store],
      [TENANT, tenant],
    ] as const) {
      for (const [name, calls] of Object.entries(table)) {
        const repository = (target as unknown as Record<string, never>)[name] as never
        for (const [method, call] of Object.entries(calls)) {
          await rejectsUnavailable(`${name}.${method}`, call(repository))
        }
      }
    }
  })

  it('rejects with StoreUnavailable from transaction(), ping() and migrate() when the driver fails', async (t) => {
    const { store, fail } = await failingStore(t)
    await rejectsUnavailable(
      'a write inside a transaction',
      store.transaction(async (tx) => {
        fail()
        await tx.forTenant(newTenantId()).groups.touch(group, AT)
      }),
    )
    await rejectsUnavailable(
      'transaction',
      store.transaction(async () => 'never'),
    )
    await rejectsUnavailable('ping', store.ping())
    await rejectsUnavailable('migrate', store.migrate())
  })
})
