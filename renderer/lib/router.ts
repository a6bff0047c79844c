// Hash routing: the page never navigates (the Electron shell blocks navigation), it only changes its fragment.
// `#/declarations/<uuid>` and `#/publish/<uuid>` carry one parameter; `#/declarations/new` opens the wizard.

import { useEffect, useState } from 'react';

export const ROUTES = ['keys', 'declarations', 'publish', 'import', 'relays', 'anchors', 'audit'] as const;
export type Route = (typeof ROUTES)[number];

export interface Location {
  route: Route;
  /** The part after `#/<route>/`, if any (a declaration UUID, or `new`). */
  param: string | undefined;
}

function currentLocation(): Location {
  const [name = '', param] = window.location.hash.replace(/^#\/?/, '').split('/', 2);
  const route = (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'keys';
  return { route, param: param ? decodeURIComponent(param) : undefined };
}

export function routeHref(route: Route, param?: string): string {
  return param === undefined ? `#/${route}` : `#/${route}/${encodeURIComponent(param)}`;
}

export function navigate(route: Route, param?: string): void {
  window.location.hash = routeHref(route, param);
}

export function useLocation(): Location {
  const [location, setLocation] = useState<Location>(currentLocation);
  useEffect(() => {
    const onChange = () => setLocation(currentLocation());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return location;
}
