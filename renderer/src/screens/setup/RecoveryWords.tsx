import { useState, type FormEvent } from 'react';
import { contract } from '@shared/ipc/contract';
import type { RecoveryStatus } from '@shared/domain/workspaces';
import type { AppError } from '@shared/result';
import { treasury } from '../../api';
import { FieldError } from '../../components/FieldError';
import { PassphraseField } from '../../components/PassphraseField';
import { ErrorState } from '../../components/States';
import { fieldIssues } from '../../forms/validation';

type Stage = 'ask' | 'show' | 'check';

/**
 * The recovery words, once: the passphrase is asked again, the words are shown numbered with what they are,
 * then three of them, at positions the engine picked, are typed back from the paper copy. Nothing goes on
 * until they match. The words live in this component's state only, and leave it when the check passes.
 */
export function RecoveryWordsStep({ recovery, onConfirmed }: { recovery: RecoveryStatus; onConfirmed(next: RecoveryStatus): void }) {
  const [stage, setStage] = useState<Stage>('ask');
  const [words, setWords] = useState<string[] | null>(null);
  return (
    <div className="stack" data-testid="recovery-step">
      <h1>Write down the recovery words</h1>
      {stage === 'ask' && (
        <RevealForm
          wordCount={recovery.wordCount}
          onRevealed={(revealed) => {
            setWords(revealed);
            setStage('show');
          }}
        />
      )}
      {stage === 'show' && words && (
        <>
          <WordsWarning />
          <ol className="recovery-words" data-testid="recovery-words">
            {words.map((word, index) => (
              <li key={index} data-testid={`recovery-word-${index + 1}`}>
                <span className="recovery-words__n">{index + 1}</span>
                <span className="recovery-words__w">{word}</span>
              </li>
            ))}
          </ol>
          <div className="actions">
            <button type="button" onClick={() => setStage('check')} data-testid="recovery-words-written">
              I have written them down on paper
            </button>
          </div>
        </>
      )}
      {stage === 'check' && words && (
        <CheckForm
          challenge={recovery.challenge}
          onBack={() => setStage('show')}
          onConfirmed={(next) => {
            setWords(null);
            onConfirmed(next);
          }}
        />
      )}
    </div>
  );
}

function WordsWarning() {
  return (
    <div className="callout callout--danger" role="note" data-testid="recovery-warning">
      <strong>Anyone who has these words controls every deposit address of this workspace.</strong>
      <ul className="plain-list">
        <li>Write them on paper, in order, with their numbers. Keep the paper where only the people who may move funds can reach it.</li>
        <li>Never photograph them, never type them into a computer, phone, e-mail or password manager.</li>
        <li>They are shown this once. After the check, Treasury does not show them again (Settings can save an encrypted backup).</li>
      </ul>
    </div>
  );
}

function RevealForm({ wordCount, onRevealed }: { wordCount: number; onRevealed(words: string[]): void }) {
  const [passphrase, setPassphrase] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const issue = fieldIssues(contract.system.revealRecoveryWords.request, { passphrase }).passphrase;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (issue) return;
    setPending(true);
    setError(null);
    const result = await treasury.system.revealRecoveryWords({ passphrase });
    setPending(false);
    // The passphrase is not kept past the call.
    setPassphrase('');
    if (result.ok) onRevealed(result.data.words);
    else setError(result.error);
  };
  return (
    <form className="stack stack--tight" onSubmit={(e) => void submit(e)}>
      <p className="muted">
        The seed behind every deposit address can be rebuilt from {wordCount} recovery words, should this workstation be lost. They
        are shown once, now, for you to write down on paper; then three of them are checked. Have paper and a pen ready, and make sure
        nobody is looking at the screen.
      </p>
      <PassphraseField label="Your passphrase, again" value={passphrase} onChange={setPassphrase} testId="recovery-passphrase" />
      {error && <ErrorState error={error} />}
      <div className="actions">
        <button type="submit" disabled={pending || !!issue} data-testid="recovery-reveal">
          {pending ? 'Opening the seed… (deriving the key takes a moment)' : 'Show the recovery words'}
        </button>
      </div>
    </form>
  );
}

function CheckForm(props: { challenge: number[]; onBack(): void; onConfirmed(next: RecoveryStatus): void }) {
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [wrong, setWrong] = useState<number[]>([]);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const request = { answers: props.challenge.map((position) => ({ position, word: answers[position] ?? '' })) };
  const valid = Object.keys(fieldIssues(contract.system.confirmRecoveryWords.request, request)).length === 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    setPending(true);
    setError(null);
    const result = await treasury.system.confirmRecoveryWords(request);
    setPending(false);
    if (result.ok) return props.onConfirmed(result.data);
    const positions = result.error.details?.wrongPositions;
    if (Array.isArray(positions) && positions.length > 0) {
      setWrong(positions as number[]);
      setError({ ...result.error, message: wrongWordsMessage(positions as number[]) });
    } else setError(result.error);
  };

  return (
    <form className="stack stack--tight" onSubmit={(e) => void submit(e)} data-testid="recovery-check">
      <p>
        From your paper copy, type words number {listPositions(props.challenge)}. The words are hidden now: this checks the copy on
        paper, not the screen.
      </p>
      <div className="recovery-check">
        {props.challenge.map((position) => (
          <label className="field" key={position}>
            <span>Word {position}</span>
            <input
              value={answers[position] ?? ''}
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              aria-invalid={wrong.includes(position)}
              aria-describedby={`recovery-check-${position}-error`}
              onChange={(e) => {
                setAnswers({ ...answers, [position]: e.target.value });
                setWrong(wrong.filter((p) => p !== position));
              }}
              data-testid={`recovery-check-${position}`}
              data-position={position}
            />
            <FieldError id={`recovery-check-${position}-error`} message={wrong.includes(position) ? `This is not word ${position}.` : undefined} />
          </label>
        ))}
      </div>
      {error && <ErrorState error={error} />}
      <div className="actions">
        <button type="button" className="secondary" onClick={props.onBack}>
          Show the words again
        </button>
        <button type="submit" disabled={pending || !valid} data-testid="recovery-check-submit">
          {pending ? 'Checking…' : 'Check the words'}
        </button>
      </div>
    </form>
  );
}

function listPositions(positions: number[]): string {
  return positions.length > 1 ? `${positions.slice(0, -1).join(', ')} and ${positions.at(-1)}` : String(positions[0] ?? '');
}

function wrongWordsMessage(positions: number[]): string {
  return positions.length === 1
    ? `Word ${positions[0]} does not match the recovery words. Check word ${positions[0]} on your paper copy and type it again.`
    : `Words ${listPositions(positions)} do not match the recovery words. Check them on your paper copy and type them again.`;
}
