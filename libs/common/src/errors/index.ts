export * from './domain-error';
export * from './error-mapping';
export * from './refusal';
