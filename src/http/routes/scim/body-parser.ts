// The SCIM scope's only body parser: application/scim+json and application/json (RFC 7644 §3.1),
// bounded in size (413) and in nesting depth; malformed bodies are invalidSyntax (§3.12).
import type { FastifyInstance } from 'fastify'
import { ScimError } from '../../../scim/errors.ts'
import { exceedsJsonDepth } from './json-depth.ts'

export interface ScimBodyLimits {
  readonly maxBodyBytes: number
  readonly maxJsonDepth: number
}

export function registerScimBodyParser(app: FastifyInstance, limits: ScimBodyLimits): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    ['application/scim+json', 'application/json'],
    { parseAs: 'string', bodyLimit: limits.maxBodyBytes },
    (_request, body, done) => {
      const text = String(body)
      if (text.trim() === '') return done(null, undefined)
      if (exceedsJsonDepth(text, limits.maxJsonDepth)) {
        return done(
          ScimError.invalidSyntax(
            `The request body nests arrays and objects more than ${limits.maxJsonDepth} ` +
              'levels deep (SCIM_MAX_JSON_DEPTH); no SCIM resource or message needs that many.',
          ),
          undefined,
        )
      }
      try {
        done(null, JSON.parse(text))
      } catch (error) {
        done(
          ScimError.invalidSyntax(
            `The request body is not valid JSON (${(error as Error).message}). Check quoting and commas.`,
          ),
          undefined,
        )
      }
    },
  )
}
