// Small DOM helpers shared by the views: element building, forms, toasts, dialogs, dates.

/** h('div', {class: 'x', onclick: fn}, child, 'text', [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function toast(message, kind = 'info') {
  const t = h('div', { class: `toast ${kind}` }, message);
  document.getElementById('toasts').append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 7000 : 3500);
}

/** Shows an error from the Rust side ({kind, message, field}) and marks the field if named. */
export function showError(err, form) {
  const message = (err && err.message) || String(err);
  const out = form && form.querySelector('.error-text:not(.field-error)');
  if (form) {
    form.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
    form.querySelectorAll('.field-error').forEach((e) => e.remove());
    if (out) out.textContent = '';
    const field = err && err.field && form.querySelector(`[name="${err.field}"]`);
    if (field) {
      // under the field it is about, in view, gone as soon as the field is corrected
      const note = h('div', { class: 'error-text field-error', role: 'alert' }, message);
      field.classList.add('invalid');
      // a group of checkboxes (roles) is told under the whole group, not inside one of them
      const group = field.type === 'checkbox' ? field.closest('.roles') : null;
      (group || field).insertAdjacentElement('afterend', note);
      const fix = () => { note.remove(); field.classList.remove('invalid'); };
      field.addEventListener('input', fix, { once: true });
      field.addEventListener('change', fix, { once: true });
      field.scrollIntoView({ block: 'center' });
      field.focus();
      return;
    }
    if (out) { out.textContent = message; out.scrollIntoView({ block: 'nearest' }); }
  }
  if (!out) toast(message, 'error');
}

/** Collects named fields of a form into an object (checkbox groups become arrays). */
export function formData(form) {
  const data = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox' && el.dataset.group) {
      (data[el.name] ||= []);
      if (el.checked) data[el.name].push(el.value);
    } else if (el.type === 'checkbox') data[el.name] = el.checked;
    else if (el.type === 'radio') { if (el.checked) data[el.name] = el.value; }
    else data[el.name] = el.value;
  }
  return data;
}

/** Enter submits from inputs (the browser does it); Ctrl+Enter submits from text areas too. */
export function submitOnCtrlEnter(form) {
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
  });
}

/**
 * A modal dialog. `onSubmit(data)` runs on Enter or the submit button; when it throws, the error
 * is shown inside and the dialog stays open. Resolves with its result, or null when cancelled (Esc).
 */
export function dialog(title, body, { submitLabel = '确定', cancelLabel = '取消', cancellable = true, onSubmit, id = null } = {}) {
  return new Promise((resolve) => {
    const form = h('form', { method: 'dialog' }, h('h2', {}, title), body, h('div', { class: 'error-text' }),
      h('div', { class: 'actions' },
        cancellable ? h('button', { type: 'button', class: 'cancel', onclick: () => dlg.close() }, cancelLabel) : null,
        h('button', { type: 'submit', class: 'primary' }, submitLabel)));
    const dlg = h('dialog', { id }, form);
    submitOnCtrlEnter(form);
    let result = null;
    dlg.addEventListener('cancel', (e) => { if (!cancellable) e.preventDefault(); });
    dlg.addEventListener('close', () => { dlg.remove(); resolve(result); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        result = await onSubmit(formData(form));
        dlg.close();
      } catch (err) {
        showError(err, form);
      }
    });
    document.body.append(dlg);
    dlg.showModal();
    const first = form.querySelector('input, select, textarea');
    if (first) first.focus();
  });
}

/** Marks the rows of a table the core refused all at once (`invalid_rows`: {record, field,
 * message} each), in place: the row (`tr[data-number]`), the field `fieldOf(tr, row)` finds,
 * the reason under the row's second cell; earlier marks are cleared first. */
