// The console at / (SPEC §5): the built files, index.html for every page path of the single-page
// app under its own CSP, the other surfaces' 404s untouched, and a missing build that is a log
// line and a page, not a crash.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { describe, it, type TestContext } from 'node:test'
import Fastify from 'fastify'
import { consoleRoutes } from '../../src/http/routes/console/index.ts'
import { build } from '../helper.ts'

const INDEX = '<!doctype html><title>Rollcall console</title><div id="root"></div>'

/** A console build in a temp folder: index.html and one hashed asset. */
function fakeBuild(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-console-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), INDEX)
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("console")')
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function directives(csp: unknown): Map<string, string> {
  return new Map(
    String(csp ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name = '', ...values]) => [name, values.join(' ')] as const),
  )
}

describe('the console at /', () => {
  it('serves index.html at / and at every page path, under a CSP that allows its own script only', async (t) => {
    const h = await build(t, {}, { consoleDir: fakeBuild(t) })
    for (const url of [
      '/',
      '/domains',
      '/connections/abc/setup',
      '/connections?x=1',
      '/index.html',
    ]) {
      const res = await h.app.inject({ method: 'GET', url })
      assert.equal(res.statusCode, 200, url)
      assert.match(String(res.headers['content-type']), /^text\/html/, url)
      assert.equal(res.body, INDEX, url)
      assert.equal(res.headers['cache-control'], 'no-cache', url)
      const csp = directives(res.headers['content-security-policy'])
      assert.equal(csp.get('script-src'), "'self'", url)
      assert.equal(csp.get('style-src'), "'self'", url)
      assert.equal(csp.get('connect-src'), "'self'", url)
      assert.equal(csp.get('default-src'), "'none'", url)
      assert.equal(csp.get('frame-ancestors'), "'none'", url)
      assert.equal(res.headers['x-frame-options'], 'DENY', url)
    }
    const head = await h.app.inject({ method: 'HEAD', url: '/users' })
    assert.equal(head.statusCode, 200)
  })

  it('serves the hashed assets for a year and answers a missing file with 404, not index.html', async (t) => {
    const h = await build(t, {}, { consoleDir: fakeBuild(t) })
    const asset = await h.app.inject({ method: 'GET', url: '/assets/index-abc123.js' })
    assert.equal(asset.statusCode, 200)
    assert.match(String(asset.headers['content-type']), /javascript/)
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable')
    for (const url of ['/assets/missing.js', '/favicon.ico', '/../package.json']) {
      const res = await h.app.inject({ method: 'GET', url })
      assert.equal(res.statusCode, 404, url)
      assert.doesNotMatch(res.body, /Rollcall console/, url)
    }
    const post = await h.app.inject({ method: 'POST', url: '/domains', payload: {} })
    assert.equal(post.statusCode, 404)
  })

  it('leaves /api, /scim, /sso and /login their own 404s', async (t) => {
    const h = await build(t, {}, { consoleDir: fakeBuild(t) })
    const api = await h.app.inject({ method: 'GET', url: '/api/nothing-here' })
    assert.equal(api.statusCode, 404)
    assert.match(String(api.headers['content-type']), /^application\/problem\+json/)
    assert.equal(api.json().code, 'not_found')
    const apiRoot = await h.app.inject({ method: 'GET', url: '/api' })
    assert.equal(apiRoot.statusCode, 404)
    assert.match(String(apiRoot.headers['content-type']), /^application\/problem\+json/)
    for (const url of ['/scim', '/scim/v2', '/scim/nothing']) {
      const scim = await h.app.inject({ method: 'GET', url })
      assert.equal(scim.statusCode, 404, url)
      assert.match(String(scim.headers['content-type']), /^application\/scim\+json/, url)
      assert.equal(scim.json().status, '404', url)
    }
    const tenantScim = await h.scim(h.acme, 'GET', '/Nothing')
    assert.equal(tenantScim.statusCode, 404)
    assert.match(String(tenantScim.headers['content-type']), /^application\/scim\+json/)
    const sso = await h.app.inject({ method: 'GET', url: '/sso/nothing-here' })
    assert.equal(sso.statusCode, 404)
    assert.match(sso.body, /Sign in with SSO/)
    const login = await h.app.inject({ method: 'GET', url: '/login/nothing-here' })
    assert.equal(login.statusCode, 404)
    assert.match(login.body, /There is no page here/)
    assert.doesNotMatch(login.body, /Rollcall console/)
    assert.equal((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
  })

  it('logs a clear line and shows how to build it when the build is missing', async (t) => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const app = Fastify({ logger: { level: 'info', stream } })
    t.after(() => app.close())
    const missing = join(tmpdir(), 'rollcall-no-console-here')
    await consoleRoutes(app, { dir: missing })
    const warning = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    assert.equal(warning.length, 1)
    assert.equal(warning[0]?.level, 40)
    assert.equal(warning[0]?.consoleDir, missing)
    assert.match(String(warning[0]?.msg), /console is not built.*npm run build:console/)
    const res = await app.inject({ method: 'GET', url: '/domains' })
    assert.equal(res.statusCode, 503)
    assert.match(res.body, /npm run build:console/)
    assert.equal((await app.inject({ method: 'GET', url: '/assets/x.js' })).statusCode, 404)
  })
})
