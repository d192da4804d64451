// The document title of the page shown: "<page> · Rollcall".
import { useEffect } from 'react'

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Rollcall`
  }, [title])
}
