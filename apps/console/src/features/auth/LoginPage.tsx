import { t } from '../../i18n';
import { usePageTitle } from '../../shared/lib/page-title';

export function LoginPage() {
  usePageTitle(t.auth.signInTitle);
  return (
    <main id="main" className="auth-page">
      <form className="card auth-card" method="post" onSubmit={(event) => event.preventDefault()}>
        <h1>{t.auth.signInTitle}</h1>
        <label className="field">
          <span>{t.auth.email}</span>
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label className="field">
          <span>{t.auth.password}</span>
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button className="button primary" type="submit">
          {t.auth.signIn}
        </button>
      </form>
    </main>
  );
}
