import { match, type Route } from '../../../web/src/core/router';

const page = () => Promise.resolve({ default: () => undefined });
const routes: Route[] = [
  { path: '/inbox', access: 'public', load: page },
  { path: '/inbox/:taskId', access: 'public', load: page },
  { path: '/complaints/new', access: 'link', load: page },
  { path: '/complaints/:id', access: 'link', load: page },
];

describe('web router', () => {
  it('matches static paths before parameters in the order given', () => {
    expect(match(routes, '/complaints/new')?.route.path).toBe('/complaints/new');
    expect(match(routes, '/complaints/C-1')).toEqual({ route: routes[3], params: { id: 'C-1' } });
  });

  it('decodes parameters and refuses paths of another length', () => {
    expect(match(routes, '/inbox/a%2Fb')?.params).toEqual({ taskId: 'a/b' });
    expect(match(routes, '/inbox/a/b')).toBeNull();
    expect(match(routes, '/nowhere')).toBeNull();
  });
});
