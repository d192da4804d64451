// Shared SCIM test vocabulary: URNs, recorded IdP request bodies, and assertions that every
// response of the SCIM scope is SCIM (application/scim+json, RFC 7644 §3.12 error bodies).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import type { LightMyRequestResponse } from 'fastify'
import type { TestApp } from '../helper.ts'

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const GROUP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group'
export const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

/** SCIM JSON, read field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any

const FIXTURES = new URL('../fixtures/idp/', import.meta.url)

/** A recorded request body of `idp`, with the documentation ids replaced by real ones. */
export function fixture(
  idp: 'entra' | 'okta',
  name: string,
  ids: Readonly<Record<string, string>> = {},
): Json {
  let text = readFileSync(new URL(`${idp}/${name}`, FIXTURES), 'utf8')
  for (const [from, to] of Object.entries(ids)) text = text.split(from).join(to)
  return JSON.parse(text)
}

const SCIM_JSON = /^application\/scim\+json(\s*;.*)?$/

/**
 * Asserts the status and that the response is SCIM: "The header for all the responses should be of
 * content-Type: application/scim+json" (Entra tutorial), errors included, with the RFC 7644 §3.12
 * error body. A 204 carries no content (RFC 9110 §15.3.5), so it must have an empty body instead.
 */
export function expectScim(res: LightMyRequestResponse, status: number, label = ''): Json {
  const what = `${label} → ${res.statusCode} ${res.body.slice(0, 600)}`
  assert.equal(res.statusCode, status, what)
  const type = res.headers['content-type']
  if (status === 204) {
    assert.equal(res.body, '', what)
    if (type !== undefined) assert.match(String(type), SCIM_JSON, what)
    return undefined
  }
  assert.match(String(type), SCIM_JSON, `content-type of ${what}`)
  const body = res.json()
  if (status >= 400) {
    assert.deepEqual(body.schemas, [ERROR], what)
    assert.equal(body.status, String(status), what)
  }
  return body
}

/** PATCH of a user: 200 with the resource or 204 ("It isn't necessary to include the entire resource"). */
export function expectPatched(res: LightMyRequestResponse, label = ''): void {
  assert.ok(
    [200, 204].includes(res.statusCode),
    `${label} → ${res.statusCode} ${res.body.slice(0, 600)}`,
  )
  expectScim(res, res.statusCode, label)
}

export async function createUser(h: TestApp, body: Json): Promise<Json> {
  return expectScim(
    await h.scim(h.acme, 'POST', '/Users', body),
    201,
    `POST /Users ${body.userName}`,
  )
}

export async function createGroup(h: TestApp, body: Json): Promise<Json> {
  return expectScim(
    await h.scim(h.acme, 'POST', '/Groups', body),
    201,
    `POST /Groups ${body.displayName}`,
  )
}

export async function getUser(h: TestApp, id: string): Promise<Json> {
  return expectScim(await h.scim(h.acme, 'GET', `/Users/${id}`), 200, `GET /Users/${id}`)
}

export async function getGroup(h: TestApp, id: string): Promise<Json> {
  return expectScim(await h.scim(h.acme, 'GET', `/Groups/${id}`), 200, `GET /Groups/${id}`)
}

export function userBody(userName: string, extra: Json = {}): Json {
  return {
    schemas: [USER],
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: userName }],
    ...extra,
  }
}
