import { createRootRouteWithContext, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { AppShell } from './AppShell';
import { LoginPage } from '../features/auth/LoginPage';
import { sessionQuery } from '../features/auth/session';
import { OverviewPage } from '../features/overview/OverviewPage';
import { ApiError } from '../shared/api/errors';
import { NotFound } from '../shared/ui/States';
import { queryClient } from './query-client';

/**
 * The route tree. Screens live in features/<name>/; a route here is only its path, its search
 * schema and its page. Routes under `shellRoute` require a session and render inside the console
 * shell; routes on `rootRoute` (sign-in, a door app) render on their own.
 */
const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === 'string' && search.redirect.startsWith('/') ? { redirect: search.redirect } : {},
  component: LoginPage,
});

export const shellRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'console',
  beforeLoad: async ({ context, location }) => {
    try {
      return { session: await context.queryClient.ensureQueryData(sessionQuery) };
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw redirect({ to: '/login', search: { redirect: location.href } });
      throw error;
    }
  },
  component: AppShell,
});

const overviewRoute = createRoute({ getParentRoute: () => shellRoute, path: '/', component: OverviewPage });

const routeTree = rootRoute.addChildren([loginRoute, shellRoute.addChildren([overviewRoute])]);

export const router = createRouter({
  routeTree,
  basepath: '/app',
  context: { queryClient },
  defaultPreload: 'intent',
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
