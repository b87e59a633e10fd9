import type { PostalAddress } from '@shared/domain/clients';
import { countryName } from '@shared/reference/countries';

/** The address fields of a client form (residential or registered), as typed. */
export interface AddressDraft {
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export function addressDraftOf(address: PostalAddress | null | undefined): AddressDraft {
  return {
    line1: address?.line1 ?? '',
    line2: address?.line2 ?? '',
    city: address?.city ?? '',
    region: address?.region ?? '',
    postalCode: address?.postalCode ?? '',
    country: address?.country ?? '',
  };
}

const opt = (v: string) => (v.trim() === '' ? undefined : v.trim());

/** What the engine takes: nothing while the address is untouched, so a draft can be saved early. */
export function addressRequestOf(d: AddressDraft): PostalAddress | undefined {
  const started = [d.line1, d.city, d.country].some((v) => v.trim() !== '');
  return started ? { line1: d.line1, line2: opt(d.line2), city: d.city, region: opt(d.region), postalCode: opt(d.postalCode), country: d.country } : undefined;
}

/** One line for a card: street, postal code and city, region, the country by name. */
export function formatPostalAddress(a: PostalAddress): string {
  return [a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(' '), a.region, countryName(a.country)].filter(Boolean).join(', ');
}
