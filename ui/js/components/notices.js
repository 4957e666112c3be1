// The notices a record owes (a requirement's steps, a fixed bug): each with its ready-to-send
// text, what was recorded, a form to record one as sent, and 已知 — shared by every detail view.
import { api } from '../api.js';
import { h, copyText, dialog, field, formData, go, moment, nowText, select, showError, toast } from './dom.js';

/** 记录对方已知 asks when they confirmed, now by default, like every other step (issue 20). */
async function confirmKnown(n) {
  const done = await dialog('记录对方已知', h('div', {},
    h('p', {}, `${n.recipient} 已确认知道此通知（${moment(n.sent_at)} 经${n.channel}发送）。`),
    field('确认时间', h('input', { name: 'confirmed_at', value: nowText(), autocomplete: 'off' }), { required: true, hint: '对方回复或确认的时间，默认现在' })), {
    id: 'confirm-known-dialog',
    submitLabel: '记录',
    onSubmit: (v) => api.confirmNotification(n.id, (v.confirmed_at || '').trim() || null),
  });
  if (done) { toast('已记录：对方已知'); go(location.hash); }
}

/** Cards for `dues` (as the core lists them). `record(due, input)` saves one; form ids are
 * `${idPrefix}-${i}`. */
export function noticeCards(app, dues, { idPrefix, record }) {
  const channels = app.info.channels; // the 通知方式 list, editable in 设置
  return dues.map((d, i) => {
    const form = h('form', { class: 'row', id: `${idPrefix}-${i}` },
      field('通知对象', h('input', { name: 'recipient', value: d.recipient })),
      field('方式', select('channel', channels, channels[0] || '')),
      field('发送时间', h('input', { name: 'sent_at', value: nowText() })),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'confirmed' }), '对方已确认已知'),
      h('button', { type: 'submit', class: 'primary' }, '记录已通知'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const v = formData(form);
      try {
        await record(d, { step: d.step, audience: d.audience, recipient: v.recipient, channel: v.channel, message: d.message, sent_at: v.sent_at, confirmed: !!v.confirmed });
        toast('已记录通知');
        go(location.hash);
      } catch (err) { showError(err, form); }
    });
    const state = d.confirmed ? h('span', { class: 'badge done' }, '已确认已知') : d.sent ? h('span', { class: 'badge delayed' }, '已通知，待确认') : h('span', { class: 'badge overdue' }, '未通知');
    return h('div', { class: `card notice${d.sent ? ' sent' : ''}`, 'data-step': d.step, 'data-audience': d.audience },
      h('h3', {}, `${d.step} → ${d.audience}`, state),
      h('div', { class: 'message' }, d.message),
      h('button', { type: 'button', class: 'copy', onclick: () => copyText(d.message) }, '复制消息'),
      d.records.length ? h('ul', {}, d.records.map((n) => h('li', {},
        `${moment(n.sent_at)} 经${n.channel}通知 ${n.recipient}（${n.recorded_by} 记录）`,
        n.confirmed_at ? ` · ${moment(n.confirmed_at)} 已确认已知` : h('button', {
          type: 'button', class: 'link', 'data-confirm': n.id, onclick: () => confirmKnown(n),
        }, ' 记录对方已知')))) : null,
      h('div', { class: 'error-text' }), form);
  });
}
