import type { ApplePassFile } from '@passway/common';
import type { Response } from 'express';

export const PKPASS_MIME_TYPE = 'application/vnd.apple.pkpass';

/** HTTP dates have whole seconds: Last-Modified is the change time rounded down. */
export function lastModifiedSeconds(iso: string): number {
  return Math.floor(new Date(iso).getTime() / 1000);
}

export function sendPkpass(res: Response, file: ApplePassFile, disposition: 'attachment' | 'inline' = 'attachment'): void {
  const body = Buffer.from(file.pkpass, 'base64');
  res.setHeader('Content-Type', PKPASS_MIME_TYPE);
  res.setHeader('Content-Disposition', `${disposition}; filename="pass.pkpass"`);
  res.setHeader('Last-Modified', new Date(lastModifiedSeconds(file.lastModified) * 1000).toUTCString());
  res.setHeader('Cache-Control', 'no-store');
  res.status(200).send(body);
}
