export * from './envelope';
export * from './event-types';
export * from './topics';
export * from './pass-created/pass-created.event';
export * from './pass-updated/pass-updated.event';
export * from './pass-status-changed/pass-status-changed.event';
export * from './pass-scanned/pass-scanned.event';
export * from './client-created/client-created.event';