export function markRows(root, rows, fieldOf = () => null) {
  root.querySelectorAll('tr.invalid-row').forEach((tr) => tr.classList.remove('invalid-row'));
  root.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  root.querySelectorAll('.row-error').forEach((e) => e.remove());
  for (const r of rows) {
    const tr = root.querySelector(`tr[data-number="${CSS.escape(r.record)}"]`);
    if (!tr) continue;
    tr.classList.add('invalid-row');
    const input = fieldOf(tr, r);
    if (input) input.classList.add('invalid');
    tr.cells[1].append(h('div', { class: 'error-text row-error', role: 'alert' }, r.message));
  }
  const first = root.querySelector('tr.invalid-row .invalid');
  if (first) first.focus();
}

/** Asks a yes/no question in a modal; resolves true for `yes`. */
export async function ask(title, text, { yes = '确定', id = 'ask-dialog' } = {}) {
  const r = await dialog(title, h('p', {}, text), { submitLabel: yes, id, onSubmit: () => true });
  return r === true;
}

/** 取消 on a half-typed form asks before throwing it away (issue 20): `link` leaves the form;
 * when anything differs from what the form opened with, it asks first. */
export function guardCancel(form, link) {
  const snapshot = () => JSON.stringify(formData(form));
  const opened = snapshot();
  link.addEventListener('click', async (e) => {
    if (snapshot() === opened) return;
    e.preventDefault();
    if (await ask('放弃填写？', '表单中有尚未保存的内容，取消将丢弃这些内容。', { yes: '放弃并离开', id: 'discard-dialog' })) {
      go(link.getAttribute('href'));
    }
  });
}

/** Orders Chinese names by pinyin, as Excel and WPS do (the core's lists come sorted so). */
export const byPinyin = new Intl.Collator('zh-Hans-CN-u-co-pinyin').compare;

const pad = (n) => String(n).padStart(2, '0');

export function todayIso() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Now as the text a person would type: 2014-06-21 10:30. */
export function nowText() {
  const d = new Date();
  return `${todayIso()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** 2014-06-20 → 20140620 (the register's way). */
export const compact = (iso) => (iso ? iso.replaceAll('-', '') : '');

/** A stored moment → 2014-06-21 10:30. */
export const moment = (s) => (s ? s.slice(0, 16).replace('T', ' ') : '');

export function field(label, input, { required = false, wide = false, hint = null } = {}) {
  return h('label', { class: wide ? 'wide' : null },
    h('span', { class: required ? 'req' : null }, label), input, hint ? h('span', { class: 'hint' }, hint) : null);
}

export function select(name, options, value = '', attrs = {}) {
  return h('select', { name, ...attrs },
    options.map((o) => {
      const [v, l] = Array.isArray(o) ? o : [o, o];
      return h('option', { value: v, selected: v === value ? true : null }, l);
    }));
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    const ta = h('textarea', { style: 'position:fixed;left:-9999px' }, text);
    document.body.append(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
  toast('已复制到剪贴板');
}

/** Navigates to `hash`, re-rendering even when it is the current one. */
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/** The label a form of the core (app.info.forms.*) prints for a field key, or undefined. */
export function formLabel(form, key) {
  const f = [...form.heading_line, ...form.fields].find((x) => x.key === key);
  return f ? f.label : undefined;
}

/** Where a record of the deadlines (to-do, assessment) opens: a bug, a week's 周报, or a
 * requirement. */
export const recordHash = (record) => (record.startsWith('B') ? `#/bug/${encodeURIComponent(record)}`
  : record.endsWith('周报') ? `#/weekly/${encodeURIComponent(record.slice(0, 10))}`
    : `#/req/${encodeURIComponent(record)}`);

/** Whether the record a page was drawn from has changed since (issue 22: a page with something
 * typed and not saved says so only then). `fetch` reads it again; `drawn` is what was drawn
 * (both with their `version`). */
export function recordChanged(fetch, drawn) {
  // by its version (what a save is checked against); values computed for today, or lists
  // of people it carries, change without the record changing
  return async () => (await fetch()).version !== drawn.version;
}
