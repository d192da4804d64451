// The part of oidc-provider (panva/node-oidc-provider ships no types) that Rollcall uses: the
// provider Rollcall mounts at /oidc (identity-provider/) and the upstream test IdP of the SSO
// tests (test/support/oidc-provider.ts).
declare module 'oidc-provider' {
  import type { IncomingMessage as Req, ServerResponse as Res } from 'node:http'

  interface Interaction {
    readonly uid: string
    /** When the interaction began (Unix seconds). */
    readonly iat?: number
    readonly prompt: {
      readonly name: string
      readonly reasons: readonly string[]
      readonly details: Record<string, unknown>
    }
    readonly params: Record<string, unknown>
    readonly session?: { readonly accountId?: string }
    readonly grantId?: string
    readonly lastSubmission?: Record<string, unknown>
  }

  interface Grant {
    readonly jti: string
    readonly accountId: string
    readonly clientId: string
    addOIDCScope(scope: string): void
    addOIDCClaims(claims: string[]): void
    save(): Promise<string>
  }

  /** What findAccount answers: the account and its claims for the given use and scope. */
  interface Account {
    readonly accountId: string
    claims(use: string, scope: string): Promise<Record<string, unknown>>
  }

  /** The storage oidc-provider calls, one instance per model name. */
  interface Adapter {
    upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void>
    find(id: string): Promise<Record<string, unknown> | undefined>
    findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined>
    findByUid(uid: string): Promise<Record<string, unknown> | undefined>
    consume(id: string): Promise<void>
    destroy(id: string): Promise<void>
    revokeByGrantId(grantId: string): Promise<void>
  }

  /** The request context oidc-provider hands to its helpers (loadExistingGrant, …). */
  interface KoaContextWithOIDC {
    readonly oidc: {
      readonly client?: { readonly clientId: string }
      readonly session?: {
        readonly accountId?: string
        grantIdFor(clientId: string): string | undefined
      }
      readonly result?: { readonly consent?: { readonly grantId?: string } }
      readonly requestParamScopes: Set<string>
      readonly requestParamClaims: Set<string>
      readonly provider: Provider
    }
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    readonly issuer: string
    proxy: boolean
    callback(): (req: Req, res: Res) => void
    interactionDetails(req: Req, res: Res): Promise<Interaction>
    interactionFinished(
      req: Req,
      res: Res,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
    interactionResult(
      req: Req,
      res: Res,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>
    Grant: {
      new (init: { accountId: string; clientId: string }): Grant
      find(id: string): Promise<Grant | undefined>
    }
    on(event: string, listener: (...args: unknown[]) => void): void
  }
}
