/** Regions ICU names that are not countries a document or a person belongs to. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ', 'AA', 'QM', 'QN', 'QP', 'QQ', 'QR', 'QS', 'QT', 'QU', 'QV', 'QW', 'QX', 'QY', 'QZ', 'XC', 'XD', 'XE', 'XF', 'XG', 'XH', 'XI', 'XJ', 'XL', 'XM', 'XN', 'XO', 'XP', 'XQ', 'XR', 'XS', 'XT', 'XU', 'XV', 'XW', 'XX', 'XY', 'XZ']);

/** Every ISO 3166 country the browser can name, by name, built once. */
const COUNTRIES: Array<{ code: string; name: string }> = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const list: Array<{ code: string; name: string }> = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code)) continue;
      const name = names.of(code);
      if (name && name !== code) list.push({ code, name });
    }
  }
  return list.sort((x, y) => x.name.localeCompare(y.name));
})();

/** A country by name (its ISO code is what is sent): nothing typed can be cut short. */
export function CountrySelect(props: { value: string; onChange(code: string): void; testId?: string; invalid?: boolean; describedBy?: string; optional?: boolean }) {
  const value = props.value.trim().toUpperCase();
  const known = value === '' || COUNTRIES.some((c) => c.code === value);
  return (
    <select value={value} onChange={(e) => props.onChange(e.target.value)} aria-invalid={props.invalid} aria-describedby={props.describedBy} data-testid={props.testId}>
      <option value="">{props.optional ? '—' : 'Choose a country…'}</option>
      {!known && <option value={value}>{value}</option>}
      {COUNTRIES.map((c) => (
        <option key={c.code} value={c.code}>
          {c.name}
        </option>
      ))}
    </select>
  );
}

// One naming of countries for forms and pages alike.
export { countryName } from '@shared/reference/countries';
