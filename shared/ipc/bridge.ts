import type { Contract } from './contract';
import type { RequestOf, ResponseOf } from './define';
import type { EngineEvent } from './events';
import type { Result } from '../result';

/** The object preload exposes as `window.treasury`, and the host bridge mirrors: one method per channel. */
export type TreasuryApi = {
  [A in keyof Contract]: {
    [M in keyof Contract[A]]: (request: RequestOf<Contract[A][M]>) => Promise<Result<ResponseOf<Contract[A][M]>>>;
  };
} & {
  onEvent(listener: (event: EngineEvent) => void): () => void;
};
