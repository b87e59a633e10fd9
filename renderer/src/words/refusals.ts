import type { AppError, ErrorCode } from '@shared/result';

/**
 * The one translation from the engine's refusals to the officer's words: codes and zod issue paths in,
 * sentences out. Codes never lead a message; they stay in a small line for support.
 */

/** Request fields as the forms label them (the last path segment, or the whole path where it is ambiguous). */
export const FIELD_LABELS: Record<string, string> = {
  legalName: 'Legal name',
  dateOfBirth: 'Date of birth',
  nationality: 'Nationality',
  email: 'Email',
  phone: 'Phone',
  line1: 'Street and number',
  line2: 'Address line 2',
  city: 'City',
  postalCode: 'Postal code',
  country: 'Country',
  'address.country': 'Country of residence',
  'taxId.kind': 'Tax ID type',
  'taxId.value': 'Tax ID number',
  'taxId.country': 'Tax ID country',
  taxId: 'Tax ID',
  identityDocument: 'identity document',
  proofOfAddress: 'proof of address',
  clientId: 'Client',
  walletId: 'Wallet',
  fromWalletId: 'From wallet',
  toWalletId: 'To wallet',
  assetId: 'Asset',
  amount: 'Amount',
  destination: 'Destination address',
  address: 'Address',
  label: 'Label',
  alias: 'Name',
  chain: 'Chain',
  reason: 'Reason',
  memo: 'Note',
  holderName: 'Account holder',
  iban: 'IBAN',
  bic: 'BIC',
  clabe: 'CLABE',
  routingNumber: 'Routing number',
  accountNumber: 'Account number',
  accountType: 'Account type',
  keyType: 'Pix key type',
  key: 'Pix key',
  cbu: 'CBU',
  rail: 'Payment rail',
  currency: 'Currency',
  rpcUrl: 'Node URL',
  passphrase: 'Passphrase',
  operator: 'Operator name',
  name: 'Name',
  role: 'Role',
  type: 'Document type',
  number: 'Document number',
  issuingCountry: 'Issuing country',
  expiresOn: 'Expiry date',
  issuedOn: 'Issue date',
  front: 'Front of the document',
  back: 'Back of the document',
  file: 'File',
  evidence: 'Evidence',
  rate: 'Rate',
  fee: 'Fee',
  reference: 'Bank reference',
  beneficiary: 'Beneficiary',
  threshold: 'Threshold',
  limit: 'Limit',
  folders: 'Backup folders',
  intervalMinutes: 'Backup interval',
};

export function fieldLabel(path: string): string {
  if (path === '') return 'This form';
  if (FIELD_LABELS[path]) return FIELD_LABELS[path];
  const last = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  return FIELD_LABELS[last] ?? sentenceCase(splitCamel(last));
}

