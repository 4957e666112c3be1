// 批量通知: the notices owed now, recorded several at once (issue 20: after a meeting, "tell
// 周杰 the results of his three requirements" in one go) — one notification and one history
// row each, all or none. What is owed and its text are the core's.
import { api } from '../api.js';
import { h, copyText, field, formData, go, markRows, nowText, select, showError, toast } from '../components/dom.js';

/** #/notices[/RECIPIENT] */
export async function noticesView(app, recipient = null) {
  const all = await api.noticesOwed(null, 200);
  const owed = recipient ? await api.noticesOwed(recipient, 200) : all;
  const recipients = [...new Set(all.items.map((n) => n.recipient).filter(Boolean))];
  const who = select('recipient', [['', '全部对象'], ...recipients.map((r) => [r, r])], recipient || '', {
    id: 'notices-recipient',
    onchange: (e) => go(e.target.value ? `#/notices/${encodeURIComponent(e.target.value)}` : '#/notices'),
  });
  const key = (n) => `${n.number}|${n.step}|${n.audience}`;
  const rows = owed.items.map((n) => h('tr', { 'data-key': key(n), 'data-number': n.number },
    h('td', {}, h('input', { type: 'checkbox', name: 'pick', value: key(n), checked: true, 'aria-label': `${n.number} ${n.step}` })),
    h('td', {}, h('a', { href: `#/req/${encodeURIComponent(n.number)}/notify` }, n.number), h('div', { class: 'hint' }, n.brief)),
    h('td', {}, n.step), h('td', {}, `${n.audience} ${n.recipient || '（未填）'}`),
    h('td', { class: 'message' }, n.message, ' ', h('button', { type: 'button', class: 'link', onclick: () => copyText(n.message) }, '复制'))));
  const form = h('form', { id: 'notices-form', class: 'row' },
    field('方式', select('channel', app.info.channels, app.info.channels[0] || '')),
    field('发送时间', h('input', { name: 'sent_at', value: nowText(), autocomplete: 'off' })),
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'confirmed' }), '对方已确认已知'),
    h('button', { type: 'submit', class: 'primary', id: 'notices-record', disabled: !rows.length }, '记录所选通知'),
    h('div', { class: 'error-text' }));
  const table = h('table', { class: 'plain', id: 'notices-owed' },
    h('thead', {}, h('tr', {}, ['', '需求', '事项', '对象', '消息'].map((t) => h('th', {}, t)))),
    h('tbody', {}, rows));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formData(form);
    const picked = new Set([...table.querySelectorAll('input[name=pick]:checked')].map((c) => c.value));
    const items = owed.items.filter((n) => picked.has(key(n)))
      .map((n) => ({ number: n.number, step: n.step, audience: n.audience, recipient: n.recipient }));
    if (!items.length) { showError({ message: '请至少勾选一条通知' }, form); return; }
    markRows(table, []);
    try {
      const done = await api.recordNotifications(items, v.channel, v.sent_at || null, Boolean(v.confirmed));
      toast(`已记录 ${done.length} 条通知`);
      go(location.hash);
    } catch (err) {
      if (err && err.kind === 'invalid_rows') {
        markRows(table, err.rows);
        form.querySelector('.error-text').textContent = `${err.rows.length} 条有问题（已在行内标出），本次没有记录任何通知。`;
      } else showError(err, form);
    }
  });
  return h('section', {},
    h('div', { class: 'detail-head' }, h('h1', {}, '批量记录通知'),
      h('span', { class: 'muted', id: 'notices-count' }, `待通知 ${owed.total} 条${owed.total > owed.items.length ? `（列出前 ${owed.items.length} 条）` : ''}`),
      h('span', { class: 'spacer' }), h('label', { class: 'inline' }, '通知对象', who)),
    h('p', { class: 'hint' }, '同一方式、同一时间告知的几条通知一次记录：每条需求各记一条通知和一行历史。消息可逐条复制后发送。'),
    rows.length ? h('div', { class: 'card' }, table, form) : h('p', { class: 'muted' }, '没有待记录的通知。'));
}
