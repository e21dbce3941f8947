/** "Edit form": form-js's FormEditor in a modal dialog; Save stores the schema in the diagram (./forms.ts). */
import formCss from '@bpmn-io/form-js/dist/assets/form-js.css' with { type: 'text' };
import formEditorCss from '@bpmn-io/form-js/dist/assets/form-js-editor.css' with { type: 'text' };
import { FormEditor } from '@bpmn-io/form-js';
import { h } from '../../core/dom';
import { t } from '../../i18n';

/**
 * form-js's styles, added when the dialog first opens: imported as text, so they stay out of
 * the app's stylesheet (esbuild puts every statically imported CSS there, for every page).
 */
function addStyles(): void {
  if (document.getElementById('form-js-styles')) return;
  document.head.append(h('style', { id: 'form-js-styles' }, formCss, formEditorCss));
}

/** Resolves with the edited schema, or null when cancelled. */
export async function editFormSchema(taskName: string, schema: unknown): Promise<unknown> {
  addStyles();
  const editorHost = h('div', { class: 'form-editor-host' });
  const save = h('button', { type: 'button', class: 'primary', id: 'form-save' }, t('form.save'));
  const cancel = h('button', { type: 'button', id: 'form-cancel' }, t('form.cancel'));
  const dialog = h('dialog', { class: 'form-dialog', id: 'form-dialog', 'aria-label': t('form.title', { task: taskName }) },
    h('header', { class: 'dialog-header' }, h('h2', {}, t('form.title', { task: taskName })), h('div', { class: 'toolbar' }, cancel, save)),
    editorHost);
  document.body.append(dialog);
  dialog.showModal();
  const editor = new FormEditor({ container: editorHost });
  try {
    await editor.importSchema(schema ?? { type: 'default', components: [], schemaVersion: 16 });
  } catch (err) {
    editor.destroy();
    dialog.remove();
    throw err;
  }
  return new Promise((resolve) => {
    const close = (result: unknown) => {
      editor.destroy();
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    save.addEventListener('click', () => close(editor.saveSchema()));
    cancel.addEventListener('click', () => close(null));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(null); });
  });
}
