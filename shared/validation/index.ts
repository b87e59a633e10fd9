/** Validation shared by the renderer's forms and the engine: one rule, one refusal, on both sides. */
export * from './tax-id';
export * from './bank-account';
export * from './person';
export * from './schemas';
export * from './text';
export * from './business';
