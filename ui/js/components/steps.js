// Shared pieces of every detail view that walks a record through its steps (requirements now;
// delay applications and bugs next): a step card whose enabled state is the core's verdict, the
// "when it happened" field, and day inputs.
import { h, field, formData, go, nowText, showError, submitOnCtrlEnter, toast } from './dom.js';

/** "When it happened": defaults to now; editable because work is often entered later. */
export function happenedField() {
  return field('发生时间', h('input', { name: 'happened_at', value: nowText(), class: 'date-time' }), { hint: '默认现在；补录时改为实际发生的时间' });
}

/** One lifecycle step: a card with what is recorded and a small form to record it. `gate` is
 * the core's verdict on the step ({open, why}); the card is enabled exactly when it is open. */
export function stepCard({ id, title, current, gate, fields, save, label = '保存' }) {
  const enabled = gate.open;
  const why = gate.why;
  const form = h('form', { id: `step-${id}` }, h('div', { class: 'grid' }, fields, happenedField()),
    h('div', { class: 'error-text' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: !enabled }, label)));
  submitOnCtrlEnter(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!enabled) return;
    const data = formData(form);
    try {
      await save(data);
      toast(`${title}：已记录`);
      go(location.hash);
    } catch (err) {
      showError(err, form);
    }
  });
  return h('div', { class: `card step${enabled ? '' : ' disabled'}`, id: `card-${id}` },
    h('h3', {}, title), h('div', { class: 'current' }, current), enabled ? null : h('p', { class: 'hint' }, why), form);
}

export const dayInput = (name, value) => h('input', { name, value: value || '', placeholder: '年-月-日', autocomplete: 'off' });

