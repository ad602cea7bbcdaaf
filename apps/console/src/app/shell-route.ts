import { getRouteApi } from '@tanstack/react-router';

/** The signed-in part of the console: pages read the session from its context. */
export const shellRouteApi = getRouteApi('/console');

export function useSession() {
  return shellRouteApi.useRouteContext().session;
}
