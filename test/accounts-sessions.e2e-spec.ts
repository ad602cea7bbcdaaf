import assert from 'node:assert/strict';
import { describe, it, afterAll } from '@jest/globals';
import { closeGatewayDb, gatewayDb } from './support/e2e-env';
import { linkFromInbox, SessionClient, signUpOwner, TEST_PASSWORD, uniqueEmail } from './support/console-session';

/** Console accounts over the API: sign-up, verification, sessions in cookies, CSRF, lockout, password reset. */
describe('accounts and sessions', () => {
  afterAll(async () => {
    await closeGatewayDb();
  });

  it('signs up an owner of a new organisation, verifies the address from the Resend inbox, and acts with the session cookie', async () => {
    const { client, session } = await signUpOwner('signup', 'Harbour Fest');
    assert.equal(session.role, 'owner');
    assert.equal(session.organization.name, 'Harbour Fest');
    assert.equal(session.organization.plan, 'pro');
    const sessionCookie = client.cookies.get('pw_session');
    assert.ok(sessionCookie && client.csrfToken);

    const me = await client.get('/auth/session');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.user.isOperator, false);
    const organization = await client.get('/organization');
    assert.equal(organization.status, 200, organization.text);
    assert.equal(organization.body.name, 'Harbour Fest');
    assert.equal(organization.body.tokenBalance, null, 'the same defaults as the CLI: unlimited tokens');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, and the CSRF cookie readable by the page', async () => {
    const email = uniqueEmail('cookies');
    const client = new SessionClient();
    assert.equal((await client.post('/auth/signup', { name: 'Cookie', email, password: TEST_PASSWORD })).status, 202);
    const { token } = await linkFromInbox(email, '/verify-email');
    const verified = await fetch(`${client.baseUrl}/api/v1/auth/verify-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    assert.equal(verified.status, 200);
    const cookies = verified.headers.getSetCookie();
    const session = cookies.find((cookie) => cookie.startsWith('pw_session='))!;
    const csrf = cookies.find((cookie) => cookie.startsWith('pw_csrf='))!;
    assert.match(session, /HttpOnly/i);
    assert.match(session, /SameSite=Lax/i);
    assert.match(session, /Path=\//);
    assert.doesNotMatch(csrf, /HttpOnly/i);
    assert.match(csrf, /SameSite=Lax/i);
  });

  it('answers sign-up the same whether or not the email has an account (a known one gets a reset link)', async () => {
    const { email } = await signUpOwner('twice');
    const again = await new SessionClient().post('/auth/signup', { name: 'Someone', email, password: TEST_PASSWORD });
    const fresh = await new SessionClient().post('/auth/signup', { name: 'Someone', email: uniqueEmail('fresh'), password: TEST_PASSWORD });
    assert.equal(again.status, 202);
    assert.deepEqual(again.body, fresh.body);
    const reset = await linkFromInbox(email, '/reset-password');
    assert.match(reset.url, /\/app\/reset-password\?token=/);
  });

  it('refuses a used verification link with 410 and a bad one with 400', async () => {
    const email = uniqueEmail('reuse');
    const client = new SessionClient();
    await client.post('/auth/signup', { name: 'Reuse', email, password: TEST_PASSWORD });
    const { token } = await linkFromInbox(email, '/verify-email');
    assert.equal((await client.post('/auth/verify-email', { token })).status, 200);
    const second = await new SessionClient().post('/auth/verify-email', { token });
    assert.equal(second.status, 410);
    assert.equal(second.body.code, 'token_used');
    const bogus = await new SessionClient().post('/auth/verify-email', { token: 'x'.repeat(43) });
    assert.equal(bogus.status, 400);
    assert.equal(bogus.body.code, 'token_invalid');
  });

  it('validates sign-up input next to each field and creates nothing', async () => {
    const email = uniqueEmail('invalid');
    const response = await new SessionClient().post('/auth/signup', { name: '', email, password: 'short' });
    assert.equal(response.status, 400);
    const fields = (response.body.details as { field: string }[]).map((detail) => detail.field).sort();
    assert.deepEqual(fields, ['name', 'password']);
    const db = await gatewayDb();
    assert.equal((await db.query('SELECT count(*)::int AS n FROM gateway.users WHERE email = $1', [email]))[0].n, 0);
  });

  it('signs in only after verification; a wrong password and an unknown email get one identical answer', async () => {
    const email = uniqueEmail('login');
    const client = new SessionClient();
    await client.post('/auth/signup', { name: 'Login', email, password: TEST_PASSWORD });
    const early = await client.post('/auth/login', { email, password: TEST_PASSWORD });
    assert.equal(early.status, 403);
    assert.equal(early.body.code, 'email_not_verified');
    const { token } = await linkFromInbox(email, '/verify-email');
    await new SessionClient().post('/auth/verify-email', { token });

    const wrong = await client.post('/auth/login', { email, password: 'not the password at all' });
    const unknown = await client.post('/auth/login', { email: uniqueEmail('nobody'), password: 'not the password at all' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    assert.equal(unknown.status, 401);

    const ok = await client.post('/auth/login', { email: email.toUpperCase(), password: TEST_PASSWORD });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.user.email, email);
    assert.equal((await client.get('/organization')).status, 200);
  });

  it('refuses a cookie-authenticated write without the CSRF token (403, nothing created) and accepts it with the token', async () => {
    const { client } = await signUpOwner('csrf');
    client.sendCsrf = false;
    const refused = await client.post('/clients', { name: 'No Token' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'csrf_invalid');
    const wrong = await client.post('/clients', { name: 'Wrong Token' }, { headers: { 'x-csrf-token': 'A'.repeat(43) } });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.code, 'csrf_invalid');
    assert.deepEqual((await client.get('/clients')).body, [], 'nothing was created');
    client.sendCsrf = true;
    const created = await client.post('/clients', { name: 'With Token' });
    assert.equal(created.status, 201, created.text);
    assert.equal((await client.get('/clients')).body.length, 1);
  });

  it('answers 401 session_expired for an expired or signed-out session, and 401 invalid_session for an unknown cookie', async () => {
    const { client, session } = await signUpOwner('expiry');
    const db = await gatewayDb();
    await db.query(`UPDATE gateway.sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [session.user.id]);
    const expired = await client.get('/organization');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.code, 'session_expired');

    const login = new SessionClient();
    assert.equal((await login.post('/auth/login', { email: session.user.email, password: TEST_PASSWORD })).status, 200);
    assert.equal((await login.post('/auth/logout')).status, 200);
    assert.equal(login.cookies.has('pw_session'), false, 'the cookie is cleared');
    const afterLogout = await new SessionClient().get('/organization', {
      headers: { cookie: `pw_session=${client.cookies.get('pw_session')}` },
    });
    assert.equal(afterLogout.status, 401);

    const unknown = await new SessionClient().get('/organization', { headers: { cookie: `pw_session=${'B'.repeat(43)}` } });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.code, 'invalid_session');
  });

  it('locks an account after 5 failed sign-ins (429 even with the right password), and answers an unknown email the same way', async () => {
    const { email } = await signUpOwner('lockout');
    const client = new SessionClient();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      assert.equal((await client.post('/auth/login', { email, password: `wrong password ${attempt}` })).status, 401);
    }
    const locked = await client.post('/auth/login', { email, password: TEST_PASSWORD });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.code, 'login_rate_limited');

    const nobody = uniqueEmail('nobody-locked');
    for (let attempt = 0; attempt < 5; attempt += 1)
      await client.post('/auth/login', { email: nobody, password: `wrong password ${attempt}` });
    const lockedNobody = await client.post('/auth/login', { email: nobody, password: TEST_PASSWORD });
    assert.equal(lockedNobody.status, 429);
    assert.deepEqual(lockedNobody.body, locked.body);
  });

  it('resets a password by emailed link once, ending every session; the old password stops working', async () => {
    const { client, email } = await signUpOwner('reset');
    const ask = await new SessionClient().post('/auth/password-reset', { email });
    const askUnknown = await new SessionClient().post('/auth/password-reset', { email: uniqueEmail('ghost') });
    assert.equal(ask.status, 202);
    assert.deepEqual(ask.body, askUnknown.body);
    const { token } = await linkFromInbox(email, '/reset-password');
    const newPassword = 'a brand new password 42';
    const done = await new SessionClient().post('/auth/password-reset/confirm', { token, password: newPassword });
    assert.equal(done.status, 200, done.text);
    const reused = await new SessionClient().post('/auth/password-reset/confirm', { token, password: newPassword });
    assert.equal(reused.status, 410);
    assert.equal((await client.get('/organization')).status, 401, 'the old session ended');
    assert.equal((await new SessionClient().post('/auth/login', { email, password: TEST_PASSWORD })).status, 401);
    assert.equal((await new SessionClient().post('/auth/login', { email, password: newPassword })).status, 200);
  });

  it('keeps passwords as argon2id hashes and session tokens as SHA-256 hashes only', async () => {
    const { client, session } = await signUpOwner('hashes');
    const db = await gatewayDb();
    const [user] = await db.query('SELECT password_hash FROM gateway.users WHERE id = $1', [session.user.id]);
    assert.match(user.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const cookie = client.cookies.get('pw_session')!;
    const sessions = await db.query(`SELECT count(*)::int AS n FROM gateway.sessions WHERE encode(token_hash, 'escape') LIKE $1`, [
      `%${cookie}%`,
    ]);
    assert.equal(sessions[0].n, 0);
  });
});
