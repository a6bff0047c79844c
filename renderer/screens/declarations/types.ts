import type { OutputOf } from '../../api/client';

export type DeclarationItem = OutputOf<'declarations.list'>['items'][number];
/** What create, update, finalize, sign and countersign return: the declaration with its events, public data only. */
export type DeclarationView = OutputOf<'declarations.create'>;
