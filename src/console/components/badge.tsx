// A short status word with a colour that is never the only signal (the word is there).
export function Badge({
  tone,
  children,
}: {
  readonly tone: 'ok' | 'pending' | 'error' | 'neutral'
  readonly children: string
}) {
  return <span className={`badge ${tone}`}>{children}</span>
}
