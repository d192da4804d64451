// The few HTML pages Rollcall serves itself (SSO start, callback results, local sign-in): one
// layout, every interpolated value escaped.
import type { FastifyReply } from 'fastify'

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/** A tagged template that escapes every interpolated value unless it is already Html. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    const rendered = Array.isArray(value)
      ? value.map((v) => (v instanceof Html ? v.text : escapeHtml(String(v)))).join('')
      : value instanceof Html
        ? value.text
        : value === undefined || value === null
          ? ''
          : escapeHtml(String(value))
    out += rendered + (strings[i + 1] ?? '')
  })
  return new Html(out)
}

export function page(title: string, body: Html): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Rollcall</title>
        <style>
          body {
            font:
              16px/1.5 system-ui,
              sans-serif;
            max-width: 44rem;
            margin: 3rem auto;
            padding: 0 1rem;
            color: #1d2430;
          }
          h1 {
            font-size: 1.5rem;
          }
          label {
            display: block;
            margin: 0.75rem 0 0.25rem;
          }
          input {
            font: inherit;
            padding: 0.4rem;
            width: 100%;
            box-sizing: border-box;
          }
          button {
            font: inherit;
            margin-top: 1rem;
            padding: 0.4rem 1rem;
          }
          .error {
            border-left: 4px solid #c62828;
            padding: 0.5rem 1rem;
            background: #fdecea;
          }
          .ok {
            border-left: 4px solid #2e7d32;
            padding: 0.5rem 1rem;
            background: #edf7ed;
          }
          table {
            border-collapse: collapse;
            width: 100%;
          }
          td,
          th {
            border: 1px solid #ccd;
            padding: 0.25rem 0.5rem;
            text-align: left;
            vertical-align: top;
            word-break: break-all;
          }
          code {
            background: #f3f4f6;
            padding: 0 0.2rem;
          }
        </style>
      </head>
      <body>
        <h1>${title}</h1>
        ${body}
      </body>
    </html> `.text
}

/**
 * Sends an HTML page, never cached. Its Content-Security-Policy (no script, the inline <style>
 * only, no framing) is the one of every response, set in app.ts.
 */
export function sendPage(
  reply: FastifyReply,
  status: number,
  title: string,
  body: Html,
): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page(title, body))
}
