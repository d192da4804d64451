import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it, type TestContext } from 'node:test'
import {
  checkTarget,
  guardedFetch,
  isLoopbackHost,
  isPublicAddress,
  IssuerAddressRefused,
  type AddressLookup,
} from './issuer-address.ts'

const answers =
  (table: Record<string, readonly string[]>): AddressLookup =>
  async (hostname) => {
    const found = table[hostname]
    if (!found)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return found
  }

async function countingServer(t: TestContext) {
  const seen: { method: string; url: string; body: string; contentType: string }[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body,
        contentType: req.headers['content-type'] ?? '',
      })
      res.writeHead(200, { 'content-type': 'application/json', 'x-twice': ['a', 'b'] })
      res.end(JSON.stringify({ ok: true }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { seen, port: (server.address() as AddressInfo).port }
}

describe('issuer addresses', () => {
  it('tells public unicast addresses from private, loopback, link-local, unique-local and reserved ones', () => {
    for (const address of [
      '127.0.0.1',
      '127.1.2.3',
      '10.0.0.1',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '169.254.0.1',
      '100.64.0.1',
      '0.0.0.0',
      '0.1.2.3',
      '255.255.255.255',
      '224.0.0.1',
      '192.0.2.10',
      '198.18.0.1',
      '::',
      '::1',
      '[::1]',
      'fe80::1',
      'fe80::1%eth0',
      'fd00::1',
      'fc12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '::ffff:10.0.0.1',
      '64:ff9b::10.0.0.1',
      '2002:7f00:1::',
      '2001:db8::1',
      '::127.0.0.1',
      'not-an-address',
    ]) {
      assert.equal(isPublicAddress(address), false, address)
    }
    for (const address of [
      '8.8.8.8',
      '20.190.128.1',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700::1111',
      '2620:1ec:21::14',
      '::ffff:8.8.8.8',
      '64:ff9b::8.8.8.8',
    ]) {
      assert.equal(isPublicAddress(address), true, address)
    }
  })

  it('knows loopback hosts: localhost, *.localhost, 127/8, ::1 and their mapped forms', () => {
    for (const host of [
      'localhost',
      'idp.localhost',
      '127.0.0.1',
      '127.9.9.9',
      '[::1]',
      '::ffff:7f00:1',
    ]) {
      assert.equal(isLoopbackHost(host), true, host)
    }
    for (const host of ['10.0.0.1', 'example.com', '[::2]', 'localhost.example.com']) {
      assert.equal(isLoopbackHost(host), false, host)
    }
  })

  it('checks every address a name resolves to, and refuses http:// unless to loopback with the setting', async () => {
    const lookup = answers({
      'login.example.com': ['20.190.128.1', '2620:1ec:21::14'],
      'mixed.example.com': ['20.190.128.1', '10.0.0.7'],
      'mapped.example.com': ['::ffff:169.254.169.254'],
      'idp.localhost': ['127.0.0.1'],
    })
    const strict = { allowPrivate: false, lookup }
    await checkTarget('https://login.example.com/tenant/v2.0', strict)
    for (const url of [
      'https://mixed.example.com/',
      'https://mapped.example.com/',
      'https://missing.example.com/',
      'https://169.254.169.254/latest/meta-data',
      'https://[::ffff:a9fe:a9fe]/',
      'https://[fd00::1]/',
      'https://0.0.0.0/',
      'https://idp.localhost/',
      'http://login.example.com/',
      'http://127.0.0.1:8080/',
      'ftp://login.example.com/',
    ]) {
      await assert.rejects(checkTarget(url, strict), IssuerAddressRefused, url)
    }
    const lab = { allowPrivate: true, lookup }
    await checkTarget('https://mixed.example.com/', lab)
    await checkTarget('http://127.0.0.1:8080/', lab)
    await checkTarget('http://idp.localhost:8080/', lab)
    await assert.rejects(checkTarget('http://login.example.com/', lab), IssuerAddressRefused)
  })

  it('says the same to whoever chose the URL whatever the address; the reason is for the log', async () => {
    const lookup = answers({ 'internal.example.com': ['10.20.30.40'] })
    const error = await checkTarget('https://internal.example.com/', {
      allowPrivate: false,
      lookup,
    }).then(
      () => undefined,
      (e: unknown) => e,
    )
    assert.ok(error instanceof IssuerAddressRefused)
    assert.ok(error instanceof TypeError)
    assert.doesNotMatch(error.message, /10\.20\.30\.40|internal/)
    assert.match(error.detail, /10\.20\.30\.40/)
  })

  it('connects only to checked addresses: one lookup per connection, the one the socket uses', async (t) => {
    const { seen, port } = await countingServer(t)
    // A check that asked DNS apart from the connection could be answered a public address, and
    // the connection a private one (DNS rebinding). Here the socket's own lookup is the check.
    let lookups = 0
    const lookup: AddressLookup = async () => {
      lookups++
      return ['127.0.0.1']
    }
    const strict = guardedFetch({ allowPrivate: false, lookup })
    await assert.rejects(
      strict(`https://idp.example.com:${port}/.well-known/openid-configuration`, {
        method: 'GET',
        headers: {},
      } as never),
      IssuerAddressRefused,
    )
    assert.equal(lookups, 1)
    await assert.rejects(
      strict(`http://127.0.0.1:${port}/`, { method: 'GET', headers: {} } as never),
      IssuerAddressRefused,
    )
    assert.equal(lookups, 1, 'a literal address needs no lookup')
    assert.equal(seen.length, 0)
  })

  it('fetches through the checked lookup when allowed: method, headers, form body, status and response headers', async (t) => {
    const { seen, port } = await countingServer(t)
    const lab = guardedFetch({
      allowPrivate: true,
      lookup: answers({ 'idp.localhost': ['127.0.0.1'] }),
    })
    const response = await lab(`http://idp.localhost:${port}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'abc' }),
      redirect: 'manual',
    } as never)
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { ok: true })
    assert.equal(response.headers.get('x-twice'), 'a, b')
    assert.deepEqual(seen, [
      {
        method: 'POST',
        url: '/token',
        body: 'grant_type=authorization_code&code=abc',
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      },
    ])
  })
})
