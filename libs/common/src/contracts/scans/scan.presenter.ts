import { BatchItemOutcome, ScanOutcome, ScanRecordView, UndoOutcome } from './scan.view';

/** The REST shapes of the scan routes: the `POST /scan` answer, batch items, and history records. */
export const ScanPresenter = {
  outcome: (outcome: ScanOutcome) => ({
    success: outcome.success,
    result: outcome.result,
    pass: outcome.pass,
    scan: outcome.scan,
  }),

  batchItem: (item: BatchItemOutcome) =>
    item.pass === null
      ? { nonce: item.nonce, success: false, result: item.result, error: item.error, pass: null, scan: null, replayed: false }
      : { nonce: item.nonce, ...ScanPresenter.outcome(item), replayed: item.replayed },

  record: (scan: ScanRecordView) => ({
    id: scan.id,
    passId: scan.passId,
    code: scan.code,
    holderName: scan.holderName,
    success: scan.success,
    result: scan.result,
    channel: scan.channel,
    method: scan.method,
    apiKeyId: scan.apiKeyId,
    nonce: scan.nonce,
    usagesCount: scan.usagesCount,
    passStatus: scan.passStatus,
    scannedAt: scan.scannedAt,
    recordedAt: scan.recordedAt,
    undoneAt: scan.undoneAt,
    undoReason: scan.undoReason,
  }),

  undo: (outcome: UndoOutcome) => ({ pass: outcome.pass, scan: outcome.scan }),
};
