// The seven sections of the app: title, icon, one-line description, and the screen itself.

import type { ReactNode } from 'react';
import type { IconName } from '../components/Icon';
import type { Route } from '../lib/router';
import { AnchorsScreen } from './AnchorsScreen';
import { AuditScreen } from './AuditScreen';
import { DeclarationsScreen } from './declarations/DeclarationsScreen';
import { ImportVerifyScreen } from './ImportVerifyScreen';
import { KeysScreen } from './keys/KeysScreen';
import { PublishScreen } from './PublishScreen';
import { RelaysScreen } from './RelaysScreen';

export interface ScreenDefinition {
  route: Route;
  title: string;
  icon: IconName;
  description: string;
  render(param: string | undefined): ReactNode;
}

export const SCREENS: readonly ScreenDefinition[] = [
  {
    route: 'keys',
    title: 'Keys',
    icon: 'key',
    description: 'Signing keys held in this store, and public keys of other administrators.',
    render: () => <KeysScreen />,
  },
  {
    route: 'declarations',
    title: 'Declarations',
    icon: 'document',
    description: 'Drafts, finalized and signed declarations, and those already published.',
    render: (param) => <DeclarationsScreen param={param} />,
  },
  {
    route: 'publish',
    title: 'Publish',
    icon: 'send',
    description: 'Signed declarations on their way to relays, with each relay’s answer.',
    render: (param) => <PublishScreen param={param} />,
  },
  {
    route: 'import',
    title: 'Import & verify',
    icon: 'shieldCheck',
    description: 'Check bundles and events from others, and import the ones you trust.',
    render: () => <ImportVerifyScreen />,
  },
  {
    route: 'relays',
    title: 'Relays',
    icon: 'server',
    description: 'Nostr relays declarations are published to and imported from.',
    render: () => <RelaysScreen />,
  },
  {
    route: 'anchors',
    title: 'Anchors',
    icon: 'anchor',
    description: 'Master Admin keys you trust as the roots of every authority chain.',
    render: () => <AnchorsScreen />,
  },
  {
    route: 'audit',
    title: 'Audit log',
    icon: 'list',
    description: 'Every change made in this store, newest first.',
    render: () => <AuditScreen />,
  },
];
