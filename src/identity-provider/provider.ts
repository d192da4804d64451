// Rollcall as the host application's OpenID Provider: oidc-provider with its storage, clients and
// signing keys in the database and its cookie keys derived from ROLLCALL_SECRET, so every
// instance answers alike. The provider is rebuilt when the set of live keys changes (a rotation
// by the CLI or another instance), checked on each request (one small query).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type Provider from 'oidc-provider'
import type { KoaContextWithOIDC } from 'oidc-provider'
import type { SecretBox } from '../credentials/secret-box.ts'
import type { Store } from '../store/store.ts'
import { findAccountIn, ROLLCALL_SCOPE, SCOPE_CLAIMS, subjectOf } from './accounts.ts'
import { StoreAdapter } from './adapter.ts'
import { TOKEN_AUTH_METHODS } from './clients.ts'
import { liveKeyIds, loadProviderKeys, type ProviderKeys } from './keys.ts'

/** Where the provider is mounted under PUBLIC_URL; the issuer is PUBLIC_URL + this. */
export const OIDC_PATH = '/oidc'

export const issuerOf = (publicUrl: string): string => `${publicUrl}${OIDC_PATH}`

/** The path of the sign-in step of an authorization request (handled by the /oidc routes). */
export const interactionPath = (uid: string): string =>
  `${OIDC_PATH}/interaction/${encodeURIComponent(uid)}`

export interface IdentityProviderDeps {
  readonly store: Store
  readonly secretBox: SecretBox
  readonly publicUrl: string
  /** Errors oidc-provider met while answering (never the client's mistakes). */
  readonly onError?: (error: unknown) => void
  /** The HTML pages oidc-provider shows the person (rendered by the HTTP layer). */
  readonly pages?: ProviderPages
}

export interface ProviderPages {
  /** An error shown instead of a redirect to the app (an unregistered redirect URI, …). */
  error(error: { error: string; error_description?: string }): string
  /** "Sign out?": `form` is oidc-provider's form (id op.logoutForm) that the buttons submit. */
  signOut(form: string): string
  /** After signing out, when the app gave no post_logout_redirect_uri. */
  signedOut(): string
}

/** Lifetimes, in seconds (oidc-provider's own defaults, said here so that they are ours). */
export const TTL_SECONDS = {
  AccessToken: 3600,
  AuthorizationCode: 60,
  IdToken: 3600,
  RefreshToken: 14 * 24 * 3600,
  Interaction: 3600,
  Session: 14 * 24 * 3600,
  Grant: 14 * 24 * 3600,
} as const

type ProviderClass = typeof Provider

interface EndSessionContext {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly oidc: { readonly params: { readonly logout?: unknown } }
}
let providerClass: Promise<ProviderClass> | undefined

/**
 * oidc-provider, loaded once. It warns on import that Node 20 is not the LTS it prefers; it runs
 * on Node 20 (the tests prove it), so that one line is kept out of the logs.
 */
export function loadProviderClass(): Promise<ProviderClass> {
  return (providerClass ??= (async () => {
    const warn = console.warn
    console.warn = (...args: unknown[]) => {
      if (!String(args[0]).includes('Unsupported runtime')) warn(...args)
    }
    try {
      return (await import('oidc-provider')).default
    } finally {
      console.warn = warn
    }
  })())
}

/**
 * First-party clients get no consent screen: the grant covers whatever openid scopes and claims
 * the request asks for.
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx
  const accountId = oidc.session?.accountId
  const clientId = oidc.client?.clientId
  if (!accountId || !clientId) return undefined
  const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId)
  let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined
  if (!grant || grant.accountId !== accountId || grant.clientId !== clientId) {
    grant = new oidc.provider.Grant({ accountId, clientId })
  }
  grant.addOIDCScope([...oidc.requestParamScopes].join(' '))
  const claims = [...oidc.requestParamClaims]
  if (claims.length > 0) grant.addOIDCClaims(claims)
  await grant.save()
  return grant
}

function configuration(deps: IdentityProviderDeps, keys: ProviderKeys): Record<string, unknown> {
  return {
    adapter: (kind: string) => new StoreAdapter(kind, deps),
    jwks: { keys: keys.keys.map((k) => ({ ...k })) },
    cookies: {
      keys: [deps.secretBox.derive('oidc-provider/cookies')],
      names: {
        session: 'rollcall_oidc_session',
        interaction: 'rollcall_oidc_interaction',
        resume: 'rollcall_oidc_resume',
      },
    },
    scopes: ['openid', 'offline_access', 'email', 'profile', ROLLCALL_SCOPE],
    claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([k, v]) => [k, [...v]])),
    // The claims of the granted scopes go into the ID token too, not only userinfo.
    conformIdTokenClaims: false,
    extraParams: ['tenant'],
    responseTypes: ['code'],
    clientAuthMethods: [...TOKEN_AUTH_METHODS],
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: { body: string }, form: string) {
          ctx.body = deps.pages ? deps.pages.signOut(form) : form
        },
        async postLogoutSuccessSource(ctx: { body: string }) {
          ctx.body = deps.pages ? deps.pages.signedOut() : 'Signed out.'
        },
      },
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => interactionPath(interaction.uid),
    },
    findAccount: findAccountIn(deps.store),
    // `sub` is the user's id, while the account id also names the tenant (accounts.ts).
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: subjectOf,
    loadExistingGrant,
    // The token endpoint is for the app's server; browsers get no CORS grant.
    clientBasedCORS: () => false,
    ttl: { ...TTL_SECONDS },
    async renderError(
      ctx: { type: string; body: string },
      out: { error: string; error_description?: string },
    ) {
      ctx.type = 'html'
      ctx.body = deps.pages
        ? deps.pages.error(out)
        : `${out.error}: ${out.error_description ?? ''}`.replace(/[<>&"]/g, '')
    },
  }
}

/** Told when a person signs out through the provider (RP-initiated logout, "yes"). */
export type SignOutListener = (req: IncomingMessage, res: ServerResponse) => void

export class IdentityProvider {
  readonly issuer: string
  private current: { readonly ids: string; readonly provider: Provider } | undefined
  private readonly signOutListeners: SignOutListener[] = []

  /** Loads nothing until the first request (or start()): apps that never serve /oidc pay nothing. */
  constructor(private readonly deps: IdentityProviderDeps) {
    this.issuer = issuerOf(deps.publicUrl)
  }

  onSignOut(listener: SignOutListener): void {
    this.signOutListeners.push(listener)
  }

  /** Loads oidc-provider and the signing keys, creating the first key if there is none. */
  async start(): Promise<void> {
    await this.provider()
  }

  /** The provider over the live signing keys. */
  async provider(): Promise<Provider> {
    const current = this.current
    if (current && (await liveKeyIds(this.deps.store)) === current.ids) return current.provider
    const Provider = await loadProviderClass()
    const keys = await loadProviderKeys(this.deps.store, this.deps.secretBox)
    if (this.current?.ids === keys.ids) return this.current.provider
    const provider = new Provider(this.issuer, configuration(this.deps, keys))
    // Endpoint URLs are built from the request's forwarded host and scheme, which the /oidc
    // routes set from PUBLIC_URL (see routes/oidc), so they match the issuer behind any proxy.
    provider.proxy = true
    provider.on('server_error', (_ctx, error) => this.deps.onError?.(error))
    provider.on('end_session.success', (ctx) => {
      const { req, res, oidc } = ctx as EndSessionContext
      if (oidc.params.logout) for (const listener of this.signOutListeners) listener(req, res)
    })
    this.current = { ids: keys.ids, provider }
    return provider
  }
}
