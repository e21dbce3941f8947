/**
 * `#/complaints/new`: a customer (or an agent on their behalf) files a complaint from the
 * web — product, what happened, optionally where (the device's location) and a photo — and
 * lands on the complaint's own page.
 */
import './customer.css';
import { api, ApiError, request } from '../../core/api';
import { h, render } from '../../core/dom';
import { navigate } from '../../core/router';
import { registerMessages, t } from '../../i18n';
import { photoMessages, statusMessages } from '../inbox/messages';
import { cameraIcon, locate, uploadPhoto } from '../inbox/photo';
import { customerMessages } from './messages';

registerMessages(customerMessages);
registerMessages(photoMessages);
registerMessages(statusMessages);

interface Me { id: string; roles: string[]; customerId?: string | null }

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

export default async function newComplaintPage(root: HTMLElement): Promise<void> {
  const me = await api.get<Me>('/api/auth/me');
  const forSelf = me.roles.includes('customer') && !!me.customerId;
  const idempotencyKey = `web-${newKey()}`;

  const field = (id: string, label: string, input: HTMLElement, hint?: string) =>
    h('div', { class: 'field', 'data-field': id }, h('label', { for: id }, label), input, hint ? h('p', { class: 'hint' }, hint) : null, h('p', { class: 'field-error', hidden: true }));
  const customer = h('input', { id: 'complaint-customer', name: 'customer', required: true, maxlength: 100, autocomplete: 'off' });
  const product = h('input', { id: 'complaint-product', name: 'product', required: true, maxlength: 200, autocomplete: 'off' });
  const title = h('input', { id: 'complaint-title', name: 'title', required: true, maxlength: 200 });
  const description = h('textarea', { id: 'complaint-description', name: 'description', required: true, rows: 5, maxlength: 5000 });
  const shareLocation = h('input', { type: 'checkbox', id: 'complaint-location', name: 'location' });
  // Ask for the three-engineer choice (dispatchMode "customer"): the page then offers the best three.
  const chooseEngineer = h('input', { type: 'checkbox', id: 'complaint-choose-engineer', name: 'chooseEngineer' });
  const photo = h('input', { type: 'file', id: 'complaint-photo', name: 'photo', accept: 'image/*', capture: 'environment', class: 'visually-hidden' });
  const photoName = h('span', { class: 'hint', id: 'complaint-photo-name' }, t('customer.new.noPhoto'));
  photo.addEventListener('change', () => { photoName.textContent = photo.files?.[0]?.name ?? t('customer.new.noPhoto'); });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary wide', id: 'complaint-submit' }, t('customer.new.submit'));

  const form = h('form', { class: 'customer-card', id: 'complaint-form', novalidate: true },
    h('h1', {}, t('customer.new.title')),
    h('p', { class: 'lead' }, t('customer.new.lead')),
    forSelf ? null : field('complaint-customer', t('customer.new.customer'), customer, t('customer.new.customerHint')),
    field('complaint-product', t('customer.new.product'), product, t('customer.new.productHint')),
    field('complaint-title', t('customer.new.summary'), title),
    field('complaint-description', t('customer.new.description'), description),
    h('label', { class: 'check', for: 'complaint-location' }, shareLocation, t('customer.new.shareLocation')),
    h('label', { class: 'check', for: 'complaint-choose-engineer' }, chooseEngineer, t('customer.new.chooseEngineer')),
    h('div', { class: 'field photo-field' },
      h('label', { for: 'complaint-photo', class: 'button-like' }, cameraIcon(), t('customer.new.photo')), photo, photoName),
    problem, submit);

  const showFieldErrors = (err: ApiError) => {
    const byField: Record<string, string> = { product: 'complaint-product', title: 'complaint-title', description: 'complaint-description', 'customer.id': 'complaint-customer' };
    for (const f of err.fields) {
      const id = byField[f.path];
      const slot = id ? form.querySelector<HTMLElement>(`[data-field="${id}"] .field-error`) : null;
      if (slot) { slot.textContent = f.message; slot.hidden = false; }
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    form.querySelectorAll<HTMLElement>('.field-error').forEach((e) => { e.hidden = true; });
    problem.hidden = true;
    const missing = [product, title, description, ...(forSelf ? [] : [customer])].filter((i) => !i.value.trim());
    if (missing.length) {
      for (const input of missing) {
        const slot = form.querySelector<HTMLElement>(`[data-field="${input.id}"] .field-error`);
        if (slot) { slot.textContent = t('customer.new.required'); slot.hidden = false; }
      }
      missing[0]?.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('customer.new.sending');
    void (async () => {
      try {
        const where = shareLocation.checked ? await locate() : null;
        const body = {
          channel: 'web', customer: { id: forSelf ? me.customerId : customer.value.trim() },
          product: product.value.trim(), title: title.value.trim(), description: description.value.trim(),
          ...(where ? { location: where } : {}),
          ...(chooseEngineer.checked ? { dispatchMode: 'customer' } : {}),
        };
        const created = await request<{ id: string }>('POST', '/api/complaints', { body, headers: { 'Idempotency-Key': idempotencyKey } });
        const file = photo.files?.[0];
        if (file) await uploadPhoto(created.id, file, shareLocation.checked);
        navigate(`/complaints/${created.id}`);
      } catch (err) {
        if (err instanceof ApiError && err.fields.length) showFieldErrors(err);
        problem.textContent = t('customer.new.failed', { message: (err as Error).message });
        problem.hidden = false;
        submit.disabled = false;
        submit.textContent = t('customer.new.submit');
      }
    })();
  });
  render(root, h('div', { class: 'customer-page' }, form));
}
