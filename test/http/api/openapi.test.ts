// The admin API's OpenAPI document (issue #9): valid OpenAPI 3 (checked by
// @apidevtools/swagger-parser), generated from the route schemas, listing every /api route; and
// the interactive reference at /api/docs, whose page and files load under its own CSP.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import SwaggerParser from '@apidevtools/swagger-parser'
import { build } from '../../helper.ts'

/** Every route of the app as "METHOD /path", read from Fastify's route tree. */
function routesOf(tree: string): string[] {
  const routes: string[] = []
  const stack: string[] = []
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.+?) \(([^)]+)\)$/.exec(line)
    if (!match) continue
    const depth = (match[1] ?? '').length / 4
    stack.length = depth
    stack.push(match[2] ?? '')
    const path = stack.join('')
    for (const method of (match[3] ?? '').split(', ')) routes.push(`${method} ${path}`)
  }
  return routes
}

/** An OpenAPI path (/api/tenants/{tenant}) in Fastify's form (/api/tenants/:tenant). */
const fastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1')

const DOCUMENTED = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3 and lists every /api route but its own', async (t) => {
    const h = await build(t)
    const res = await h.app.inject({ method: 'GET', url: '/api/openapi.json' })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^application\/json/)
    const document = JSON.parse(res.body)
    assert.match(document.openapi, /^3\./)
    assert.equal(document.servers[0].url, 'https://rollcall.test')
    // validate() dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(document))

    const documented = new Set<string>()
    for (const [path, item] of Object.entries(document.paths as Record<string, object>)) {
      for (const method of Object.keys(item)) {
        documented.add(`${method.toUpperCase()} ${fastifyPath(path)}`)
      }
    }
    const served = routesOf(h.app.printRoutes({ commonPrefix: false })).filter(
      (route) =>
        DOCUMENTED.has(route.split(' ')[0] ?? '') &&
        / \/api\//.test(route) &&
        !/ \/api\/(openapi\.json|docs)/.test(route),
    )
    assert.ok(served.includes('POST /api/tenants/:tenant/scim/enable'), served.join('\n'))
    assert.ok(served.length >= 20, served.join('\n'))
    assert.deepEqual(
      served.filter((route) => !documented.has(route)),
      [],
      'routes missing from the document',
    )
    assert.deepEqual(
      [...documented].filter((route) => !served.includes(route)),
      [],
      'documented routes that are not served',
    )
  })

  it('describes the request and response schemas of the routes', async (t) => {
    const h = await build(t)
    const document = JSON.parse(
      (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).body,
    )
    const log = document.paths['/api/tenants/{tenant}/provisioning-log'].get
    const names = log.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)
    assert.deepEqual(names.sort(), [
      'path:tenant',
      'query:beforeId',
      'query:limit',
      'query:operation',
      'query:outcome',
      'query:resourceType',
    ])
    const ok = log.responses['200'].content['application/json'].schema
    assert.ok(ok.properties.entries)
    assert.ok(log.responses.default, 'problem details documented')
    const enable = document.paths['/api/tenants/{tenant}/scim/enable'].post
    assert.ok(enable.responses['201'].content['application/json'].schema.properties.token)
    const logout = document.paths['/api/session/logout'].post
    assert.match(logout.summary, /Sign out/)
    assert.deepEqual(
      logout.parameters.map((p: { name: string; in: string; required: boolean }) => [
        `${p.in}:${p.name}`,
        p.required,
      ]),
      [['header:content-type', true]],
    )
    assert.ok(logout.responses['204'], 'the 204 answer documented')
    assert.ok(logout.responses['415'], 'the refused media type documented')
    assert.deepEqual(document.components.securitySchemes.session, {
      type: 'apiKey',
      in: 'cookie',
      name: 'rollcall_session',
    })
  })

  it('serves the reference at /api/docs with its files, under its own Content-Security-Policy', async (t) => {
    const h = await build(t)
    const page = await h.app.inject({ method: 'GET', url: '/api/docs' })
    assert.equal(page.statusCode, 200)
    assert.match(String(page.headers['content-type']), /^text\/html/)
    const csp = String(page.headers['content-security-policy'])
    assert.match(csp, /script-src 'self'/)
    assert.doesNotMatch(csp, /script-src[^;]*unsafe/)
    assert.match(csp, /frame-ancestors 'none'/)
    const files = [...page.body.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1] ?? '')
    assert.ok(files.length >= 4, page.body)
    for (const file of files) {
      assert.ok(file.startsWith('/api/docs/static/'), file)
      const asset = await h.app.inject({ method: 'GET', url: file })
      assert.equal(asset.statusCode, 200, file)
    }
    // Swagger UI loads the document from ./json.
    const json = await h.app.inject({ method: 'GET', url: '/api/docs/json' })
    assert.equal(
      JSON.parse(json.body).openapi,
      JSON.parse((await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).body).openapi,
    )
    // The rest of the site keeps the strict policy (no scripts).
    const other = await h.app.inject({ method: 'GET', url: '/api/session' })
    assert.doesNotMatch(String(other.headers['content-security-policy']), /script-src/)
  })
})
