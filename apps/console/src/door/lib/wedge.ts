/**
 * A keyboard-wedge scanner types the code and presses Enter. Keys are buffered until Enter,
 * unless the person is typing into a field of the page (the manual entry box handles itself).
 */
export function listenForWedge(onCode: (code: string) => void): () => void {
  let buffer = '';
  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
    if (event.key === 'Enter') {
      if (buffer.length > 0) onCode(buffer);
      buffer = '';
    } else if (event.key.length === 1) {
      buffer = (buffer + event.key).slice(-128);
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
