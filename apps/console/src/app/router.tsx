import { createRootRouteWithContext, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { AuditPage } from '../features/audit/AuditPage';
import { LoginPage } from '../features/auth/LoginPage';
import { sessionQuery } from '../features/auth/session';
import { SignupPage } from '../features/auth/SignupPage';
import { InvitePage, ResetPasswordPage, VerifyEmailPage } from '../features/auth/TokenPages';
import { DevelopersPage } from '../features/developers/DevelopersPage';
import { DevicesPage } from '../features/devices/DevicesPage';
import { OperatorPage } from '../features/operator/OperatorPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { WebhookDeliveriesPage } from '../features/webhooks/WebhookDeliveriesPage';
import { EventPage } from '../features/events/EventPage';
import { EventsPage } from '../features/events/EventsPage';
import { LivePage } from '../features/live/LivePage';
import { OverviewPage } from '../features/overview/OverviewPage';
import { PassesPage, PassPage } from '../features/passes/PassesPage';
import { TeamPage } from '../features/team/TeamPage';
import { ApiError } from '../shared/api/errors';
import { NotFound } from '../shared/ui/States';
import { AppShell } from './AppShell';
import { queryClient } from './query-client';

/**
 * The route tree. Screens live in features/<name>/; a route here is only its path, its search
 * schema and its page. Routes under `shellRoute` require a session and render inside the console
 * shell; routes on `rootRoute` (sign-in, links from emails, a door app) render on their own.
 */
const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

const tokenSearch = (search: Record<string, unknown>): { token?: string } =>
  typeof search.token === 'string' ? { token: search.token } : {};

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === 'string' && search.redirect.startsWith('/') ? { redirect: search.redirect } : {},
  component: LoginPage,
});
const signupRoute = createRoute({ getParentRoute: () => rootRoute, path: 'signup', component: SignupPage });
const verifyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'verify-email',
  validateSearch: tokenSearch,
  component: VerifyEmailPage,
});
const resetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'reset-password',
  validateSearch: tokenSearch,
  component: ResetPasswordPage,
});
const inviteRoute = createRoute({ getParentRoute: () => rootRoute, path: 'invite', validateSearch: tokenSearch, component: InvitePage });

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
const eventsRoute = createRoute({ getParentRoute: () => shellRoute, path: 'events', component: EventsPage });
const eventRoute = createRoute({ getParentRoute: () => shellRoute, path: 'events/$eventId', component: EventPage });
const liveRoute = createRoute({ getParentRoute: () => shellRoute, path: 'events/$eventId/live', component: LivePage });
const passesRoute = createRoute({ getParentRoute: () => shellRoute, path: 'passes', component: PassesPage });
const passRoute = createRoute({ getParentRoute: () => shellRoute, path: 'passes/$passId', component: PassPage });
const developersRoute = createRoute({ getParentRoute: () => shellRoute, path: 'developers', component: DevelopersPage });
const webhookRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: 'developers/webhooks/$webhookId',
  component: WebhookDeliveriesPage,
});
const devicesRoute = createRoute({ getParentRoute: () => shellRoute, path: 'devices', component: DevicesPage });
const settingsRoute = createRoute({ getParentRoute: () => shellRoute, path: 'settings', component: SettingsPage });
const operatorRoute = createRoute({ getParentRoute: () => shellRoute, path: 'operator', component: OperatorPage });
const teamRoute = createRoute({ getParentRoute: () => shellRoute, path: 'team', component: TeamPage });
const auditRoute = createRoute({ getParentRoute: () => shellRoute, path: 'audit', component: AuditPage });

const routeTree = rootRoute.addChildren([
  loginRoute,
  signupRoute,
  verifyRoute,
  resetRoute,
  inviteRoute,
  shellRoute.addChildren([
    overviewRoute,
    eventsRoute,
    eventRoute,
    liveRoute,
    passesRoute,
    passRoute,
    developersRoute,
    webhookRoute,
    devicesRoute,
    teamRoute,
    auditRoute,
    settingsRoute,
    operatorRoute,
  ]),
]);

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
