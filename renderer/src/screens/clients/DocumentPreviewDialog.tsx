import { useEffect, useState } from 'react';
import type { KycFileView } from '@shared/domain/clients';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorState, Loading } from '../../components/States';
import { downloadFile, fromBase64 } from '../../download';

const EXTENSION: Record<KycFileView['mediaType'], string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/**
 * A KYC scan shown inside the app: the engine opens the sealed file (and audits the viewing), the window holds
 * it only as a blob URL for as long as the dialog is open.
 */
export function DocumentPreviewDialog(props: { clientId: string; clientName: string; title: string; file: KycFileView; onClose(): void }) {
  const [url, setUrl] = useState<string | null>(null);
  const [bytes, setBytes] = useState<Uint8Array<ArrayBuffer> | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    let created: string | null = null;
    let live = true;
    void treasury.clients.documentFile({ clientId: props.clientId, sha256: props.file.sha256 }).then((result) => {
      if (!live) return;
      if (!result.ok) return setError(result.error);
      const content = fromBase64(result.data.base64);
      created = URL.createObjectURL(new Blob([content], { type: result.data.mediaType }));
      setBytes(content);
      setUrl(created);
    });
    return () => {
      live = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [props.clientId, props.file.sha256]);

  const pdf = props.file.mediaType === 'application/pdf';
  const fileName = `${props.clientName} - ${props.title}.${EXTENSION[props.file.mediaType]}`;
  return (
    <Dialog title={`${props.title} · ${props.clientName}`} onClose={props.onClose} testId="document-preview" wide>
      <div className="stack dialog__body">
        {error && <ErrorState error={error} />}
        {!error && !url && <Loading what="the document" />}
        {url && pdf && <iframe className="document-preview" src={url} title={props.title} data-testid="document-preview-pdf" />}
        {url && !pdf && <img className="document-preview document-preview--image" src={url} alt={props.title} data-testid="document-preview-image" />}
        <p className="muted small">
          {pdf ? 'PDF' : props.file.mediaType === 'image/png' ? 'PNG image' : 'JPEG image'} · {formatSize(props.file.size)} · opening it is recorded on the audit trail.
        </p>
        <div className="actions">
          {bytes && (
            <button type="button" className="secondary" onClick={() => downloadFile(bytes, fileName, props.file.mediaType)} data-testid="document-preview-download">
              Download
            </button>
          )}
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
