/**
 * The shell: header (navigation by role, language, sign-out), and the routed page below it.
 * Pages are plain DOM modules under pages/, loaded on demand.
 */
import './styles/app.css';
import { h, render } from './core/dom';
import { currentPath, match, mayOpen, navigate } from './core/router';
import { homePath, routes } from './core/routes';
import { session } from './core/session';
import { LOCALES, locale, onLocaleChange, registerMessages, setLocale, t, type Locale } from './i18n';
import { shellMessages } from './i18n/messages';

registerMessages(shellMessages);

const app = document.getElementById('app');
if (!app) throw new Error('index.html has no #app');
const header = h('header', { class: 'shell-header' });
const main = h('main', { class: 'shell-main', id: 'main' });
app.append(header, main);

let unmount: (() => void) | undefined;
let generation = 0;

function renderHeader(): void {
  // A signed link grants one complaint's page: no navigation, no account, nothing to sign in to.
  const link = session.isLink();
  const user = link ? null : session.user();
  const links = routes
    .filter((r) => r.nav && !link && mayOpen(r))
    .map((r) => h('a', { href: `#${r.path}`, class: currentPath().startsWith(r.path) ? 'active' : null, 'data-nav': r.path }, t(r.nav ?? '')));
  const language = h('select', { 'aria-label': t('nav.language'), id: 'language', onchange: (e: Event) => setLocale((e.target as HTMLSelectElement).value as Locale) },
    ...LOCALES.map((l) => h('option', { value: l, selected: l === locale() }, l === 'en' ? 'English' : '简体中文')));
  render(header,
    link ? h('span', { class: 'brand' }, t('app.title')) : h('a', { class: 'brand', href: '#/' }, t('app.title')),
    h('nav', { class: 'shell-nav' }, ...links),
    h('div', { class: 'shell-user' },
      language,
      user ? h('span', { class: 'user-name', title: user.email }, user.name ?? user.email) : null,
      user ? h('button', { type: 'button', class: 'link', onclick: () => { session.signOut(); navigate('/login'); } }, t('nav.signOut')) : null));
}

async function renderRoute(): Promise<void> {
  const mine = ++generation;
  unmount?.();
  unmount = undefined;
  renderHeader();
  const path = currentPath();
  if (path === '/') {
    const user = session.user();
    navigate(user ? homePath(user.roles) : '/login');
    return;
  }
  const found = match(routes, path);
  if (!found) {
    render(main, h('p', { class: 'notice' }, t('error.notFound')));
    return;
  }
  if (!mayOpen(found.route)) {
    if (!session.user() && !session.isLink()) navigate(`/login?next=${encodeURIComponent(path)}`);
    else render(main, h('p', { class: 'notice' }, t('error.forbidden')));
    return;
  }
  render(main, h('p', { class: 'loading' }, t('common.loading')));
  try {
    const page = (await found.route.load()).default;
    if (mine !== generation) return;
    main.replaceChildren();
    const cleanup = await page(main, found.params);
    if (mine !== generation) cleanup?.();
    else unmount = cleanup ?? undefined;
  } catch (err) {
    if (mine === generation) render(main, h('p', { class: 'error' }, t('error.generic', { message: (err as Error).message })));
  }
}

window.addEventListener('hashchange', () => void renderRoute());
session.onChange(renderHeader);
onLocaleChange(() => void renderRoute());
document.documentElement.lang = locale();
void renderRoute();
