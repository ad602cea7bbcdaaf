import type { SyncReport } from '../lib/door-session';
import { doorText } from '../strings';

/** After each sync: every offline scan the server refused, e.g. one pass used on two phones while both were offline. */
export function SyncReportPanel({ report }: { report: SyncReport }) {
  return (
    <section className="door-report" data-testid="sync-report" aria-label={doorText.syncReport}>
      <h2>{doorText.syncReport}</h2>
      <p>{doorText.refusedAfterSync(report.refused.length)}</p>
      <ul>
        {report.refused.map((scan) => (
          <li key={scan.nonce} data-testid="refused-scan" data-server-result={scan.serverResult}>
            {doorText.refusedLine(
              scan.holderName ?? null,
              scan.result,
              scan.serverResult ?? '?',
              new Date(scan.scannedAt).toLocaleTimeString(),
            )}
          </li>
        ))}
      </ul>
      {(report.undoRefused ?? []).length > 0 && (
        <ul>
          {report.undoRefused.map((scan) => (
            <li key={`undo-${scan.nonce}`} data-testid="refused-undo" data-refusal={scan.undo?.refusal}>
              {doorText.undoRefusedLine(scan.holderName ?? null, new Date(scan.scannedAt).toLocaleTimeString(), scan.undo?.refusal ?? '?')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
