// Loads something from the API for a component: loading, loaded or failed, reload() and
// update() (after a change the server confirmed). An answer that arrives after the
// component moved on (unmounted, or deps changed) is dropped.
import { useCallback, useEffect, useState } from 'react'
import { messageOf } from './api/client.ts'

export type Resource<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly value: T }
  | { readonly kind: 'failed'; readonly message: string }

export interface ResourceControls<T> {
  /** Loads again, keeping what is shown until the answer comes. */
  readonly reload: () => void
  /** Changes what is shown (after a change the server confirmed) without asking it again. */
  readonly update: (change: (value: T) => T) => void
}

export function useResource<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): [Resource<T>, ResourceControls<T>] {
  const [state, setState] = useState<Resource<T>>({ kind: 'loading' })
  const [round, setRound] = useState(0)

  useEffect(() => {
    let isCurrent = true
    load().then(
      (value) => isCurrent && setState({ kind: 'loaded', value }),
      (error: unknown) => isCurrent && setState({ kind: 'failed', message: messageOf(error) }),
    )
    return () => {
      isCurrent = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps say when to reload
  }, [round, ...deps])

  const reload = useCallback(() => {
    setState((current) => (current.kind === 'failed' ? { kind: 'loading' } : current))
    setRound((r) => r + 1)
  }, [])
  const update = useCallback(
    (change: (value: T) => T) =>
      setState((current) =>
        current.kind === 'loaded' ? { kind: 'loaded', value: change(current.value) } : current,
      ),
    [],
  )
  return [state, { reload, update }]
}
