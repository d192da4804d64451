// The three states every page has besides its content: loading, failed (the problem's detail and
// a retry), and empty.
import type { ReactNode } from 'react'

export function Loading({ what }: { readonly what: string }) {
  return (
    <p className="state loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  )
}

export function Failed({
  message,
  onRetry,
}: {
  readonly message: string
  readonly onRetry?: () => void
}) {
  return (
    <div className="notice error" role="alert">
      <p>{message}</p>
      {onRetry ? (
        <button type="button" className="button small" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  )
}

export function Empty({
  title,
  children,
}: {
  readonly title: string
  readonly children: ReactNode
}) {
  return (
    <div className="state empty">
      <p className="empty-title">{title}</p>
      <div>{children}</div>
    </div>
  )
}

/** A one-line outcome of an action, announced politely (success) or at once (error). */
export function Notice({
  kind,
  children,
}: {
  readonly kind: 'ok' | 'error'
  readonly children: ReactNode
}) {
  return (
    <div className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  )
}
