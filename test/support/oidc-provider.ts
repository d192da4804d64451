// A real OpenID Provider for the SSO tests: oidc-provider on 127.0.0.1 (port chosen by the OS),
// one confidential client (client_secret_basic, redirect to Rollcall's callback), accounts with
// Entra-shaped claims (oid, tid, preferred_username, email present or absent), and an interaction
// that signs the chosen account in and grants consent at once, so that a cookie-jar client can
// follow the whole redirect chain. Its signing keys are the test's own, so a test can rotate them
// (rotateKeys) or re-sign a token it tampered with (tamperIdTokens).
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  SignJWT,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose'
import type Provider from 'oidc-provider'
import type { Adapter } from 'oidc-provider'
import type { CustomFetch } from 'openid-client'
import { loadProviderClass } from '../../src/identity-provider/provider.ts'

export const CLIENT_ID = 'rollcall-test-client'
export const CLIENT_SECRET = 'client-secret-of-the-test'
export const ENTRA_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad'

export interface TestAccount {
  readonly sub: string
  readonly oid: string
  readonly email?: string
  readonly email_verified?: boolean
  readonly preferred_username?: string
  readonly upn?: string
  readonly name?: string
}

type Mutation = (claims: Record<string, unknown>) => Record<string, unknown>

export interface TestOp {
  readonly issuer: string
  /** The account the next interaction signs in. */
  signInAs(account: TestAccount): void
  /** Replaces the signing key (the old one stays published, as a real rotation does). */
  rotateKeys(): Promise<void>
  /**
   * A fetch for Rollcall's relying party: passes everything through, but while a mutation is
   * set, the ID token of token responses is rewritten and re-signed with the OP's current key
   * (valid signature, wrong content: audience, expiry…).
   */
  readonly fetch: CustomFetch
  tamperIdTokens(mutation: Mutation | undefined, options?: { foreignKey?: boolean }): void
  close(): Promise<void>
}

interface SigningKey {
  readonly privateJwk: JWK
  readonly kid: string
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const kid = randomUUID()
  return { privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' }, kid }
}

function memoryAdapter(models: Map<string, Record<string, unknown>>, kind: string): Adapter {
  const key = (id: string) => `${kind}:${id}`
  const byField = (field: string, value: string) =>
    [...models.entries()].find(([k, m]) => k.startsWith(`${kind}:`) && m[field] === value)?.[1]
  return {
    async upsert(id, payload) {
      models.set(key(id), { ...payload })
    },
    async find(id) {
      return models.get(key(id))
    },
    async findByUid(uid) {
      return byField('uid', uid)
    },
    async findByUserCode(userCode) {
      return byField('userCode', userCode)
    },
    async consume(id) {
      const model = models.get(key(id))
      if (model) model.consumed = Math.floor(Date.now() / 1000)
    },
    async destroy(id) {
      models.delete(key(id))
    },
    async revokeByGrantId(grantId) {
      for (const [k, m] of models) if (m.grantId === grantId) models.delete(k)
    },
  }
}

export function entraAccount(
  name: string,
  options: { email?: boolean; oid?: string } = {},
): TestAccount {
  const address = `${name}@contoso.com`
  return {
    sub: `sub-${name}`,
    oid: options.oid ?? randomUUID(),
    ...(options.email === false ? {} : { email: address }),
    preferred_username: address,
    name: name[0]?.toUpperCase() + name.slice(1),
  }
}

export async function startTestOp(redirectUri: string): Promise<TestOp> {
  let account: TestAccount = entraAccount('alice')
  let keys: SigningKey[] = [await newSigningKey()]
  let mutation: Mutation | undefined
  // A key the OP never published, used under a published kid: a forged signature.
  let forger: SigningKey | undefined
  let provider: Provider
  const cookieKeys = [randomUUID()]

  const server: Server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  // Loaded as Rollcall loads it: without its warning about Node 20.
  const OidcProvider = await loadProviderClass()
  // This OP's own storage (oidc-provider's default warns that it is for development only),
  // shared by the providers rotateKeys makes.
  const models = new Map<string, Record<string, unknown>>()
  const makeProvider = () =>
    new OidcProvider(issuer, {
      adapter: (kind: string) => memoryAdapter(models, kind),
      ttl: { AccessToken: 3600, IdToken: 3600, Interaction: 3600, Session: 3600, Grant: 3600 },
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: keys.map((k) => k.privateJwk) },
      cookies: { keys: cookieKeys },
      // Entra puts the profile claims into the ID token; so does this OP.
      conformIdTokenClaims: false,
      claims: {
        openid: ['sub', 'oid', 'tid'],
        email: ['email', 'email_verified'],
        profile: ['name', 'preferred_username', 'upn'],
      },
      features: { devInteractions: { enabled: false } },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      },
      pkce: { required: () => true },
      async findAccount(_ctx: unknown, sub: string) {
        const current = account
        if (sub !== current.sub) return undefined
        return {
          accountId: sub,
          async claims() {
            return { ...current, tid: ENTRA_TENANT_ID }
          },
        }
      },
    })
  provider = makeProvider()

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.url?.startsWith('/interaction/')) {
        const details = await provider.interactionDetails(req, res)
        if (details.prompt.name === 'login') {
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: account.sub } },
            { mergeWithLastSubmission: false },
          )
          return
        }
        const grant = new provider.Grant({
          accountId: details.session?.accountId ?? account.sub,
          clientId: CLIENT_ID,
        })
        grant.addOIDCScope('openid email profile')
        await provider.interactionFinished(
          req,
          res,
          { consent: { grantId: await grant.save() } },
          { mergeWithLastSubmission: true },
        )
        return
      }
      provider.callback()(req, res)
    } catch (error) {
      res.statusCode = 500
      res.end(String(error))
    }
  }

  const tokenEndpointOf = (url: string) => new URL(url).pathname === '/token'

  return {
    issuer,
    signInAs(next) {
      account = next
    },
    async rotateKeys() {
      keys = [await newSigningKey(), ...keys]
      provider = makeProvider()
    },
    async tamperIdTokens(next, options = {}) {
      mutation = next
      forger = options.foreignKey ? await newSigningKey() : undefined
    },
    async fetch(url, init) {
      const response = await fetch(url, init as RequestInit)
      if (!mutation || !tokenEndpointOf(url) || !url.startsWith(issuer)) return response
      const body = (await response.json()) as Record<string, unknown>
      if (typeof body.id_token === 'string') {
        const header = decodeProtectedHeader(body.id_token)
        const key = keys.find((k) => k.kid === header.kid) ?? keys[0]
        if (!key) throw new Error('no key')
        body.id_token = await new SignJWT(mutation({ ...decodeJwt(body.id_token) }))
          .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
          .sign(await importJWK((forger ?? key).privateJwk, 'RS256'))
      }
      return new Response(JSON.stringify(body), {
        status: response.status,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
