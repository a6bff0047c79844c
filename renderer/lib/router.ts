// Hash routing: the page never navigates (the Electron shell blocks navigation), it only changes its fragment.

import { useEffect, useState } from 'react';

export const ROUTES = ['keys', 'declarations', 'publish', 'import', 'relays', 'anchors', 'audit'] as const;
export type Route = (typeof ROUTES)[number];

function currentRoute(): Route {
  const name = window.location.hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'keys';
}

export function routeHref(route: Route): string {
  return `#/${route}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(currentRoute);
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
