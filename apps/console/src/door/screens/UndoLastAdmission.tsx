import { FormEvent, KeyboardEvent, useEffect, useRef, useState } from 'react';
import { ApiAnswerError, DeviceRevokedError, OfflineError } from '../lib/door-api';
import type { DoorSession, LastAdmission } from '../lib/door-session';
import { doorText } from '../strings';

/**
 * "Undo last admission": takes back this device's last admission with a reason (the wrong ticket
 * was scanned, the guest turned back). The server lowers the pass's count and audit-logs the undo
 * with the reason; a later admission of the same pass elsewhere makes it refuse (409). An offline
 * admission is undone on the device at once, and on the server at the next sync.
 */
export function UndoLastAdmission({
  session,
  last,
  onUndone,
  onRevoked,
}: {
  session: DoorSession;
  last: LastAdmission | null;
  onUndone: (undone: LastAdmission) => void;
  onRevoked: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    setReason('');
    setError(null);
    opener.current?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return setError(doorText.undoReasonMissing);
    setBusy(true);
    setError(null);
    try {
      const undone = await session.undoLastAdmission(reason.trim());
      setDone(doorText.undone(undone.holderName ?? undone.passName, undone.scanId === null));
      setOpen(false);
      setReason('');
      onUndone(undone);
    } catch (failure) {
      if (failure instanceof DeviceRevokedError) return onRevoked();
      if (failure instanceof OfflineError) setError(doorText.undoOffline);
      else if (failure instanceof ApiAnswerError) setError(doorText.undoRefused[failure.code ?? ''] ?? failure.message);
      else setError(String((failure as Error).message ?? failure));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') close();
  };

  return (
    <section className="door-undo" aria-label={doorText.undo}>
      {!open && (
        <button
          ref={opener}
          type="button"
          data-testid="undo-open"
          disabled={!last}
          onClick={() => {
            setDone(null);
            setOpen(true);
          }}
        >
          {doorText.undo}
          {last ? ` (${last.holderName ?? last.passName ?? last.code})` : ''}
        </button>
      )}
      {open && last && (
        <form onSubmit={(event) => void submit(event)} onKeyDown={onKeyDown} data-testid="undo-form">
          <p id="undo-what">{doorText.undoWhat(last.holderName ?? last.passName, new Date(last.at).toLocaleTimeString())}</p>
          <label htmlFor="undo-reason">{doorText.undoReason}</label>
          <input
            id="undo-reason"
            ref={input}
            data-testid="undo-reason"
            value={reason}
            maxLength={500}
            aria-required="true"
            aria-describedby="undo-what"
            aria-invalid={error ? true : undefined}
            onChange={(event) => setReason(event.target.value)}
            autoComplete="off"
          />
          <div className="door-undo__actions">
            <button type="submit" data-testid="undo-confirm" disabled={busy}>
              {doorText.undoConfirm}
            </button>
            <button type="button" onClick={close}>
              {doorText.cancel}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="door-problem" role="alert" data-testid="undo-error">
          {error}
        </p>
      )}
      {done && (
        <p className="door-note" role="status" data-testid="undo-done">
          {done}
        </p>
      )}
    </section>
  );
}
