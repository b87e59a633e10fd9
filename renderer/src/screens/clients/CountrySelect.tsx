import { useState } from 'react';
import { COUNTRIES, countryReference } from '@shared/reference/countries';
import { FieldError } from '../../components/FieldError';

const OTHER = '__other';

/**
 * A country from the reference data by name; a country it does not list is typed as its two-letter code
 * (it then gets the generic identification rules).
 */
export function CountrySelect(props: { label: string; value: string; onChange(code: string): void; testId: string; error?: string }) {
  const listed = props.value === '' || !!countryReference(props.value);
  const [other, setOther] = useState(!listed);
  return (
    <label className="field">
      <span>{props.label}</span>
      <select
        value={other ? OTHER : props.value.toUpperCase()}
        onChange={(e) => {
          const isOther = e.target.value === OTHER;
          setOther(isOther);
          props.onChange(isOther ? '' : e.target.value);
        }}
        aria-invalid={!!props.error}
        data-testid={props.testId}
      >
        <option value="">Choose a country…</option>
        {COUNTRIES.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
        <option value={OTHER}>Another country…</option>
      </select>
      {other && (
        <input
          value={props.value}
          maxLength={2}
          placeholder="Two-letter code, e.g. FR"
          aria-label={`${props.label}: two-letter code`}
          onChange={(e) => props.onChange(e.target.value.toUpperCase())}
          data-testid={`${props.testId}-code`}
        />
      )}
      <FieldError id={`${props.testId}-error`} message={props.error} />
    </label>
  );
}
