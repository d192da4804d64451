// How commands print: --json output is pretty-printed JSON (two-space indent) on stdout.

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2)
}
