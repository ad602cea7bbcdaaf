export * from './html';
export * from './pass-display';
export * from './qr';
export * from './wallet-links';
