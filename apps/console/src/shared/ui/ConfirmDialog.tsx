import { KeyboardEvent, ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { t } from '../../i18n';

interface ConfirmRequest {
  message: string;
  confirmLabel: string;
  resolve: (confirmed: boolean) => void;
}

/**
 * An in-page confirmation for destructive actions, instead of window.confirm: a modal <dialog>
 * (the rest of the page is inert), labelled by its question, with focus on Cancel, Tab kept inside,
 * Escape for Cancel, and focus back on the button that opened it.
 */
export function ConfirmDialog({
  message,
  confirmLabel,
  onClose,
}: {
  message: string;
  confirmLabel: string;
  onClose: (confirmed: boolean) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const messageId = useId();

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    cancel.current?.focus();
    return () => {
      if (element?.open) element.close();
      opener?.focus();
    };
  }, []);

  const keepFocusInside = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>('button:not([disabled])')];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={messageId}
      data-testid="confirm-dialog"
      onKeyDown={keepFocusInside}
      onCancel={(event) => {
        // Escape: the browser would close the dialog itself; close it through React instead.
        event.preventDefault();
        onClose(false);
      }}
    >
      <p id={messageId} className="confirm-dialog__message">
        {message}
      </p>
      <div className="confirm-dialog__actions">
        <button ref={cancel} type="button" className="button secondary" onClick={() => onClose(false)}>
          {t.app.cancel}
        </button>
        <button type="button" className="button danger" onClick={() => onClose(true)}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/**
 * `const { confirm, dialog } = useConfirm()`: `await confirm(message, label)` opens the dialog and
 * answers whether the person confirmed; render `{dialog}` once in the component.
 */
export function useConfirm(): { confirm: (message: string, confirmLabel: string) => Promise<boolean>; dialog: ReactNode } {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const confirm = useCallback(
    (message: string, confirmLabel: string) => new Promise<boolean>((resolve) => setRequest({ message, confirmLabel, resolve })),
    [],
  );
  const dialog = request ? (
    <ConfirmDialog
      message={request.message}
      confirmLabel={request.confirmLabel}
      onClose={(confirmed) => {
        request.resolve(confirmed);
        setRequest(null);
      }}
    />
  ) : null;
  return { confirm, dialog };
}
