/** A field's validation message, tied to its input by id for screen readers. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <small id={id} className="field__error" role="status">
      {message}
    </small>
  );
}
