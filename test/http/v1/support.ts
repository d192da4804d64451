// What the /api/v1 tests share: an app (test/helper.ts, SQLite or PostgreSQL by TEST_STORE) with
// tenants acme and globex, API keys of each kind, and requests that carry a key.
import type { TestContext } from 'node:test'
import type { HTTPMethods, LightMyRequestResponse } from 'fastify'
import { createApiKey } from '../../../src/credentials/api-keys.ts'
import type { Tenant } from '../../../src/domain/types.ts'
import { build, type TestApp, type TestTenant } from '../../helper.ts'

export interface V1App extends TestApp {
  readonly globex: TestTenant
  readonly keys: {
    readonly operatorRead: string
    readonly operatorWrite: string
    readonly acmeRead: string
    readonly acmeWrite: string
    readonly globexWrite: string
  }
  /** A request with `key` as the bearer token (and a JSON body when one is given). */
  call(
    key: string | undefined,
    method: HTTPMethods,
    url: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse>
  key(tenant: Tenant | undefined, scope: 'read' | 'write'): Promise<string>
}

export async function buildV1(t: TestContext): Promise<V1App> {
  const h = await build(t)
  const globex = await h.addTenant('globex')
  const key = async (tenant: Tenant | undefined, scope: 'read' | 'write') =>
    (await createApiKey(h.store, { tenant, scope })).key
  const keys = {
    operatorRead: await key(undefined, 'read'),
    operatorWrite: await key(undefined, 'write'),
    acmeRead: await key(h.acme.tenant, 'read'),
    acmeWrite: await key(h.acme.tenant, 'write'),
    globexWrite: await key(globex.tenant, 'write'),
  }
  // The set-up's own events (the tenants' SCIM tokens were issued): each test starts from an
  // empty log, so that what it reads is what it did.
  await h.store.events.deleteOlderThan('9999-12-31T00:00:00.000Z', 1_000_000)
  return {
    ...h,
    globex,
    keys,
    key,
    call(bearer, method, url, body) {
      return h.app.inject({
        method,
        url,
        headers: {
          ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      })
    },
  }
}

/** A SCIM user of the tenant (origin SCIM), created as the IdP does; returns its id. */
export async function scimUser(h: TestApp, tenant: TestTenant, userName: string): Promise<string> {
  const res = await h.scim(tenant, 'POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    name: { givenName: 'Sam', familyName: 'Scim' },
    emails: [{ value: userName, type: 'work', primary: true }],
    active: true,
  })
  if (res.statusCode !== 201) throw new Error(`SCIM user: ${res.statusCode} ${res.body}`)
  return (JSON.parse(res.body) as { id: string }).id
}

/** A SCIM group of the tenant with these members; returns its id. */
export async function scimGroup(
  h: TestApp,
  tenant: TestTenant,
  displayName: string,
  memberIds: readonly string[] = [],
): Promise<string> {
  const res = await h.scim(tenant, 'POST', '/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName,
    members: memberIds.map((value) => ({ value })),
  })
  if (res.statusCode !== 201) throw new Error(`SCIM group: ${res.statusCode} ${res.body}`)
  return (JSON.parse(res.body) as { id: string }).id
}

export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T
}
