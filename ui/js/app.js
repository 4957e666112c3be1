// The window: a hash router over the views, and the operator (who is using this PC).
import { api } from './api.js';
import { h, ask, clear, dialog, toast, field, select, nowText } from './components/dom.js';
import { registerView } from './views/register.js';
import { requirementFormView } from './views/requirement-form.js';
import { detailView } from './views/detail.js';
import { peopleView, personFields, personInput } from './views/people.js';
import { importView } from './views/import.js';
import { settingsView } from './views/settings.js';
import { delaysView, delayPrintView } from './views/delays.js';
import { bugsView, bugFormView, bugDetailView } from './views/bugs.js';
import { weeklyView, monthlyView, meetingView, assessmentView } from './views/reports.js';
import { todoView } from './views/todo.js';
import { noticesView } from './views/notices.js';
import { unavailableCard } from './views/database.js';
import { syncView, inboxView } from './views/sync.js';

export const app = { info: null };

const routes = [
  [/^#\/register$/, 'register', () => registerView(app)],
  [/^#\/register\/status\/([^/]+)$/, 'register', (m) => registerView(app, decodeURIComponent(m[1]))],
  [/^#\/new$/, 'new', () => requirementFormView(app)],
  [/^#\/req\/([^/]+)\/edit$/, 'register', (m) => requirementFormView(app, decodeURIComponent(m[1]))],
  [/^#\/req\/([^/]+)(?:\/(\w+))?$/, 'register', (m) => detailView(app, decodeURIComponent(m[1]), m[2])],
  [/^#\/people$/, 'people', () => peopleView(app)],
  [/^#\/import$/, 'import', () => importView(app)],
  [/^#\/settings$/, 'settings', () => settingsView(app)],
  [/^#\/about$/, 'settings', () => settingsView(app, 'about')],
  [/^#\/delays$/, 'delays', () => delaysView(app)],
  [/^#\/bugs$/, 'bugs', () => bugsView(app)],
  [/^#\/bugs\/new$/, 'bugs', () => bugFormView(app)],
  [/^#\/bug\/([^/]+)$/, 'bugs', (m) => bugDetailView(app, decodeURIComponent(m[1]))],
  [/^#\/bug\/([^/]+)\/edit$/, 'bugs', (m) => bugFormView(app, decodeURIComponent(m[1]))],
  [/^#\/delay\/(\w+)\/print$/, 'delays', (m) => delayPrintView(app, m[1])],
  [/^#\/weekly(?:\/([^/]+))?$/, 'weekly', (m) => weeklyView(app, m[1] ? decodeURIComponent(m[1]) : null)],
  [/^#\/todo(\/all)?$/, 'todo', (m) => todoView(app, Boolean(m[1]))],
  [/^#\/sync$/, 'sync', () => syncView(app)],
  [/^#\/inbox$/, 'inbox', () => inboxView(app)],
  [/^#\/notices(?:\/([^/]+))?$/, 'todo', (m) => noticesView(app, m[1] ? decodeURIComponent(m[1]) : null)],
  [/^#\/assessment(?:\/([^/]+))?$/, 'weekly', (m) => assessmentView(app, m[1] ? decodeURIComponent(m[1]) : null)],
  [/^#\/meeting(?:\/([^/]+))?$/, 'weekly', (m) => meetingView(app, m[1] ? decodeURIComponent(m[1]) : null)],
  [/^#\/monthly(?:\/([^/]+))?$/, 'weekly', (m) => monthlyView(app, m[1] ? decodeURIComponent(m[1]) : null)],
];

/** What the page holds that the user entered: its fields, and the pictures pasted or picked
 * (kept beside the fields). Drawn again only while this is as it was drawn. */
const typed = (main) => [...main.querySelectorAll('input, textarea, select')]
  .map((e) => (e.type === 'checkbox' || e.type === 'radio' ? String(e.checked) : e.value))
  .concat(String(main.querySelectorAll('img').length)).join('\u0001');

/** Whether the page holds something not saved: a field changed since drawn, or a dialog open. */
const unsaved = (main) => Boolean(document.querySelector('dialog[open]')) || typed(main) !== app.drawn;

/** Says that others changed the data under what the user is entering, where nothing the
 * user is about to click moves when it comes: in the free left end of the form's bar of
 * buttons held at the window's bottom, or else after the page, held at the window's bottom
 * while the page scrolls. Reloading throws the typing away, so it asks first. */
function staleBanner(main) {
  if (document.getElementById('stale-banner')) return;
  const bar = main.querySelector('.actions.sticky');
  // (asked only while something is still unsaved: the typing may have been undone since)
  const reload = async () => {
    if (!unsaved(main) || await ask('要重新载入本页吗？', '本页已填写但尚未保存的内容将被丢弃，页面将显示他人修改后的最新数据。', { yes: '放弃并重新载入', id: 'stale-dialog' })) {
      render(true, true);
    }
  };
  const banner = h('div', { class: `banner warning${bar ? ' in-bar' : ''}`, id: 'stale-banner', role: 'status' },
    h('span', { class: 'said' }, '这一页的数据刚被他人修改。你填写的内容仍在，没有保存；保存时如果与他人的修改冲突，会提示你。'),
    // a narrow window's bar has room for less
    h('span', { class: 'said-short', title: '你填写的内容仍在，没有保存；保存时如果与他人的修改冲突，会提示你。' },
      '此页数据已被他人修改；你填写的内容仍在，尚未保存'),
    h('button', { type: 'button', id: 'stale-reload', onclick: reload }, '重新载入本页'));
  if (bar) bar.prepend(banner); else main.append(banner);
}

let drawing = 0;
/** Draws the page of the current address. `again`: the same page drawn anew (someone else
 * changed the database), kept where it was scrolled — unless the user entered something while
 * it was being read (`force`: they asked for it). A draw overtaken by a later one is dropped. */
async function render(again = false, force = false) {
  const mine = ++drawing;
  const hash = location.hash || '#/register';
  const main = document.getElementById('view');
  for (const [re, nav, view] of routes) {
    const m = hash.match(re);
    if (!m) continue;
    document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.route === nav));
    const top = main.scrollTop;
    try {
      const page = await view(m);
      if (mine !== drawing) return;
      if (again && !force && unsaved(main)) { staleBanner(main); return; }
      clear(main, page);
      // a new page starts at its top, not where the last one was scrolled
      main.scrollTop = again ? top : 0;
      app.drawn = typed(main);
      showSync();
      // a page that redraws itself when others change the data says how (the register);
      // the import wizard's steps live in the page: never drawn anew under it
      app.live = nav === 'import' ? async () => {} : page.genjinLive || null;
      // a page drawn from one record says whether that record changed (else: any change)
      app.stale = page.genjinStale || null;
    } catch (e) {
      if (mine !== drawing) return;
      clear(main, h('div', { class: 'card' }, h('h2', {}, '出错了'), h('p', {}, e.message || String(e)),
        h('a', { href: '#/register' }, '返回登记表')));
    }
    return;
  }
  location.hash = '#/register';
}

/** The menu's 待同步 (a laptop: with how many wait) or 待登记 (the department: reports waiting
 * for a number; shown once there are laptops or reports), as the core counts them (issue 24). */
async function showSync() {
  let st;
  try { st = await api.syncStatus(); } catch (_) { return; }
  app.sync = st;
  const sync = document.getElementById('nav-sync');
  const inbox = document.getElementById('nav-inbox');
  sync.hidden = !st.laptop;
  document.getElementById('sync-badge').textContent = st.laptop && (st.pending + st.refused) ? String(st.pending + st.refused) : '';
  inbox.hidden = Boolean(st.laptop) || !(st.laptops || st.inbox);
  document.getElementById('inbox-badge').textContent = st.inbox ? String(st.inbox) : '';
  // a laptop registers nothing itself: its 新建需求 is a report waiting to be registered
  document.getElementById('nav-new').textContent = st.laptop ? '填写需求报告' : '新建需求';
}

function showOperator() {
  const op = app.info.operator;
  document.getElementById('operator-name').textContent =
    op ? `操作人：${op.name}${op.department ? `（${op.department}）` : ''}` : '未选择操作人';
}

/** With sign-in on (issue 13): pick yourself and give your password; not skippable. `who`:
 * the person picked at first (the one who just turned sign-in on). */
async function signIn(who = null, why = null) {
  const people = (await api.people()).filter((p) => p.active);
  // the last person who signed in to this database on this PC is picked at first (issue 22);
  // the password is never kept
  const lastKey = `genjin.lastSignIn|${app.info.db_path}`;
  const last = who || localStorage.getItem(lastKey);
  const body = h('div', {},
    why ? h('p', { class: 'banner warning', id: 'signed-out' }, why) : null,
    h('p', {}, '已开启登录：请选择你自己并输入密码。'),
    field('姓名', select('person', people.map((p) => [String(p.id), `${p.name}${p.department ? `（${p.department}）` : ''}`]), last ? String(last) : '')),
    field('密码', h('input', { type: 'password', name: 'password', autocomplete: 'current-password' }), { required: true }));
  const result = await dialog('登录', body, {
    id: 'sign-in-dialog',
    submitLabel: '登录',
    cancellable: false,
    onSubmit: (data) => api.signIn(Number(data.person), data.password || ''),
  });
  if (result) {
    localStorage.setItem(lastKey, String(result.id));
    app.info = await api.appInfo();
    showOperator();
    toast(`已登录：${result.name}`);
    await render();
  }
}

/** A shared database on which nobody holds a password yet (copied from a file used without
 * sign-in, or set up on the command line): until someone who may manage people sets the first,
 * anyone could act as anyone, so the window says so and offers to set it (issue 22; the core
 * decides who may). */
function firstPasswordBanner() {
  if (!app.info.first_password || document.getElementById('first-password-banner')) return;
  const banner = h('div', { class: 'banner warning', role: 'alert', id: 'first-password-banner' },
    '这是部门的共享数据库，但还没有人设置登录密码：在此之前谁都能以别人的名义操作。请需求收集人或决策组成员为自己设置第一个密码，之后每人用自己的密码登录。',
    h('button', { type: 'button', id: 'first-password', onclick: () => firstPassword() }, '设置登录密码'));
  document.body.insertBefore(banner, document.getElementById('view'));
}

async function firstPassword() {
  const people = (await api.people()).filter((p) => p.active);
  const op = app.info.operator;
  const body = h('div', {},
    h('p', { class: 'hint' }, '设置后，这个共享数据库上每人都要用自己的密码登录；没有密码的人由你在“人员”中为其设置。'),
    field('你是', select('person', people.map((p) => [String(p.id), `${p.name}${p.department ? `（${p.department}）` : ''}`]), op ? String(op.id) : '')),
    field('密码', h('input', { type: 'password', name: 'password', autocomplete: 'new-password' }), { required: true }),
    field('再输入一次', h('input', { type: 'password', name: 'again', autocomplete: 'new-password' }), { required: true }));
  const result = await dialog('设置第一个登录密码', body, {
    id: 'first-password-dialog',
    submitLabel: '设置并登录',
    onSubmit: (d) => {
      if ((d.password || '') !== (d.again || '')) throw Object.assign(new Error('两次输入的密码不一样'), { field: 'again' });
      return api.firstPassword(Number(d.person), d.password || '');
    },
  });
  if (result) {
    localStorage.setItem(`genjin.lastSignIn|${app.info.db_path}`, String(result.id));
    app.info = await api.appInfo();
    const banner = document.getElementById('first-password-banner');
    if (banner) banner.remove();
    showOperator();
    toast(`已设置登录密码并登录：${result.name}`);
    await render();
  }
}

/** Asks who is operating: pick a known person or add yourself. Required on first start. */
export async function chooseOperator(first = false, why = null) {
  if (app.info.sign_in) return signIn();
  const everyone = await api.people();
  const people = everyone.filter((p) => p.active);
  // (the core's "first person" counts everyone listed, active or not)
  const firstOnServer = first && !everyone.length && app.info.shared;
  // on a shared database each window names its own person: the last one named on this PC is
  // picked at first (issue 22)
  const lastKey = `genjin.lastSignIn|${app.info.db_path}`;
  const picked = app.info.operator ? app.info.operator.id : (app.info.shared && localStorage.getItem(lastKey));
  const naming = app.info.shared && everyone.length > 0 && !app.info.operator;
  const body = h('div', {},
    why ? h('p', { class: 'banner warning', id: 'operator-gone' }, why) : null,
    first && !why ? h('p', {}, naming ? '欢迎使用跟进。每一次修改都会记下是谁做的，请在名单中选择你自己。'
      : '欢迎使用跟进。每一次修改都会记下是谁做的，请先选择或登记你自己。') : null,
    // the roles ticked are the roles held (issue 19): the first person must be able to add
    // the others, and is told so before, not given roles behind their back
    first && !people.length ? h('p', { class: 'hint', id: 'first-person-hint' },
      '你是第一位人员：请勾选你实际担任的角色，其中要有“需求收集人”或“决策组”，才能再添加其他人。决策组可以指定任何角色；需求收集人可以指定需求报告人、需求收集人和产品经理，以及还没有人担任的角色。') : null,
    people.length ? field('选择已有人员', select('person', [['', naming ? '— 请选择 —' : '— 新登记 —'], ...people.map((p) => [String(p.id), `${p.name}${p.department ? `（${p.department}）` : ''}`])],
      picked ? String(picked) : '')) : null,
    // on a shared database with people, a newcomer is added by someone who may add people
    // (the core refuses anyone else): said instead of a form that cannot succeed
    naming ? h('p', { class: 'hint', id: 'ask-to-be-added' }, '名单中没有你？请需求收集人或决策组成员在“人员”中添加你，添加后点',
      h('button', {
        type: 'button', class: 'link', id: 'operator-refresh',
        onclick: () => { document.getElementById('operator-dialog').close(); chooseOperator(first, why); },
      }, '刷新名单'), '。连错了数据库？',
      h('button', {
        type: 'button', class: 'link', id: 'operator-elsewhere',
        onclick: () => { document.getElementById('operator-dialog').close(); location.hash = '#/settings'; },
      }, '改用其他数据库'))
      : h('fieldset', { id: 'new-person' }, h('legend', {}, '新登记'), personFields(app)),
    // the first person of a shared database sets their password as they are added (issue 22)
    firstOnServer ? h('fieldset', { id: 'first-password-fields' }, h('legend', {}, '登录密码'),
      h('p', { class: 'hint' }, '这是部门的共享数据库：局域网里谁都能打开跟进，所以每人用自己的密码登录。请为自己设置密码（至少 6 个字符）。'),
      field('密码', h('input', { type: 'password', name: 'password', autocomplete: 'new-password' }), { required: true }),
      field('再输入一次', h('input', { type: 'password', name: 'again', autocomplete: 'new-password' }), { required: true })) : null,
    // a first start may belong on the department's shared database instead (issue 22)
    first && !people.length && !app.info.shared ? h('p', { class: 'hint' }, '部门已有共享数据库？',
      h('button', {
        type: 'button', class: 'link', id: 'first-shared',
        onclick: () => { document.getElementById('operator-dialog').close(); location.hash = '#/settings'; },
      }, '连接部门的共享数据库')) : null);
  const result = await dialog(first ? '谁在使用跟进？' : '切换操作人', body, {
    id: 'operator-dialog',
    submitLabel: '开始使用',
    cancellable: !first,
    onSubmit: async (data) => {
      if (data.person) return api.setOperator(Number(data.person));
      if (naming) throw Object.assign(new Error('请在名单中选择你自己'), { field: 'person' });
      if (firstOnServer && (data.password || '') !== (data.again || '')) {
        throw Object.assign(new Error('两次输入的密码不一样'), { field: 'again' });
      }
      return api.addPerson(personInput(data), true, firstOnServer ? (data.password || '') : null);
    },
  });
  if (result) {
    localStorage.setItem(lastKey, String(result.id));
    app.info = await api.appInfo();
    showOperator();
    toast(`当前操作人：${result.name}`);
    // the open page is redrawn with the new person's rights (issue 20), except on a first start,
    // which has nothing of anyone's yet; a window naming its person on a shared database is
    // drawn again for them (on their to-do when it had no page), as after a sign-in
    if (!first) await render();
    else if (app.info.shared && people.length) {
      // (the page was drawn for nobody: drawn again for them)
      if (!location.hash) history.replaceState(null, '', '#/todo');
      await render();
    }
  }
}

async function start() {
  // marks for the window benchmark (tests/e2e/bench.rs): where the launch's time goes
  performance.mark('genjin:modules-loaded');
  try {
    app.info = await api.appInfo();
    performance.mark('genjin:app-info');
  } catch (e) {
    clear(document.getElementById('view'), h('div', { class: 'card' }, h('h2', {}, '无法打开数据库'), h('p', {}, e.message)));
    return;
  }
  // this PC's database file could not be opened: why, and nothing else (the file is as it was)
  if (app.info.unopened) {
    document.title = '跟进 Genjin — 无法打开数据库';
    clear(document.getElementById('view'), h('section', {}, h('div', { class: 'card', id: 'unopened' },
      h('h2', {}, '无法打开数据库'),
      h('p', { id: 'unopened-why' }, app.info.unopened),
      h('p', { class: 'hint' }, `数据库文件：${app.info.db_path}。跟进没有改动这个文件。请关闭窗口，检查这个文件：是否被其他程序占用、是否有权限、是否由更新版本的跟进用过（请升级跟进）。文件损坏时：关闭跟进，把这个文件另存一份，再把同一文件夹 backups 中最新的备份文件复制过来，改成这个文件的名字；或请管理员帮忙。`))));
    return;
  }
  // the shared database remembered on this PC is away: why, and the ways on; nothing else
  if (app.info.unavailable) {
    document.title = '跟进 Genjin — 无法连接共享数据库';
    clear(document.getElementById('view'), await unavailableCard(app.info.unavailable));
    return;
  }
  document.title = `跟进 Genjin — ${app.info.shared ? '共享数据库 ' : ''}${app.info.db_path}`;
  await showSync();
  showOperator();
  // what the core says at once: the database on a network share, a failed daily backup
  for (const w of app.info.warnings || []) {
    document.body.insertBefore(h('div', { class: 'banner warning', role: 'alert' }, w), document.getElementById('view'));
  }
  document.getElementById('operator-switch').addEventListener('click', () => chooseOperator(false));
  // sign-in turned on (or off) in 设置: the window signs in at once, or goes on as the operator
  window.addEventListener('genjin:sign-in-changed', async (e) => {
    const was = e.detail && e.detail.operator;
    app.info = await api.appInfo();
    showOperator();
    if (app.info.sign_in) await signIn(was ? was.id : null);
    else await render();
  });
  window.addEventListener('hashchange', () => render());
  // a refusal may mean this window was signed out (its person deactivated on another PC)
  // (several refusals at once ask once)
  let asking = false;
  window.addEventListener('genjin:forbidden', async () => {
    if (asking || document.getElementById('sign-in-dialog')) return;
    asking = true;
    try {
      // (sign-in may have become required meanwhile: the first password set on another PC)
      const info = await api.appInfo().catch(() => null);
      if (!info || info.operator) return;
      if (!info.sign_in) {
        // a shared database nobody holds a password for yet: the person named in this window
        // was deactivated; another is named
        if (!info.shared || !app.info.operator) return;
        const was = app.info.operator;
        app.info = info;
        showOperator();
        // (a dialog open meanwhile, 切换 say, gives way to this one)
        document.querySelectorAll('dialog[open]').forEach((d) => d.close());
        await chooseOperator(true, `${was.name} 已被停用或已不在人员名单中，请重新选择操作人。`);
        return;
      }
      const was = app.info.sign_in && app.info.operator;
      app.info = info;
      showOperator();
      const banner = document.getElementById('first-password-banner');
      if (banner && !info.first_password) banner.remove();
      await signIn(null, was ? '你已退出登录：你的账号已被停用，或登录已失效。请换一位人员登录。'
        : '共享数据库已开启登录：每人用自己的密码登录。');
    } finally {
      asking = false;
    }
  });
  // someone else changed the database: the page shows it (issue 22)
  api.onChanged(() => changedElsewhere().catch(() => {}));
  // Alt+N: 新建需求; Esc (outside a field or dialog): from a requirement back to the register
  document.addEventListener('keydown', (e) => {
    if (e.altKey && (e.key === 'n' || e.key === 'N')) { e.preventDefault(); location.hash = '#/new'; return; }
    const typing = e.target.closest && e.target.closest('input, textarea, select, dialog');
    if (e.key === 'Escape' && !typing && location.hash.startsWith('#/req/') && !document.querySelector('dialog[open]')) {
      location.hash = '#/register';
    }
  });
  // Clicking the current page's tab starts it afresh (e.g. a new import after one finished).
  document.querySelectorAll('#nav a').forEach((a) => a.addEventListener('click', (e) => {
    if (a.getAttribute('href') === location.hash) { e.preventDefault(); render(); }
  }));
  // the operator's start page is their to-do (我的待办); a first start, still choosing who is
  // operating, opens on the register
  if (!location.hash && (app.info.operator || app.info.sign_in)) history.replaceState(null, '', '#/todo');
  if (app.info.sign_in && !app.info.operator) {
    await signIn();
  } else {
    await render();
    if (!app.info.operator) await chooseOperator(true);
    firstPasswordBanner();
  }
  remind();
  setInterval(remind, 60 * 1000);
  // a window left open across midnight still takes the new day's backup (the core decides)
  setInterval(() => api.backupDaily().catch(() => {}), 60 * 1000);
}

/** Someone else changed the database (issue 22: another PC, another window, the command line;
 * the core tells within about a second). The page shows it without a click: a page that
 * redraws itself (the register: its filters, sort, page and scroll kept) does; any other is
 * drawn anew where it was scrolled — unless something is typed in it and not saved, or a
 * dialog is open: that is never overwritten, the page says that the data changed. */
async function changedElsewhere() {
  remind();
  showSync();
  const main = document.getElementById('view');
  if (app.live) { await app.live(); return; }
  if (unsaved(main)) {
    // something typed stays as typed; the page says so when its own record changed
    const stale = app.stale;
    if (stale && !(await stale().catch(() => true))) return;
    staleBanner(main);
    return;
  }
  await render(true);
}

/** Where this window keeps what it reminded of: per database and operator, so another
 * person at this PC (or another database) gets their own. */
const reminderKey = () => `genjin.reminders|${app.info.db_path}|${app.info.operator.id}`;

/** While the app is open: a desktop notification when one of the operator's steps falls due
 * within the hour or becomes overdue — once per step (the window keeps which it named); a first
 * check names a few of the backlog and counts the rest. What is due is the core's; the window
 * asks only for what came up since its last check (issue 20: never the whole to-do). */
async function remind() {
  if (!app.info || !app.info.operator) return;
  const key = reminderKey();
  const kept = JSON.parse(localStorage.getItem(key) || 'null') || { since: null, told: [] };
  const checked = nowText();
  let alerts;
  try { alerts = await api.todoAlerts(kept.since); } catch (_) { return; }
  if (!alerts) return;
  const told = new Set(kept.told);
  const id = (i) => `${i.rule}|${i.record}|${i.due}`;
  const fresh = alerts.items.filter((i) => !told.has(id(i)));
  const more = fresh.length > 3 ? fresh.length - 3 + alerts.more : alerts.more;
  for (const i of fresh.slice(0, 3)) {
    await api.notify(i.overdue ? '跟进：待办已逾期' : '跟进：待办一小时内到期', `${i.rule} · ${i.record} ${i.brief} · ${i.due} 到期`);
  }
  if (more) await api.notify('跟进：还有待办', `另有 ${more} 项到期或逾期，见“待办”`);
  fresh.forEach((i) => told.add(id(i)));
  localStorage.setItem(key, JSON.stringify({ since: checked, told: [...told].slice(-500) }));
}

start();
