export * from './html';
export * from './pass-display';
export * from './qr';
