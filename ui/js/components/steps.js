// Shared pieces of every detail view that walks a record through its steps (requirements now;
// delay applications and bugs next): a step card whose enabled state is the core's verdict, the
// "when it happened" field, and day inputs.
import { h, field, formData, go, nowText, select, showError, submitOnCtrlEnter, toast } from './dom.js';

/** "When it happened": defaults to now; editable because work is often entered later. */
export function happenedField() {
  return field('发生时间', h('input', { name: 'happened_at', value: nowText(), class: 'date-time' }), { hint: '默认现在；补录时改为实际发生的时间' });
}

/** "Who did it", for a step recorded on someone's behalf: the holders of its role as the core
 * lists them ({role, people, default}); left empty when the operator does not hold the role. */
export function doerField(doer) {
  if (!doer) return null;
  return field('由谁完成', select('by', [['', '（未写明）'], ...doer.people], doer.default || ''),
    { hint: `${doer.role}的这一步；代别人录入时选实际完成的人` });
}

/** One lifecycle step: a card with what is recorded and a small form to record it. `gate` is
 * the core's verdict on the step ({open, why}); the card is enabled exactly when it is open.
 * `doer`: who may be named as having done it (the core's `doers`), when it can be recorded on
 * someone's behalf. */
export function stepCard({ id, title, current, gate, fields, save, label = '保存', doer = null }) {
  const enabled = gate.open;
  const why = gate.why;
  const form = h('form', { id: `step-${id}` }, h('div', { class: 'grid' }, fields, doerField(doer), happenedField()),
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

