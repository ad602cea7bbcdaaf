/**
 * Every string the console shows, in one place. A translation is another object of the same
 * shape (`Messages`), registered in ./index.ts. Placeholders are `{name}`, filled by `fmt`.
 */
export const en = {
  app: {
    name: 'Passway',
    skipToContent: 'Skip to content',
    loading: 'Loading…',
    retry: 'Retry',
    requestId: 'Request id: {id}',
    notFound: 'This page does not exist.',
    noAccess: 'You do not have access to this page.',
    genericError: 'Something went wrong.',
    signOut: 'Sign out',
    mainNavigation: 'Main navigation',
    openMenu: 'Menu',
  },
  nav: {
    overview: 'Overview',
    events: 'Events',
    passes: 'Passes',
    developers: 'Developers',
    team: 'Team',
    audit: 'Audit log',
    settings: 'Settings',
    operator: 'Operator',
  },
  auth: {
    signInTitle: 'Sign in to Passway',
    email: 'Email',
    password: 'Password',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    noAccount: 'No account yet?',
    createAccount: 'Create one',
    forgotPassword: 'Forgot your password?',
  },
  overview: {
    title: 'Overview',
  },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof en>;
