// An example host application: it signs its users in through Rollcall's OpenID Provider and ends
// a user's sessions as soon as Rollcall's webhook says they were deactivated or deleted.
// Run it with Rollcall's own dependencies (README, "Connect your application"):
//   ROLLCALL_ISSUER=… CLIENT_ID=… CLIENT_SECRET=… WEBHOOK_SECRET=… node --import tsx examples/host-app/app.ts
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import * as oidc from 'openid-client'
import { Webhook } from 'standardwebhooks'

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is required`)
  return value
}
const port = Number(process.env.PORT ?? 3000)
const appUrl = process.env.APP_URL ?? `http://127.0.0.1:${port}`
const issuer = new URL(env('ROLLCALL_ISSUER'))
// http:// is for a Rollcall on this machine only; use https:// everywhere else.
const options = issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}
const config = await oidc.discovery(
  issuer,
  env('CLIENT_ID'),
  env('CLIENT_SECRET'),
  undefined,
  options,
)
const webhook = new Webhook(env('WEBHOOK_SECRET'))

interface Session {
  readonly tenant: string
  readonly sub: string
  readonly claims: oidc.IDToken
}
// In memory for the example; a real app keeps these in its own session store.
const pending = new Map<string, string>() // state → PKCE verifier
const sessions = new Map<string, Session>() // session cookie → who signed in

function sessionOf(req: IncomingMessage): Session | undefined {
  const id = /(?:^|;\s*)sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1]
  return id ? sessions.get(id) : undefined
}

// A person of two tenants has the same `sub` in both: an account is the pair (tenant, sub).
function endSessions(tenant: string, sub: string): void {
  for (const [sid, s] of sessions) if (s.tenant === tenant && s.sub === sub) sessions.delete(sid)
}

async function rawBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new Error('body too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', appUrl)
  if (url.pathname === '/login') {
    const state = oidc.randomState()
    const verifier = oidc.randomPKCECodeVerifier()
    // Sign-ins that never come back must not pile up: forget the oldest beyond a bound.
    if (pending.size >= 10_000) pending.delete(pending.keys().next().value as string)
    pending.set(state, verifier)
    // login_hint sends the person to their organisation's identity provider, by email domain.
    const hint = url.searchParams.get('email')
    const target = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${appUrl}/callback`,
      scope: 'openid email profile rollcall', // `rollcall` carries tenant, role and groups
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...(hint ? { login_hint: hint } : {}),
    })
    res.writeHead(302, { location: target.href }).end()
  } else if (url.pathname === '/callback') {
    const state = url.searchParams.get('state') ?? ''
    const verifier = pending.get(state)
    pending.delete(state)
    if (!verifier) return void res.writeHead(400).end('unknown sign-in')
    const tokens = await oidc.authorizationCodeGrant(config, url, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    const claims = tokens.claims()
    if (!claims || typeof claims.tenant !== 'string') throw new Error('no tenant claim')
    const sid = randomBytes(16).toString('base64url')
    sessions.set(sid, { tenant: claims.tenant, sub: claims.sub, claims })
    res.writeHead(302, { location: '/', 'set-cookie': `sid=${sid}; HttpOnly; Path=/` }).end()
  } else if (url.pathname === '/webhooks' && req.method === 'POST') {
    const body = await rawBody(req)
    let event: { type: string; tenant: string; data: { id: string } }
    try {
      // Checks the signature over id, timestamp and these exact bytes, and the timestamp's age.
      event = webhook.verify(body, {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      }) as typeof event
    } catch {
      return void res.writeHead(400).end('bad signature')
    }
    // `data.id` of a user event is the `sub` of that user's ID tokens.
    if (event.type === 'user.deactivated' || event.type === 'user.deleted') {
      endSessions(event.tenant, event.data.id)
    }
    res.writeHead(204).end()
  } else {
    const session = sessionOf(req)
    res.writeHead(session ? 200 : 401, { 'content-type': 'application/json' })
    res.end(JSON.stringify(session ? session.claims : { signIn: `${appUrl}/login?email=…` }))
  }
}

createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (!res.headersSent) res.writeHead(400)
    res.end(String(error))
  })
}).listen(port, '127.0.0.1', () => console.log(`host app on ${appUrl}`))
