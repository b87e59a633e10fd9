import { KYC_FILE_BASE64_MAX } from '@shared/ipc/channels/clients';
import { DENY_LIST_CSV_MAX } from '@shared/ipc/channels/policy';

/** Room for the JSON around the fields a channel carries (keys, ids, escapes). */
const ENVELOPE = 64 * 1024;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * The most bytes the host reads for one channel: 1 MiB, except the KYC uploads, which carry one or two
 * base64 files of up to 10 MiB each (the schema's own limit), so a document the engine accepts passes the door.
 */
const LIMITS: Readonly<Record<string, number>> = {
  'clients:kyc:addIdentityDocument': 2 * KYC_FILE_BASE64_MAX + ENVELOPE,
  'clients:kyc:addProofOfAddress': KYC_FILE_BASE64_MAX + ENVELOPE,
  // a deny list's CSV; JSON escapes (quotes, line ends) can double its size
  'policy:denyListImport': 2 * DENY_LIST_CSV_MAX + ENVELOPE,
  'clients:kyb:addCompanyDocument': KYC_FILE_BASE64_MAX + ENVELOPE,
};

export function bodyLimit(channel: string): number {
  return Object.hasOwn(LIMITS, channel) ? LIMITS[channel]! : DEFAULT_BODY_LIMIT;
}
