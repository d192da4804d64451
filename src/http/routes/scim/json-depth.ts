// How deep a JSON text nests, found by one pass over the raw text before JSON.parse (issue #7):
// a 1 MB body can nest half a million levels, which parses but overflows the stack of every
// recursive walk after it (log redaction, validation).

/**
 * Whether `text` opens more than `maxDepth` arrays or objects inside one another. Counts `[` and
 * `{` outside strings (escapes inside strings are skipped); stops at the first level too deep.
 * Linear in the text and allocation-free; malformed JSON is left for JSON.parse to report.
 */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (inString) {
      if (code === BACKSLASH) i++
      else if (code === QUOTE) inString = false
    } else if (code === QUOTE) {
      inString = true
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      depth++
      if (depth > maxDepth) return true
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth--
    }
  }
  return false
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
