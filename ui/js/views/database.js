// 设置 → 数据库 (issue 22): where the data lives — this PC's file or the department's shared
// database — and the way between them: test a server, connect to it (remembered for the next
// start), move this PC's data there, or return to this PC's file.
import { api } from '../api.js';
import { h, ask, clear, field, formData, select, showError, toast } from '../components/dom.js';

/** After a switch the whole window starts again on the other database. */
const restart = (message) => { toast(message); setTimeout(() => location.reload(), 600); };

/** The card of 设置 (also shown on a first start, and when the remembered server is away). */
export async function databaseCard() {
  const info = await api.databaseInfo();
  const s = info.server || {};
  const text = (name, value, attrs = {}) => h('input', { name, value: value || '', autocomplete: 'off', ...attrs });
  const result = h('p', { id: 'database-result', class: 'hint', role: 'status' });
  const form = h('form', { id: 'database-form', class: 'filters' },
    field('服务器地址', text('host', s.host, { placeholder: '192.168.1.10' }), { required: true }),
    field('端口', text('port', s.port || '5432', { inputmode: 'numeric', class: 'short' })),
    field('数据库名', text('database', s.database || 'genjin'), { required: true }),
    field('用户名', text('user', s.user || 'genjin'), { required: true }),
    field('密码', h('input', { type: 'password', name: 'password', autocomplete: 'off' })),
    field('加密连接', select('tls', [['prefer', '服务器提供就加密（默认）'], ['require', '必须加密'], ['disable', '不加密']], s.tls || 'prefer')),
    h('div', { class: 'error-text' }));
  const locked = info.named_at_start;
  // one thing at a time: every button waits while one works, and stays so once the window is
  // about to start again on the other database
  const buttons = () => [...document.querySelectorAll('#database button')];
  const busy = async (button, run) => {
    const before = buttons().map((b) => [b, b.disabled]);
    before.forEach(([b]) => { b.disabled = true; });
    form.querySelector('.error-text').textContent = '';
    result.textContent = '正在连接…';
    try {
      if (await run() === 'switched') return;
    } catch (err) { result.textContent = ''; showError(err, form); }
    before.forEach(([b, was]) => { b.disabled = was; });
  };
  const switched = (message) => { restart(message); return 'switched'; };
  const test = h('button', {
    type: 'button', id: 'database-test',
    onclick: () => busy(test, async () => { result.textContent = await api.databaseTest(formData(form)); }),
  }, '测试连接');
  const connect = h('button', {
    type: 'submit', class: 'primary', id: 'database-connect', disabled: locked || null,
  }, '连接共享数据库');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(connect, async () => switched(await api.databaseConnect(formData(form))));
  });
  const move = h('button', {
    type: 'button', id: 'database-move', disabled: locked || null,
    onclick: () => busy(move, async () => {
      const d = formData(form);
      if (!await ask('迁移本机数据到共享数据库', `把本机数据库的全部数据（人员和密码、需求、Bug、延期与签字、历史、通知、附件、设置、节假日、编号计数）复制到共享数据库“${d.host} / ${d.database}”，复制后逐表核对，然后改用共享数据库。共享数据库必须是空的；本机文件保持原样，可作备份。`, { yes: '开始迁移', id: 'move-dialog' })) {
        result.textContent = '';
        return;
      }
      // the copy's progress: rows copied of all, then the comparison, then the search index
      const bar = h('progress', { id: 'database-move-progress', max: 1, value: 0 });
      const said = h('span', { id: 'database-move-stage' }, '正在复制…');
      clear(result, h('span', {}, bar, ' ', said));
      return switched(await api.databaseMoveHere(d, (p) => {
        if (p.stage === 'rows') {
          bar.max = Math.max(1, p.total);
          bar.value = p.done;
          said.textContent = `正在复制：${p.done} / ${p.total} 行`;
        } else {
          bar.value = bar.max;
          said.textContent = p.stage === 'comparing' ? '正在逐表核对…' : '已复制并核对，正在建立搜索索引…';
        }
      }));
    }),
  }, '迁移本机数据到共享数据库');
  const local = h('button', {
    type: 'button', id: 'database-local', disabled: locked || null,
    onclick: () => busy(local, async () => {
      if (!await ask('改回本机数据库', `改为使用本机的数据库文件 ${info.local}：共享数据库中的数据在本机看不到，在本机记录的也不会出现在共享数据库中。以后启动也打开本机文件。`, { yes: '改回本机数据库', id: 'local-dialog' })) {
        result.textContent = '';
        return undefined;
      }
      return switched(await api.databaseLocal());
    }),
  }, '改回本机数据库');
  // the remembered server away: only its address to change (the page offers the rest)
  const away = Boolean(info.unavailable);
  form.append(h('div', { class: 'actions' }, test, info.shared ? null : move, connect), result);
  return h('div', { class: 'card', id: 'database' }, h('h3', {}, away ? '改连另一个共享数据库' : '数据库'),
    away ? null : h('p', { id: 'database-where' }, info.shared
      ? ['现在使用部门的共享数据库：', h('strong', {}, info.location)]
      : ['现在使用本机的数据库文件：', h('strong', {}, info.location)]),
    locked ? h('p', { class: 'hint' }, '这个窗口启动时用 --db 或 GENJIN_DB 指定了数据库，不能在这里切换。') : null,
    info.shared && !locked && !away ? h('div', { class: 'actions' }, local, h('span', { class: 'hint' }, `本机数据库文件：${info.local}`)) : null,
    h('p', { class: 'hint' }, '几个人在各自的电脑上一起用跟进时，连接部门的共享数据库（PostgreSQL：由管理员在服务器上建好一个空数据库和它的用户）。选择记在本机、本用户的配置中，以后启动直接打开；密码只存在本机。'),
    form);
}

/** The whole window when the shared database remembered on this PC cannot be reached at start:
 * why, and the ways on — try again, return to this PC's file, or give the server's new
 * address. Nothing else is shown, so nothing is entered where it would be lost. */
export async function unavailableCard(message) {
  const retry = h('button', {
    type: 'button', class: 'primary', id: 'database-retry',
    onclick: async () => {
      retry.disabled = true;
      try { restart(await api.databaseRetry()); } catch (err) { showError(err); retry.disabled = false; }
    },
  }, '重试连接');
  const local = h('button', {
    type: 'button', id: 'database-local',
    onclick: async () => {
      if (!await ask('改回本机数据库', '改为使用本机的数据库文件：共享数据库中的数据在本机看不到，本机记录的也不会出现在共享数据库中。以后启动也打开本机文件。', { yes: '改回本机数据库', id: 'local-dialog' })) return;
      try { restart(await api.databaseLocal()); } catch (err) { showError(err); }
    },
  }, '改回本机数据库');
  return h('section', {}, h('div', { class: 'card', id: 'unavailable' }, h('h2', {}, '无法连接共享数据库'),
    h('p', { id: 'unavailable-why' }, message),
    h('p', { class: 'hint' }, '请检查网络和服务器，再点“重试连接”。数据都在服务器上，这台电脑没有另存一份。服务器换了地址时，在下面填写新的地址。'),
    h('div', { class: 'actions' }, retry, local)),
  await databaseCard());
}
