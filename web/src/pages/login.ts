/** Sign-in: POST /api/auth/login, then on to `next` or the user's home page. */
import { api, ApiError } from '../core/api';
import { h, render } from '../core/dom';
import { hashQuery, navigate } from '../core/router';
import { homePath } from '../core/routes';
import { session, type SessionUser } from '../core/session';
import { t } from '../i18n';

interface LoginAnswer { token: string; expiresAt: string; user: SessionUser }

export default function loginPage(root: HTMLElement): void {
  const email = h('input', { type: 'email', name: 'email', id: 'login-email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', id: 'login-password', autocomplete: 'current-password', required: true });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('login.submit'));
  const form = h('form', { class: 'card narrow', id: 'login-form' },
    h('h1', {}, t('login.title')),
    h('label', { for: 'login-email' }, t('login.email')), email,
    h('label', { for: 'login-password' }, t('login.password')), password,
    problem, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    problem.hidden = true;
    api.post<LoginAnswer>('/api/auth/login', { email: email.value, password: password.value })
      .then((answer) => {
        session.signIn(answer.token, answer.user);
        const next = hashQuery().get('next');
        navigate(next && next.startsWith('/') ? next : homePath(answer.user.roles));
      })
      .catch((err: unknown) => {
        problem.textContent = err instanceof ApiError && err.status === 401 ? t('login.failed') : t('error.generic', { message: (err as Error).message });
        problem.hidden = false;
      })
      .finally(() => { submit.disabled = false; });
  });
  render(root, form);
}
