// 待办: what is due and overdue now, computed by the core from what was recorded (the policy's
// 时间节点). Mine by default, everyone's on request; each line opens its record.
import { api } from '../api.js';
import { h, go, recordHash as target } from '../components/dom.js';


/** Where a line opens: its record, at the tab where the step is done (the core says which). */
const opens = (i) => (i.tab && !i.record.endsWith('周报') ? `${target(i.record)}/${i.tab}` : target(i.record));

/** #/todo (mine) or #/todo/all. */
export async function todoView(app, all = false) {
  // the first lines only, with the counts (issue 20: the page holds nothing that grows with
  // the database)
  const { items, total, overdue, notes } = await api.todoPage(all);
  const op = (app.info.operator || {}).name;
  return h('section', {},
    h('div', { class: 'detail-head' }, h('h1', {}, all ? '全部待办' : '我的待办'),
      h('span', { class: 'muted', id: 'todo-count' }, `共 ${total} 项，逾期 ${overdue} 项${total > items.length ? `（列出最早到期的 ${items.length} 项）` : ''}`), h('span', { class: 'spacer' }),
      h('a', { href: '#/notices', class: 'button', id: 'todo-notices' }, '批量记录通知'),
      h('a', { href: all ? '#/todo' : '#/todo/all', class: 'button', id: 'todo-switch' }, all ? '只看我的' : '看全部')),
    !all && !op ? h('p', { class: 'hint' }, '未选择操作人：请先在右上角选择，才能列出“我的待办”。') : null,
    // the collector's lists: to check or to assign, no one's steps, charged to no one
    notes.length ? h('ul', { class: 'notes', id: 'todo-notes' }, notes.map((n) => h('li', { 'data-kind': n.kind, title: n.explain },
      h('a', { href: n.record ? `#/req/${encodeURIComponent(n.record)}/details` : `#/register/status/${encodeURIComponent(n.filter)}` }, n.text),
      h('div', { class: 'hint' }, n.explain)))) : null,
    items.length ? h('table', { class: 'plain', id: 'todo' },
      h('thead', {}, h('tr', {}, ['到期', '时间节点', '记录', '负责人', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.map((i) => h('tr', {
        class: i.overdue ? 'overdue' : null, tabindex: 0, 'data-record': i.record,
        onclick: () => go(opens(i)), onkeydown: (e) => { if (e.key === 'Enter') go(opens(i)); },
      }, h('td', {}, i.due), h('td', { title: i.explain }, h('div', {}, i.rule), h('div', { class: 'hint' }, i.explain)),
      h('td', { class: 'todo-record' }, h('div', {}, i.record), i.brief ? h('div', { class: 'hint brief' }, i.brief) : null), h('td', {}, i.responsible),
      h('td', {}, i.overdue ? h('span', { class: 'badge overdue' }, '逾期') : '')))))
      : h('p', { class: 'muted' }, '没有待办事项。'),
    h('p', { class: 'hint' }, '按制度的时间节点，从已记录的每一步的时间算出；尚未发生的步骤没有时限。'));
}
