import QRCode from 'qrcode';

/**
 * The QR code of a pass encodes its code, nothing else, so any scanner reads what staff would type.
 * Error correction Q survives a scuffed phone screen or a crumpled print-out; a quiet zone of 4
 * modules is what the QR standard asks for and what door scanners need.
 */
const QR_OPTIONS = { errorCorrectionLevel: 'Q', margin: 4 } as const;

export function passQrSvg(code: string): Promise<string> {
  return QRCode.toString(code, { ...QR_OPTIONS, type: 'svg', color: { dark: '#000000', light: '#ffffff' } });
}

/** A PNG for email clients, which do not render inline SVG. */
export function passQrPng(code: string, width = 320): Promise<Buffer> {
  return QRCode.toBuffer(code, { ...QR_OPTIONS, type: 'png', width });
}
