// Who is signed in (GET /api/session), local password sign-in (POST /login as JSON) and sign-out.
import { ApiError, request } from './client.ts'
import type { SessionInfo } from './types.ts'

/** The session, or null when nobody is signed in. */
export async function fetchSession(): Promise<SessionInfo | null> {
  try {
    return await request<SessionInfo>('GET', '/api/session', undefined, { quiet401: true })
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null
    throw error
  }
}

export function signInWithPassword(input: {
  tenant: string
  email: string
  password: string
}): Promise<SessionInfo> {
  return request<SessionInfo>('POST', '/login', input, { quiet401: true })
}

export function signOut(): Promise<void> {
  return request<void>('POST', '/api/session/logout', undefined, { quiet401: true })
}
