// The entity tag of a resource version (RFC 7644 §3.14): `meta.version` and the ETag header are
// the weak tag W/"<version>" (RFC 7232 §2.3). The format is written here once; the filter compiler
// renders the same text in SQL from ETAG_PREFIX and ETAG_SUFFIX.

/** What precedes the version number in the entity tag. */
export const ETAG_PREFIX = 'W/"'
/** What follows the version number in the entity tag. */
export const ETAG_SUFFIX = '"'

/** The weak entity tag of `version`, e.g. `W/"3"`. */
export function etagOf(version: number): string {
  return `${ETAG_PREFIX}${version}${ETAG_SUFFIX}`
}

/**
 * Whether an If-Match / If-None-Match header value (RFC 7232 §3.1, §3.2: "*" or a list of
 * entity tags) names `version`. Tags compare weakly: `W/"3"` and `"3"` are the same version.
 */
export function etagListMatches(header: string, version: number): boolean {
  const current = etagOf(version)
  return header.split(',').some((tag) => {
    const trimmed = tag.trim()
    return trimmed === '*' || weakEqual(trimmed, current)
  })
}

function weakEqual(a: string, b: string): boolean {
  return a.replace(/^W\//, '') === b.replace(/^W\//, '')
}
