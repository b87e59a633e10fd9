import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>: the browser keeps focus inside it and Escape closes it. The first
 * field takes focus when it opens.
 */
export function Dialog(props: { title: string; onClose(): void; children: ReactNode; testId?: string; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>('input, select, textarea, button:not(.dialog__close)');
    first?.focus();
  }, []);
  return (
    <dialog
      ref={ref}
      className={props.wide ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby="dialog-title"
      data-testid={props.testId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <header className="dialog__header">
        <h2 id="dialog-title">{props.title}</h2>
        <button type="button" className="dialog__close ghost" aria-label="Close" onClick={props.onClose}>
          ×
        </button>
      </header>
      {props.children}
    </dialog>
  );
}
