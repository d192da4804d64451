// Whether a /login request is the JSON flavour (answered with JSON and problem details) rather
// than a browser form (answered with pages).
import type { FastifyRequest } from 'fastify'

export function wantsJson(request: FastifyRequest): boolean {
  return String(request.headers['content-type'] ?? '').startsWith('application/json')
}
