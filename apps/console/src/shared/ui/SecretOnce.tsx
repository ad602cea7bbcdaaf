import { useState } from 'react';
import { t } from '../../i18n';

/**
 * A secret shown once (an API key, a webhook signing secret): copy it, confirm it is stored, and
 * only then may it go (`onDone`).
 */
export function SecretOnce({
  secret,
  warning,
  storedLabel,
  testId,
  onDone,
}: {
  secret: string;
  warning: string;
  storedLabel: string;
  testId: string;
  onDone: () => void;
}) {
  const [stored, setStored] = useState(false);
  return (
    <div className="card stack secret" role="alert">
      <p>
        <strong>{warning}</strong>
      </p>
      <code className="secret-value" data-testid={testId}>
        {secret}
      </code>
      <div className="actions">
        <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(secret)}>
          {t.developers.copy}
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={stored} onChange={(change) => setStored(change.target.checked)} /> {storedLabel}
        </label>
        <button type="button" className="button primary" disabled={!stored} onClick={onDone}>
          {t.developers.done}
        </button>
      </div>
    </div>
  );
}
