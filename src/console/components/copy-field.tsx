// A value to copy somewhere else (a URL, a DNS record): its label, the value, a copy button and a
// hint that says where it goes.
import { useId, type ReactNode } from 'react'
import { CopyButton } from './copy-button.tsx'

export interface CopyFieldProps {
  readonly label: string
  readonly value: string
  readonly hint?: ReactNode
  /** For tests and links: data-field on the value. */
  readonly name?: string
}

export function CopyField({ label, value, hint, name }: CopyFieldProps) {
  const id = useId()
  return (
    <div className="copy-field">
      <div className="copy-field-label" id={`${id}-label`}>
        {label}
      </div>
      <div className="copy-field-row">
        <code className="copy-field-value" aria-labelledby={`${id}-label`} data-field={name}>
          {value}
        </code>
        <CopyButton value={value} label={label} />
      </div>
      {hint ? <div className="hint">{hint}</div> : null}
    </div>
  )
}
