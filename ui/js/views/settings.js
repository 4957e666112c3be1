// 设置: the settings each module declares (编号规则, 时间节点按工作日/自然日 …) and the holiday list
// (节假日与调休) the working-day calendar counts with. Every change is kept in the history.
import { api } from '../api.js';
import { h, ask, clear, dialog, field, formData, go, select, showError, toast } from '../components/dom.js';
import { databaseCard } from './database.js';

/** 设置; `focus` 'about' (#/about, the brand's link) shows 关于跟进 in sight. */
export async function settingsView(app, focus = null) {
  const kinds = app.info.day_kinds.map((k) => [k.code, k.label]);
  const [settings, days, lists, backups, about] = await Promise.all([api.settings(), api.calendarDays(), api.lists(), api.backups(), api.about()]);
  // the editable lists: add a value, hide one no longer wanted (records keep theirs), show again
  const listCard = (l) => {
    const form = h('form', { class: 'row', id: `list-add-${l.code}` },
      h('input', { name: 'value', placeholder: `新的${l.label}`, autocomplete: 'off' }),
      h('button', { type: 'submit' }, '加入'), h('div', { class: 'error-text' }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api.addListItem(l.code, formData(form).value || '');
        app.info = await api.appInfo(); // the forms offer the lists app_info carries
        toast(`已加入${l.label}`);
        go('#/settings');
      } catch (err) { showError(err, form); }
    });
    const chip = (it) => h('span', { class: `chip${it.shown ? '' : ' hidden-item'}`, 'data-value': it.value },
      it.value,
      h('button', {
        type: 'button', class: 'link', title: it.shown ? '不再供选择' : '重新供选择',
        onclick: async () => {
          try {
            if (it.shown) await api.hideListItem(l.code, it.value); else await api.addListItem(l.code, it.value);
            app.info = await api.appInfo();
            go('#/settings');
          } catch (err) { showError(err); }
        },
      }, it.shown ? '隐藏' : '恢复'));
    return h('div', { class: 'list-card', id: `list-${l.code}` }, h('h4', {}, l.label), h('div', { class: 'chips' }, l.items.map(chip)), form);
  };
  const edit = async (s) => {
    // turning sign-in on: who could not sign in is said first (issue 19)
    const signIn = s.key === 'security.sign_in' && s.value !== 'on';
    const missing = signIn ? await api.withoutPassword() : [];
    const saved = await dialog(`修改设置：${s.name}`,
      h('div', {}, h('p', { class: 'hint' }, s.help), field('值', s.choices.length
        ? select('value', s.choices.map((c) => [c.value, c.label]), s.value)
        : h('input', { name: 'value', value: s.value, autocomplete: 'off' })),
      missing.length ? h('div', { class: 'banner warning', id: 'sign-in-missing' },
        `开启登录后，还没有设置密码的 ${missing.length} 人无法登录，直到有人为其设置密码（人员 → 设密码）：${missing.join('、')}`) : null,
      signIn ? h('p', { class: 'hint' }, '开启后窗口会立即要求登录：请选择你自己并输入你的密码。') : null),
      { id: 'setting-dialog', submitLabel: '保存', onSubmit: (d) => api.setSetting(s.key, d.value || '').then(() => d.value) });
    if (saved === undefined || saved === null || saved === false) return;
    toast(`已保存：${s.name}`);
    if (s.key === 'security.sign_in') {
      // the window follows at once: signed in now, not after a restart, the one who turned it
      // on picked already
      window.dispatchEvent(new CustomEvent('genjin:sign-in-changed', { detail: { operator: app.info.operator } }));
      return;
    }
    go('#/settings');
  };
  const addForm = h('form', { id: 'calendar-add', class: 'filters' },
    field('日期', h('input', { name: 'day', placeholder: '2014-10-01', autocomplete: 'off' }), { required: true }),
    field('类型', select('kind', kinds, kinds[0][0])),
    field('名称', h('input', { name: 'name', placeholder: '国庆节 / 国庆调休', autocomplete: 'off' })),
    h('div', { class: 'error-text' }),
    h('button', { type: 'submit', class: 'primary' }, '添加'));
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = formData(addForm);
    const save = (confirmed) => api.setCalendarDay(d.day || '', d.kind, d.name || '', confirmed);
    try {
      let saved;
      try {
        saved = await save(false);
      } catch (err) {
        // the core asks first (a day listed already, a 调休上班 that is not a weekend)
        if (!err || err.kind !== 'conflict') throw err;
        if (!(await ask('请确认', err.message, { yes: '确定录入', id: 'calendar-ask' }))) return;
        saved = await save(true);
      }
      toast(`已添加：${saved.day} ${saved.kind}`);
      go('#/settings');
    } catch (err) {
      showError(err, addForm);
    }
  });
  // 粘贴放假通知: a year's notice in one go, previewed day by day before anything is written
  const pasteForm = h('form', { id: 'calendar-paste' },
    field('粘贴放假通知（每行一条）', h('textarea', {
      name: 'text', rows: 5, placeholder: '2025-10-01 至 2025-10-08 国庆节\n2025-09-28 调休上班\n2025-10-11 调休上班',
    }), { wide: true }),
    h('div', { class: 'error-text' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'calendar-preview' }, '预览')));
  const previewBox = h('div', { id: 'calendar-preview-box' });
  pasteForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = formData(pasteForm).text || '';
    try {
      const p = await api.calendarPreview(text);
      const commit = async () => {
        try {
          const n = await api.calendarPaste(text);
          toast(`已录入 ${n} 天`);
          go('#/settings');
        } catch (err) { showError(err, pasteForm); }
      };
      clear(previewBox,
        h('p', {}, `将录入 ${p.days.length} 天`, p.days.some((d) => d.replaces) ? `，其中 ${p.days.filter((d) => d.replaces).length} 天替换已录入的` : '',
          p.days.some((d) => d.question) ? `，${p.days.filter((d) => d.question).length} 天请核对` : '', '：'),
        p.days.length ? h('table', { class: 'plain', id: 'calendar-preview-days' },
          h('thead', {}, h('tr', {}, ['日期', '类型', '名称', '说明'].map((t) => h('th', {}, t)))),
          h('tbody', {}, p.days.map((d) => h('tr', { 'data-day': d.day, class: d.question ? 'invalid-row' : null },
            h('td', { class: 'num' }, d.day), h('td', {}, d.kind), h('td', {}, d.name),
            h('td', {}, [d.replaces ? `替换原来的“${d.replaces.kind} ${d.replaces.name}”` : '', d.question || ''].filter(Boolean).join('；')))))) : null,
        p.skipped.length ? h('ul', { class: 'hint', id: 'calendar-skipped' }, p.skipped.map((s) => h('li', {}, `跳过第 ${s.line} 行“${s.text}”：${s.reason}`))) : null,
        h('div', { class: 'actions' },
          h('button', { type: 'button', onclick: () => clear(previewBox) }, '取消'),
          h('button', { type: 'button', class: 'primary', id: 'calendar-commit', disabled: !p.days.length, onclick: commit }, `全部录入（${p.days.length} 天）`)));
    } catch (err) { showError(err, pasteForm); }
  });
  const remove = async (day) => {
    try { await api.removeCalendarDay(day); toast(`已移除：${day}`); go('#/settings'); } catch (err) { showError(err); }
  };
  // 备份与恢复: the core takes the backups (daily, before imports and upgrades) and checks a
  // file before restoring it; here they are listed, taken now, or brought back
  const backupNow = async () => {
    try { const p = await api.backupNow(); toast(`已备份：${p.split(/[\\/]/).pop()}`); go('#/settings'); } catch (err) { showError(err); }
  };
  const restore = async (b) => {
    const done = await dialog('从备份恢复',
      h('div', {}, h('p', {}, `用 ${b.taken_at} 的备份（${b.kind_label}）替换现在的全部数据？`),
        h('p', { class: 'hint' }, '恢复前会先把现在的数据库另备份一份，恢复后也可以再换回来。')),
      { id: 'restore-dialog', submitLabel: '恢复', onSubmit: () => api.restoreBackup(b.path) });
    if (done != null) {
      toast('已恢复；恢复前的数据已另存备份');
      app.info = await api.appInfo();
      // with sign-in on (or on a shared database: the window's choice), whoever operates
      // signs in, or is named, again on the restored people list
      if ((app.info.sign_in || app.info.shared) && !app.info.operator) { location.reload(); return; }
      go('#/settings');
    }
  };
  const size = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} KB`);
  const backupCard = h('div', { class: 'card', id: 'backups' }, h('h3', {}, '备份与恢复'),
    h('p', { class: 'hint' }, `每天第一次打开、每次导入前、程序升级前都会自动备份到：${app.info.backups_dir}（每种保留的份数见设置项 backup.keep）。`),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'backup-now', class: 'primary', onclick: backupNow }, '立即备份')),
    h('table', { class: 'plain', id: 'backup-list' },
      h('thead', {}, h('tr', {}, ['备份时间', '类型', '大小', '文件', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, backups.length ? backups.map((b) => h('tr', { 'data-name': b.name },
        h('td', { class: 'num' }, b.taken_at), h('td', {}, b.kind_label), h('td', { class: 'num' }, size(b.bytes)), h('td', {}, b.name),
        h('td', {}, h('button', { type: 'button', class: 'restore', onclick: () => restore(b) }, '恢复'))))
        : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, '还没有备份')))));
  const database = await databaseCard();
  // (after the router has put the page in and scrolled it to its top)
  if (focus === 'about') requestAnimationFrame(() => document.getElementById('about')?.scrollIntoView({ block: 'end' }));
  return h('section', {},
    h('div', { class: 'detail-head' }, h('h1', {}, '设置')),
    database,
    backupCard,
    // grouped, by their Chinese names, the key only as a detail; what the operator may not
    // change is shown disabled with who may (issue 20) — the core says which
    h('div', { class: 'card' }, h('h3', {}, '设置项'),
      h('table', { class: 'plain', id: 'settings' },
        h('thead', {}, h('tr', {}, ['设置项', '当前值', '说明', ''].map((t) => h('th', {}, t)))),
        [...new Set(settings.map((s) => s.group))].map((g) => h('tbody', { 'data-group': g },
          h('tr', { class: 'group' }, h('th', { colspan: 4 }, g)),
          settings.filter((s) => s.group === g).map((s) => h('tr', { 'data-key': s.key, class: s.locked ? 'locked' : null },
            h('td', {}, h('div', {}, s.name), h('div', { class: 'hint key' }, s.key)),
            h('td', { class: 'value', 'data-value': s.value }, s.value_label), h('td', {}, s.help),
            h('td', {}, h('button', { type: 'button', class: 'edit', disabled: Boolean(s.locked), title: s.locked || '', onclick: () => edit(s) }, '修改'),
              s.locked ? h('div', { class: 'hint' }, s.locked) : null))))))),
    h('div', { class: 'card', id: 'lists' }, h('h3', {}, '可选列表'),
      h('p', { class: 'hint' }, '表单中下拉选择的内容。隐藏的值不再供选择，已有记录中的值保持不变。'),
      lists.map(listCard)),
    h('div', { class: 'card' }, h('h3', {}, '节假日与调休'),
      h('p', { class: 'hint' }, '时间节点按工作日计算时，周末和这里列出的节假日不算工作日，列出的调休上班日算工作日。每年国务院公布放假安排后在这里录入。'),
      addForm, pasteForm, previewBox,
      h('table', { class: 'plain', id: 'calendar-days' },
        h('thead', {}, h('tr', {}, ['日期', '类型', '名称', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, days.length ? days.map((d) => h('tr', { 'data-day': d.day },
          h('td', { class: 'num' }, d.day), h('td', {}, d.kind), h('td', {}, d.name),
          h('td', {}, h('button', { type: 'button', class: 'danger', onclick: () => remove(d.day) }, '移除'))))
          : h('tr', {}, h('td', { colspan: 4, class: 'muted' }, '还没有录入节假日'))))),
    // 关于 (issue 23): what a support call asks — the core says it, as `genjin about` does
    h('div', { class: 'card', id: 'about' }, h('h3', {}, '关于跟进'),
      h('dl', { class: 'facts' },
        h('dt', {}, '版本'), h('dd', { id: 'about-version' }, `跟进 Genjin ${about.version}`),
        h('dt', {}, '数据库'), h('dd', { id: 'about-database' }, `${about.database}（${about.shared ? '部门共享数据库' : '本机数据库文件'}）`),
        h('dt', {}, '数据库结构版本'), h('dd', {}, String(about.schema)),
        h('dt', {}, '这台电脑'), h('dd', { id: 'about-pc' }, about.pc),
        h('dt', {}, '此前打开它的版本'), h('dd', { id: 'about-before' }, about.opened_before || '没有记录（新数据库，或此前用的跟进版本较旧）'),
        h('dt', {}, '打开过它的电脑'), h('dd', { id: 'about-pcs' }, about.opened_by.map((o) => `${o.pc}：${o.version}`).join('；'))),
      h('p', { class: 'hint' }, '打电话求助时请报上这里的版本号；命令行 genjin about 显示同样的内容。')));
}
