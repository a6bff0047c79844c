import type { OutputOf } from '../../api/client';

export type KeyView = OutputOf<'keys.list'>['keys'][number];
