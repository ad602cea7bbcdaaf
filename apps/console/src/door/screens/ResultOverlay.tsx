import type { ScanOutcome } from '../lib/door-session';
import { toneOf } from '../lib/feedback';
import { doorText } from '../strings';

const ICONS = { admit: '✓', warn: '!', refuse: '✕', unknown: '?' } as const;

/** Full-screen verdict: colour, icon and word together, never green before a decision. */
export function ResultOverlay({ outcome, onDismiss }: { outcome: ScanOutcome; onDismiss: () => void }) {
  const tone = outcome.verdict === 'event_suspended' ? 'paused' : toneOf(outcome.verdict);
  const window =
    outcome.verdict === 'not_yet_valid' || outcome.verdict === 'expired' ? doorText.validWindow(outcome.validFrom, outcome.validUntil) : '';
  return (
    <section
      className={`door-result door-result--${tone}`}
      data-testid="result"
      data-verdict={outcome.verdict}
      data-offline={outcome.offline}
      onClick={onDismiss}
      role="alert"
    >
      <div className="door-result__icon" aria-hidden="true">
        {ICONS[toneOf(outcome.verdict)]}
      </div>
      <h2 className="door-result__verdict">{doorText.verdicts[outcome.verdict]}</h2>
      {outcome.holderName && (
        <p className="door-result__name" data-testid="result-name">
          {outcome.holderName}
        </p>
      )}
      {(outcome.passName || outcome.passType) && (
        <p className="door-result__pass">
          {[outcome.passName, outcome.passType === 'multi' ? 'multi-use pass' : outcome.passType === 'single' ? 'single-use pass' : null]
            .filter(Boolean)
            .join(' · ')}
        </p>
      )}
      {outcome.passType === 'multi' && outcome.usagesCount !== null && (
        <p className="door-result__uses" data-testid="result-uses">
          {doorText.uses(outcome.usagesCount, outcome.maxUsages)}
        </p>
      )}
      <p className="door-result__reason" data-testid="result-reason">
        {doorText.reasons[outcome.verdict]} {window}
      </p>
      {outcome.offline && <p className="door-result__tag">{doorText.offlineTag}</p>}
    </section>
  );
}
