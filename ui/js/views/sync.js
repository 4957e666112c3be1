// Offline laptops (issue 24). On a laptop: 待同步 — what was recorded here and waits to be
// sent or registered, what came back refused (with why), and the two ways to sync. On the
// department's database: 待登记 — reports and bugs from laptops and desks waiting for the
// collector's number, and the steps that could not be applied. What is waiting, refused or
// registered is the core's; the window shows it.
import { api, savePath, openPath } from '../api.js';
import { h, ask, dialog, field, moment, toast, todayIso } from '../components/dom.js';

/** What the last sync (or registration) in this window said: shown on its page until the
 * next, however often the page is drawn again meanwhile. */
const last = { sync: '', inbox: '' };

/** What a sync did, as the core words it, in a toast and on the page. */
function said(report) {
  return (report && report.lines ? report.lines : []).join('\n');
}

function kindOf(s) {
  return { requirement: '需求', bug: 'Bug', notice: '通知' }[s.kind_code] || s.kind;
}

/** 同步（网络）: the department's shared database, its address typed (the password is never kept). */
async function syncOverNetwork(app, status) {
  const remembered = localStorage.getItem('genjin.syncAddress') || '';
  const body = h('div', {},
    h('p', { class: 'hint' }, `回到公司网络或连上 VPN 后，与部门的共享数据库（${status.laptop.upstream}）同步：发送这里记录的内容，并取回你的需求、Bug 和登记结果。`),
    field('共享数据库地址', h('input', { name: 'url', value: remembered, autocomplete: 'off', placeholder: 'postgres://用户名:密码@服务器:端口/数据库名' }), { required: true, wide: true }));
  const report = await dialog('与共享数据库同步', body, {
    id: 'sync-with-dialog',
    submitLabel: '同步',
    onSubmit: async (d) => {
      const url = (d.url || '').trim();
      const r = await api.syncWith(url);
      // the address is remembered without its password
      localStorage.setItem('genjin.syncAddress', url.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1@'));
      return r;
    },
  });
  if (report) toast(said(report) || '已同步');
  return report;
}

async function writeSyncFile(app, status) {
  const name = `外出同步-${status.laptop.person}-${todayIso().replaceAll('-', '')}.genjin`;
  const path = await savePath('写出同步文件', name, ['genjin']);
  if (!path) return null;
  const report = await api.syncOut(path);
  toast(said(report));
  return report;
}

async function applyReply() {
  const path = await openPath('选择需求收集人发回的回执', ['genjin']);
  if (!path) return null;
  const report = await api.syncIn(path, null);
  toast(said(report));
  return report;
}

/** #/sync on a laptop. */
export async function syncView(app) {
  const status = await api.syncStatus();
  if (!status.laptop) {
    return h('section', {}, h('h1', {}, '待同步'),
      h('p', { class: 'muted' }, '本数据库不是外出用的复制库。需求收集人可以在共享数据库上为外出人员制作一份（命令行：genjin copy-db --to 文件 --for 姓名）。'));
  }
  const list = await api.syncPending();
  const result = h('pre', { id: 'sync-said', class: 'said', hidden: true });
  const show = (report) => {
    if (!report) return;
    result.textContent = said(report);
    result.hidden = !result.textContent;
  };
  const redraw = () => window.dispatchEvent(new HashChangeEvent('hashchange'));
  const act = (fn) => async () => {
    try {
      const report = await fn();
      if (report) { show(report); last.sync = said(report); redraw(); }
    } catch (e) { toast(e.message || String(e), 'error'); }
  };
  if (last.sync) { result.textContent = last.sync; result.hidden = false; }
  const discard = async (s) => {
    if (!await ask('放弃这条记录？', `${kindOf(s)}：${s.summary}。放弃后不会再发送，可以重新填写。`, { yes: '放弃', id: 'discard-submission' })) return;
    try {
      await api.syncDiscard(s.id);
      toast(`已放弃 待登记 ${s.id}`);
      redraw();
    } catch (e) { toast(e.message || String(e), 'error'); }
  };
  return h('section', {},
    h('div', { class: 'detail-head' }, h('h1', {}, '待同步'),
      h('span', { class: 'muted', id: 'sync-count' }, `${list.length} 条`), h('span', { class: 'spacer' }),
      h('a', { href: '#/new', class: 'button', id: 'sync-new' }, '填写需求报告'),
      h('a', { href: '#/bugs/new', class: 'button', id: 'sync-new-bug' }, '报告 Bug')),
    h('div', { class: 'card', id: 'laptop-card' },
      h('p', {}, `这是 ${status.laptop.person} 外出用的复制库，来自“${status.laptop.upstream}”。`,
        status.laptop.last_sync ? `上次同步：${moment(status.laptop.last_sync)}。` : '还没有同步过。'),
      h('p', { class: 'hint' }, '在外面填写的需求报告和 Bug 由需求收集人登记编号，这里不会给出编号；记录的通知也在同步后才记到共享数据库上（按你填写的发生时间计算时限）。'),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', id: 'sync-with', onclick: act(() => syncOverNetwork(app, status)) }, '同步（网络）'),
        h('button', { type: 'button', id: 'sync-out', onclick: act(() => writeSyncFile(app, status)) }, '写出同步文件…'),
        h('button', { type: 'button', id: 'sync-reply', onclick: act(applyReply) }, '导入回执…')),
      h('p', { class: 'hint' }, '没有网络时：写出同步文件，用 QQ 或邮件发给需求收集人；收到回执后导入。')),
    result,
    list.length ? h('table', { class: 'plain', id: 'pending' },
      h('thead', {}, h('tr', {}, ['编号', '类型', '内容', '记录时间', '状态', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, list.map((s) => h('tr', { 'data-id': s.id, class: s.state_code === 'refused' ? 'overdue' : null },
        h('td', {}, `待登记 ${s.id}`), h('td', {}, kindOf(s)), h('td', {}, s.summary),
        h('td', {}, moment(s.recorded_at)), h('td', { class: 'standing' }, s.standing),
        h('td', {}, s.discardable
          ? h('button', { type: 'button', class: 'link discard', onclick: () => discard(s) }, '放弃') : '')))))
      : h('p', { class: 'muted', id: 'pending-empty' }, '没有待同步的内容。'));
}

/** 登记: the collector gives a waiting report or bug its number. */
async function accept(s) {
  const arrived = (s.arrived_at || '').slice(0, 10);
  const body = h('div', {},
    h('p', {}, `${kindOf(s)}：${s.summary}（${s.fields.reporter || s.person} 填写）`),
    field('收到日期', h('input', { name: 'received', value: arrived, placeholder: '年-月-日' }), { hint: '决定编号；默认为送达本数据库的日期' }),
    field('登记时间', h('input', { name: 'at', value: '', placeholder: '默认现在，例如 2026-12-04 16:30' })));
  return dialog(`登记 待登记 ${s.id}`, body, {
    id: 'accept-dialog',
    submitLabel: '登记',
    onSubmit: (d) => api.syncAccept(s.id, d.received || null, d.at || null),
  });
}

async function decline(s) {
  const body = h('div', {}, h('p', {}, `${kindOf(s)}：${s.summary}`),
    field('不予登记的原因', h('textarea', { name: 'reason', rows: 2 }), { required: true, wide: true, hint: '报告人同步后会看到' }));
  return dialog(`不予登记 待登记 ${s.id}`, body, {
    id: 'decline-dialog', submitLabel: '不予登记', onSubmit: (d) => api.syncDecline(s.id, d.reason || ''),
  });
}

/** 导入同步文件 at the department: a laptop's file applied, its reply written. */
async function importSyncFile() {
  const path = await openPath('选择外出人员发来的同步文件', ['genjin']);
  if (!path) return null;
  const base = path.split(/[\\/]/).pop().replace(/\.genjin$/i, '');
  const reply = await savePath('保存回执（发回给外出人员）', `回执-${base}.genjin`, ['genjin']);
  // no reply, no import: the laptop would never learn what became of its steps
  if (!reply) return null;
  return api.syncIn(path, reply);
}

/** #/inbox on the department's database. */
export async function inboxView(app) {
  const list = await api.syncInbox();
  const waiting = list.filter((s) => s.state_code === 'waiting');
  const refused = list.filter((s) => s.state_code !== 'waiting');
  const redraw = () => window.dispatchEvent(new HashChangeEvent('hashchange'));
  const result = h('pre', { id: 'inbox-said', class: 'said', hidden: true });
  if (last.inbox) { result.textContent = last.inbox; result.hidden = false; }
  const run = (fn, done) => async () => {
    try {
      const r = await fn();
      if (!r) return;
      const text = done(r);
      toast(text.split('\n')[0]);
      last.inbox = text;
      redraw();
    } catch (e) { toast(e.message || String(e), 'error'); }
  };
  return h('section', {},
    h('div', { class: 'detail-head' }, h('h1', {}, '待登记'),
      h('span', { class: 'muted', id: 'inbox-count' }, `${waiting.length} 份等待登记`), h('span', { class: 'spacer' }),
      h('button', { type: 'button', id: 'inbox-import', onclick: run(importSyncFile, said) }, '导入同步文件…')),
    h('p', { class: 'hint' }, '外出人员在医院填写的需求报告和 Bug，同步后送到这里；登记时给出需求编号（或 Bug 编号），报告人下次同步时得知。'),
    result,
    waiting.length ? h('table', { class: 'plain', id: 'inbox' },
      h('thead', {}, h('tr', {}, ['编号', '类型', '报告人', '需求梗概', '填报日期', '到达时间', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, waiting.map((s) => h('tr', { 'data-id': s.id },
        h('td', {}, `待登记 ${s.id}`), h('td', {}, kindOf(s)), h('td', {}, s.fields.reporter || s.person),
        h('td', {}, s.summary), h('td', {}, s.fields.report_date || s.fields.found_date || (s.happened_at || '').slice(0, 10)),
        h('td', {}, moment(s.arrived_at)),
        h('td', {},
          h('button', { type: 'button', class: 'primary accept', onclick: run(() => accept(s), (n) => `已登记 待登记 ${s.id}，编号 ${n}`) }, '登记'),
          h('button', { type: 'button', class: 'link decline', onclick: run(() => decline(s), () => `待登记 ${s.id} 不予登记`) }, '不予登记'))))))
      : h('p', { class: 'muted', id: 'inbox-empty' }, '没有待登记的报告。'),
    refused.length ? h('div', { class: 'card', id: 'inbox-refused' }, h('h2', {}, `未能应用（${refused.length} 条）`),
      h('ul', {}, refused.map((s) => h('li', {}, `${s.person}：${s.summary} — ${s.reason}`)))) : null);
}
