import { DeclarationList } from './DeclarationList';
import { DetailsView } from './DetailsView';
import { Wizard } from './Wizard';

/** `#/declarations` lists, `#/declarations/new` creates, `#/declarations/<uuid>` shows one. */
export function DeclarationsScreen({ param }: { param: string | undefined }) {
  if (param === 'new') return <Wizard />;
  if (param) return <DetailsView key={param} uuid={param} />;
  return <DeclarationList />;
}