function splitCamel(word: string): string {
  return word.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** "Tax ID" stays "Tax ID" inside a sentence, "Legal name" becomes "legal name". */
function lowerFirst(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** camelCase request names inside an engine sentence ("missing: identityDocument") read as the form's labels. */
export function inOfficerWords(text: string): string {
  return text.replace(/\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/g, (word) => lowerFirst(FIELD_LABELS[word] ?? splitCamel(word)));
}

/** Text a library wrote for developers, never shown as is. */
const LIBRARY_PHRASE = /^(Invalid input|Invalid option|Invalid string|Invalid ISO|Invalid email|Invalid URL|Invalid url|Invalid date|Too small|Too big|Unrecognized key|Expected |Required$)|expected \w+, received/;

export function isLibraryPhrase(message: string): boolean {
  return LIBRARY_PHRASE.test(message);
}

/**
 * One zod issue (as the engine or the form's own schema reports it) as a sentence about its field. A
 * message the codebase wrote (a refinement's) is kept, in the form's words; the library's own are rewritten.
 */
export function issueSentence(path: string, message: string, code?: string): string {
  if (!isLibraryPhrase(message)) return sentenceCase(ensureStop(inOfficerWords(message)));
  const label = fieldLabel(path);
  const lower = lowerFirst(label);
  const kind = zodKind(message) ?? code;
  switch (kind) {
    case 'invalid_type':
      return /received undefined|received null/.test(message) ? `Fill in ${lower}.` : `${label} is not in a form the app accepts; type it again.`;
    case 'too_small': {
      const n = /(\d+)/.exec(message)?.[1];
      if (/number|bigint/.test(message)) return `${label} must be greater than zero.`;
      if (/array/.test(message)) return `Add at least ${n ?? 'one'} ${lower}.`;
      return n && n !== '1' ? `${label} needs at least ${n} characters.` : `Fill in ${lower}.`;
    }
    case 'too_big': {
      const n = /(\d+)/.exec(message)?.[1];
      if (/exactly/.test(message)) return `${label} must be exactly ${n} characters.`;
      return n ? `${label} is too long: at most ${n} characters.` : `${label} is too large.`;
    }
    case 'invalid_format':
      if (/email/i.test(message)) return 'Enter an email address like name@example.com.';
      if (/date/i.test(message)) return `${label} must be a date; pick it from the calendar.`;
      if (/url/i.test(message)) return `${label} must be a web address starting with https://.`;
      return `${label} is not in the expected format; check it for typing mistakes.`;
    case 'invalid_value':
      return `Choose ${lower} from the list.`;
    case 'unrecognized_keys':
      return 'The form sent something the app does not expect; close it and open it again.';
    default:
      return `Check ${lower}.`;
  }
}

function zodKind(message: string): string | undefined {
  if (/^Invalid input: expected/.test(message)) return 'invalid_type';
  if (/^Too small/.test(message)) return 'too_small';
  if (/^Too big/.test(message)) return 'too_big';
  if (/^Invalid (email|string|ISO|URL|url)|^Invalid date/.test(message)) return 'invalid_format';
  if (/^Invalid option/.test(message)) return 'invalid_value';
  if (/^Unrecognized key/.test(message)) return 'unrecognized_keys';
  return undefined;
}

/** What to do next, per refusal, where the engine's sentence does not already say it. */
const ADVICE: Partial<Record<ErrorCode, string>> = {
  forbidden: 'Your role does not allow this. Ask an operator with the right role (an admin can see who).',
  unauthenticated: 'Sign in again to continue.',
  locked: 'Unlock the app with your passphrase, then try again.',
  conflict: 'Someone changed this in the meantime. Reload the screen and try again.',
  not_found: 'It may have been removed or belong to another workspace. Reload the screen.',
  insufficient_funds: 'Lower the amount, or wait until pending movements settle.',
  insufficient_holding: 'Top up the holding wallet on this chain first, or lower the amount.',
  inactive_wallet: 'Choose an active wallet.',
  asset_mismatch: 'Choose an asset on the wallet’s own chain.',
  idempotency_conflict: 'This request was already sent with other content. Close the dialog and start again.',
  invalid_address: 'Copy the address again from its source; a single wrong character changes it.',
  invalid_amount: 'Type the amount in the asset’s units, like 1250.50.',
  chain_unavailable: 'The node did not answer. Check the chain’s endpoint in Settings, then try again.',
  device: 'Check that the Ledger is connected, unlocked and has the right app open.',
  limit_exceeded: 'Lower the amount, or ask an admin about the limit.',
  kyc_incomplete: 'Add what is missing on the client’s page, then submit again.',
  kyc_not_verified: 'The client’s KYC must be verified first.',
  no_active_wallet: 'Give the client a wallet on this chain first.',
  no_verified_bank_account: 'Add a bank account to the client and have it verified.',
  ramp_not_configured: 'An admin sets this up in Settings → Ramps.',
  maker_checker: 'Another operator must do this step (four eyes).',
  client_suspended: 'The client is suspended; reactivate them first.',
  recipient_kyc_not_verified: 'The receiving client’s KYC must be verified first.',
  recipient_not_allowed: 'Add the destination to the address book and have it approved.',
  destination_pending_approval: 'Another operator must approve this address in the address book.',
  destination_time_locked: 'New addresses can be used once their waiting period ends.',
  velocity_exceeded: 'Try again later, or ask an admin about the limits.',
  unsupported_file_type: 'Upload a PDF, JPEG or PNG file.',
  file_too_large: 'Upload a smaller scan (compress it or lower its resolution).',
  database_unavailable: 'The database server is not answering. Check it is running, then try again.',
  lease_lost: 'Another workstation took over this chain. Reload the screen.',
  wrong_network: 'Open the workspace of the right network.',
  internal: 'Something went wrong inside the app. Try again; if it happens again, contact support with the reference below.',
};

/** Codes in the officer's words, for refusals whose message is missing or not written for people. */
const FALLBACK: Partial<Record<ErrorCode, string>> = {
  validation: 'Some fields need attention.',
  forbidden: 'You are not allowed to do this.',
  unauthenticated: 'You are signed out.',
  conflict: 'This changed while you were working on it.',
  not_found: 'This could not be found.',
  internal: 'The app could not finish this.',
};

export interface OfficerRefusal {
  /** The main sentence. */
  message: string;
  /** What to do next, if the main sentence does not say it. */
  advice?: string;
  /** Per field sentences (a validation refusal), by request path. */
  fields: Record<string, string>;
  /** For support only: the code, shown small. */
  reference: string;
}

interface IssueDetail {
  path?: unknown;
  message?: unknown;
}

export function explainRefusal(error: AppError): OfficerRefusal {
  const fields: Record<string, string> = {};
  const issues = Array.isArray(error.details?.issues) ? (error.details.issues as IssueDetail[]) : [];
  for (const issue of issues) {
    const path = typeof issue.path === 'string' ? issue.path : Array.isArray(issue.path) ? issue.path.join('.') : '';
    fields[path] ??= issueSentence(path, typeof issue.message === 'string' ? issue.message : '');
  }
  if (typeof error.details?.field === 'string' && !fields[error.details.field]) fields[error.details.field] = inOfficerWords(error.message);
  let message = readable(error.message) ? inOfficerWords(error.message) : (FALLBACK[error.code] ?? 'The app could not do this.');
  const sentences = Object.entries(fields);
  if (error.code === 'validation' && sentences.length > 0 && /request is not valid/i.test(error.message)) {
    message = sentences.length === 1 ? sentences[0]![1] : 'Some fields need attention:';
  }
  const advice = ADVICE[error.code];
  return { message: ensureStop(message), advice: advice && !message.includes(advice) ? advice : undefined, fields, reference: error.code };
}

/** A refusal message is readable when it is a sentence, not a code, a library phrase or a stack. */
function readable(message: string): boolean {
  const m = message.trim();
  if (m === '' || /^[a-z_]+$/.test(m) || isLibraryPhrase(m) || /\n\s+at /.test(m)) return false;
  return true;
}

function ensureStop(text: string): string {
  return /[.!?:…]$/.test(text) ? text : `${text}.`;
}
