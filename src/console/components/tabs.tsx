// WAI-ARIA tabs whose selection is part of the URL: arrow keys, Home and End move between them
// (and select), Tab goes into the panel.
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react'

export interface Tab {
  readonly key: string
  readonly label: string
}

export interface TabsProps {
  readonly label: string
  readonly tabs: readonly Tab[]
  readonly selected: string
  readonly onSelect: (key: string) => void
  readonly children: ReactNode
}

export function Tabs({ label, tabs, selected, onSelect, children }: TabsProps) {
  const id = useId()
  const refs = useRef(new Map<string, HTMLButtonElement>())
  const move = (event: KeyboardEvent, index: number) => {
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % tabs.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + tabs.length) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tabs.length - 1
              : undefined
    if (next === undefined) return
    event.preventDefault()
    const tab = tabs[next]
    if (!tab) return
    onSelect(tab.key)
    refs.current.get(tab.key)?.focus()
  }
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tablist">
        {tabs.map((tab, index) => (
          <button
            key={tab.key}
            ref={(element) => {
              if (element) refs.current.set(tab.key, element)
              else refs.current.delete(tab.key)
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${tab.key}`}
            aria-selected={tab.key === selected}
            aria-controls={`${id}-panel`}
            tabIndex={tab.key === selected ? 0 : -1}
            className="tab"
            onClick={() => onSelect(tab.key)}
            onKeyDown={(event) => move(event, index)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${id}-panel`}
        aria-labelledby={`${id}-tab-${selected}`}
        className="tabpanel"
        tabIndex={0}
      >
        {children}
      </div>
    </div>
  )
}
