export class PassScannedKey {
  passId: string;
}

export type ScanResult = 'success' | 'revoked' | 'already_used' | 'not_yet_valid' | 'expired' | 'max_usages_reached';

/** A flat scan record, the shape `/triggers?event=pass.scanned` returns. */
export interface PassScannedValue {
  id: string;
  passId: string;
  code: string;
  passName: string | null;
  passType: 'single' | 'multi';
  success: boolean;
  result: ScanResult;
  usagesCount: number;
  maxUsages: number | null;
  passStatus: string;
  scannedAt: string;
}
