// The seven sections of the app, their titles and (for phase 1) the list operation each one shows.

import type { ReactNode } from 'react';
import type { IconName } from '../components/Icon';
import type { Route } from '../lib/router';
import { ImportVerifyScreen } from './ImportVerifyScreen';
import { ListScreen } from './ListScreen';

export interface ScreenDefinition {
  route: Route;
  title: string;
  icon: IconName;
  description: string;
  render(): ReactNode;
}

export const SCREENS: readonly ScreenDefinition[] = [
  {
    route: 'keys',
    title: 'Keys',
    icon: 'key',
    description: 'Signing keys held in this store, and public keys of other administrators.',
    render: () => (
      <ListScreen operation="keys.list" noun="keys" icon="key" emptyTitle="No keys yet" emptyText="Generate a signing key or import one (nsec, PEM, PKCS#12) to start signing declarations." />
    ),
  },
  {
    route: 'declarations',
    title: 'Declarations',
    icon: 'document',
    description: 'Drafts, finalized and signed declarations, and those already published.',
    render: () => (
      <ListScreen operation="declarations.list" noun="declarations" icon="document" emptyTitle="No declarations" emptyText="Create a declaration to grant trust, privileges or delegations to another key." />
    ),
  },
  {
    route: 'publish',
    title: 'Publish',
    icon: 'send',
    description: 'Signed declarations on their way to relays, with each relay’s answer.',
    render: () => (
      <ListScreen operation="publish.status" noun="publications" icon="send" emptyTitle="Nothing published yet" emptyText="Signed declarations you publish appear here with the acknowledgement of every relay." />
    ),
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
    render: () => (
      <ListScreen operation="relays.list" noun="relays" icon="server" emptyTitle="No relays configured" emptyText="Add a relay (wss://…) to publish declarations and fetch those of other administrators." />
    ),
  },
  {
    route: 'anchors',
    title: 'Anchors',
    icon: 'anchor',
    description: 'Master Admin keys you trust as the roots of every authority chain.',
    render: () => (
      <ListScreen operation="anchors.list" noun="anchors" icon="anchor" emptyTitle="No trust anchors" emptyText="Add the Master Admin keys you trust; verification follows delegations back to them." />
    ),
  },
  {
    route: 'audit',
    title: 'Audit log',
    icon: 'list',
    description: 'Every change made in this store, newest first.',
    render: () => (
      <ListScreen operation="audit.list" noun="entries" icon="list" emptyTitle="No activity yet" emptyText="Key, declaration and relay changes are recorded here as they happen." />
    ),
  },
];
