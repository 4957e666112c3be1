// Bugs (BUG反馈流程): the list, the report form, and a bug's detail with its steps. What is
// possible next is the core's verdict (b.next: reproduce / fix / convert gates).
import { api } from '../api.js';
import { h, byPinyin, clear, compact, dialog, field, formData, go, guardCancel, moment, recordChanged, select, showError, toast, todayIso } from '../components/dom.js';
import { dayInput, stepCard } from '../components/steps.js';
import { pastedImages, thumbnails } from '../components/screenshots.js';
import { noticeCards } from '../components/notices.js';
import { erasePersonalData } from '../components/erase.js';

const badge = (b) => h('span', { class: `badge bug-${b.state_code}`, 'data-state': b.state_code }, b.state);

/** Bug 列表: filters by state, severity, type, phone model, OS, reporter and the day found
 * (from–to), and a text search, in the page. */
export async function bugsView(app) {
  const all = await api.bugs();
  const tbody = h('tbody');
  const info = h('span', { class: 'muted', id: 'bug-count' });
  const distinct = (k) => [...new Set(all.map((b) => b[k]).filter(Boolean))].sort(byPinyin);
  const state = select('state', [['', '全部'], ...app.info.bug_states.map((s) => [s.code, s.label])], '');
  const severity = select('severity', [['', '全部'], ...app.info.severities], '');
  const type = select('type', [['', '全部'], ...app.info.bug_types], '');
  const phone = select('phone_model', [['', '全部'], ...distinct('phone_model')], '');
  const os = select('os_version', [['', '全部'], ...distinct('os_version')], '');
  const reporter = select('reporter', [['', '全部'], ...distinct('reporter')], '');
  const from = dayInput('from', '');
  const to = dayInput('to', '');
  const search = h('input', { type: 'search', name: 'search', placeholder: '编号、内容、机型、系统…', autocomplete: 'off' });
  // the core filters (its day spellings, its folding); a bad day is said beside the filters
  const error = h('div', { class: 'error-text', id: 'bug-filter-error' });
  const filter = () => ({ state: state.value, severity: severity.value, bug_type: type.value, phone_model: phone.value,
    os_version: os.value, reporter: reporter.value, from: from.value, to: to.value, search: search.value });
  let asked = 0;
  const draw = async () => {
    const mine = ++asked;
    let rows;
    try {
      rows = await api.bugs(filter());
      error.textContent = '';
    } catch (e) {
      if (mine === asked) error.textContent = (e && e.message) || String(e);
      return;
    }
    if (mine !== asked) return; // a later filter's answer is the one shown
    info.textContent = `共 ${rows.length} 个`;
    clear(tbody, rows.length ? rows.map((b) => h('tr', { 'data-number': b.number, tabindex: 0, onclick: () => go(`#/bug/${encodeURIComponent(b.number)}`),
      onkeydown: (e) => { if (e.key === 'Enter') go(`#/bug/${encodeURIComponent(b.number)}`); } },
    h('td', {}, b.number), h('td', {}, badge(b)), h('td', {}, b.severity), h('td', {}, b.bug_type), h('td', {}, b.reporter),
    h('td', {}, compact(b.found_date)), h('td', {}, `${b.phone_model} ${b.os_version}`), h('td', {}, b.content),
    h('td', {}, b.screenshots.length ? `${b.screenshots.length} 张` : ''), h('td', {}, compact(b.fixed_date)), h('td', {}, b.requirement || '')))
      : h('tr', {}, h('td', { colspan: 11, class: 'muted' }, '没有符合条件的 Bug')));
  };
  [state, severity, type, phone, os, reporter].forEach((s) => s.addEventListener('change', draw));
  search.addEventListener('input', draw);
  [from, to].forEach((i) => i.addEventListener('change', draw));
  await draw();
  // 导出: the ledger of the list as filtered; the weekly report of a chosen week
  const exportLedger = async () => {
    try {
      const done = await api.exportBugs(filter(), 'Bug收集反馈表.xlsx');
      if (done) { toast(`已导出 ${done.count} 个 Bug：${done.path}`); done.notes.forEach((n) => toast(n, 'error')); }
    } catch (e) { showError(e); }
  };
  const exportWeekly = async () => {
    const done = await dialog('新增Bug周报', h('div', {},
      field('这一周中的任意一天', dayInput('day', todayIso()), { hint: '周一至周日反馈的 Bug' })),
    { submitLabel: '选择保存位置…', id: 'bug-weekly-dialog', onSubmit: async (d) => api.exportBugWeekly(d.day, `新增Bug周报_${d.day.replace(/\D/g, '')}.xlsx`) });
    if (done) { toast(`已导出 ${done.count} 个 Bug：${done.path}`); done.notes.forEach((n) => toast(n, 'error')); }
  };
  return h('section', {},
    h('div', { class: 'detail-head' }, h('h1', {}, 'Bug 收集反馈'), h('span', { class: 'spacer' }), info,
      h('button', { type: 'button', id: 'bug-export', onclick: exportLedger, title: '按当前筛选导出' }, '导出 Bug收集反馈表'),
      h('button', { type: 'button', id: 'bug-weekly', onclick: exportWeekly }, '新增Bug周报…'),
      h('a', { href: '#/bugs/new', class: 'button primary', id: 'bug-new' }, '登记 Bug')),
    h('form', { class: 'filters', id: 'bug-filters', onsubmit: (e) => e.preventDefault() },
      h('label', {}, '搜索', search), h('label', {}, '状态', state), h('label', {}, '严重程度', severity),
      h('label', {}, '类型', type), h('label', {}, '手机型号', phone), h('label', {}, '手机系统', os),
      h('label', {}, '反馈人', reporter), h('label', {}, '发现日期从', from), h('label', {}, '到', to)), error,
    h('table', { class: 'register', id: 'bug-list' },
      h('thead', {}, h('tr', {}, ['编号', '状态', '严重程度', '类型', '反馈人', '发现日期', '手机', '内容', '截图', '修复日期', '关联需求'].map((t) => h('th', {}, t)))),
      tbody));
}

/** A list's options with the stored value kept even when it was hidden since. */
const listOptions = (values, stored) => [['', '—'], ...values, ...(stored && !values.includes(stored) ? [stored] : [])];

/** 登记 Bug: what a tester needs to reproduce it, and screenshots. With `number`: 修改登记内容
 * of that bug (its number and 反馈日期 stay; only what changed is written, with history). */
export async function bugFormView(app, number = null) {
  const b = number ? await api.bug(number) : null;
  const v = (k) => (b ? (b[k] || '') : '');
  let shots = [];
  const pasted = [];
  const list = h('span', { class: 'muted', id: 'bug-shots' }, '无');
  const previews = h('div', { class: 'scans', id: 'bug-pasted' });
  const show = () => {
    const names = [...shots.map((p) => p.split(/[\\/]/).pop()), ...pasted.map((p) => p.name)];
    list.textContent = names.length ? names.join('、') : '无';
  };
  const pick = async () => {
    try {
      shots = [...shots, ...(await api.pickScreenshots())];
      show();
    } catch (e) { showError(e, form); }
  };
  // Ctrl+V anywhere on the form: an image on the clipboard becomes a screenshot
  const paste = async (e) => {
    const images = await pastedImages(e, pasted.length + 1);
    if (!images.length) return;
    for (const { name, data, url } of images) {
      pasted.push({ name, data });
      previews.append(h('img', { src: url, alt: name, class: 'thumb' }));
    }
    show();
  };
  const op = app.info.operator || {};
  // on a laptop (issue 24) a bug waits to be numbered by the collector: no 反馈日期 here
  const laptop = !b && app.sync && app.sync.laptop;
  const back = b ? `#/bug/${encodeURIComponent(b.number)}` : (laptop ? '#/sync' : '#/bugs');
  const form = h('form', { class: 'card', id: 'bug-form' },
    h('div', { class: 'grid' },
      field('反馈人', h('input', { name: 'reporter', value: b ? b.reporter : (op.name || ''), autocomplete: 'off' }), { required: true }),
      field('发现日期', dayInput('found_date', v('found_date')), { required: true, hint: '用户发现 Bug 的日期' }),
      b || laptop ? null : field('反馈日期', dayInput('received_date', ''), { hint: '决定编号；不填为今天' }),
      field('手机型号', h('input', { name: 'phone_model', value: v('phone_model'), autocomplete: 'off' }), { required: true }),
      field('手机系统及版本', h('input', { name: 'os_version', value: v('os_version'), autocomplete: 'off', placeholder: '例如 iOS 7.1' }), { required: true }),
      field('App 版本', h('input', { name: 'app_version', value: v('app_version'), autocomplete: 'off' })),
      field('医院', h('input', { name: 'hospital', value: v('hospital'), autocomplete: 'off' })),
      field('科室', h('input', { name: 'clinic_department', value: v('clinic_department'), autocomplete: 'off' })),
      field('类型', select('bug_type', listOptions(app.info.bug_types, v('bug_type')), v('bug_type'))),
      field('严重程度', select('severity', listOptions(app.info.severities, v('severity')), v('severity'))),
      field('来源渠道', select('channel', listOptions(app.info.bug_channels, v('channel')), v('channel'))),
      field('Bug 内容', h('textarea', { name: 'content', rows: 3 }, v('content')), { required: true, wide: true }),
      field('重现步骤', h('textarea', { name: 'steps', rows: 3 }, v('steps')), { wide: true }),
      b ? field('备注', h('textarea', { name: 'remark', rows: 2 }, v('remark')), { wide: true }) : null),
    b ? null : h('div', { class: 'row' }, h('button', { type: 'button', id: 'bug-pick', onclick: pick }, '添加截图…'), list,
      h('span', { class: 'hint' }, '也可以直接粘贴（Ctrl+V）截图')),
    b ? null : previews,
    h('div', { class: 'error-text' }),
    h('div', { class: 'actions' }, h('a', { href: back, class: 'button', id: 'bug-cancel' }, '取消'),
      h('button', { type: 'submit', class: 'primary', id: 'bug-submit' }, b ? '保存修改' : (laptop ? '保存（待同步）' : '登记'))));
  guardCancel(form, form.querySelector('#bug-cancel'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      if (b) {
        await api.editBug(b.number, { ...formData(form), version: b.version });
        toast(`已保存 ${b.number}`);
        go(back);
        return;
      }
      if (laptop) {
        const s = await api.submitBug(formData(form), shots, pasted);
        toast(`已保存为 待登记 ${s.id}：同步后由需求收集人登记编号`);
        go('#/sync');
        return;
      }
      const nb = await api.reportBug(formData(form), shots, pasted);
      toast(`已登记 ${nb.number}`);
      go(`#/bug/${encodeURIComponent(nb.number)}`);
    } catch (err) { showError(err, form); }
  });
  if (!b) form.addEventListener('paste', paste);
  const page = h('section', {}, h('h1', {}, b ? `修改 ${b.number}` : (laptop ? '报告 Bug（外出，待同步）' : '登记 Bug')), form);
  if (b) page.genjinStale = recordChanged(() => api.bug(b.number), b);
  return page;
}

/** The notices a fixed bug owes (the reporter, then the user through 推广部), as for requirements. */
async function bugNotices(app, b) {
  const dues = await api.bugNotifications(b.number);
  if (!dues.length) return null;
  return h('div', { id: 'bug-notifications' }, h('h2', {}, '通知'),
    h('p', { class: 'hint' }, '测试人员告知反馈人；推广部当天告知用户。'),
    noticeCards(app, dues, { idPrefix: 'bug-notify', record: (d, input) => api.recordBugNotification(b.number, input) }));
}

/** A bug's history: every change, who made it, when it happened and when it was recorded. */
async function bugHistory(b) {
  const rows = await api.bugHistory(b.number);
  return h('div', { class: 'card' }, h('h2', {}, '历史'),
    h('table', { class: 'plain', id: 'bug-history' },
      h('thead', {}, h('tr', {}, ['发生时间', '项目', '原值', '新值', '操作人', '记录时间', '来源'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.map((e) => h('tr', {}, h('td', {}, moment(e.happened_at)), h('td', {}, e.field_label),
        h('td', {}, e.old_value || ''), h('td', {}, e.new_value || ''), h('td', {}, e.actor),
        h('td', {}, moment(e.recorded_at)), h('td', {}, e.origin_label))))));
}

/** One bug: what was reported, screenshots, and the steps the core allows. */
export async function bugDetailView(app, number) {
  const b = await api.bug(number);
  const at = (d) => ({ happened_at: d.happened_at, version: b.version });
  const thumbs = await thumbnails(b.screenshots, 'bug-screenshots');
  const convert = async () => {
    const sure = await dialog(`把 ${b.number} 转为需求`, h('p', {}, '会登记一条新需求（占用一个需求编号，不能撤销），并把这个 Bug 关闭为“已转需求”。'),
      { submitLabel: '转为需求', onSubmit: async () => true });
    if (!sure) return;
    try {
      const n = await api.bugToRequirement(b.number);
      toast(`已转为需求 ${n}`);
      go(`#/req/${encodeURIComponent(n)}`);
    } catch (e) { showError(e); }
  };
  const facts = [['反馈人', b.reporter], ['发现日期', compact(b.found_date)], ['反馈日期', compact(b.received_date)],
    ['手机', `${b.phone_model} · ${b.os_version}`], ['App 版本', b.app_version], ['医院 / 科室', [b.hospital, b.clinic_department].filter(Boolean).join(' / ')],
    ['类型', b.bug_type], ['严重程度', b.severity], ['来源渠道', b.channel], ['内容', b.content], ['重现步骤', b.steps],
    ['复现', b.reproduced == null ? '' : `${b.reproduced ? '已复现' : '无法复现'}（${b.reproduced_by}）${b.reproduce_note ? `：${b.reproduce_note}` : ''}`],
    ['跟踪编号', b.tracker_url ? h('a', { href: b.tracker_url, target: '_blank' }, b.tracker_id || b.tracker_url) : b.tracker_id],
    ['已抄送反馈人', b.reproduced == null ? '' : (b.reporter_copied ? '是' : '否')],
    ['修复', b.fixed_date ? `${compact(b.fixed_date)} ${b.fixed_version}` : ''], ['备注', b.remark],
    ['关联需求', b.requirement ? h('a', { href: `#/req/${encodeURIComponent(b.requirement)}` }, b.requirement) : '']];
  const reproduced = select('reproduced', [['yes', '已复现'], ['no', '无法复现']], b.reproduced === false ? 'no' : 'yes');
  const page = h('section', {},
    h('div', { class: 'detail-head' }, h('a', { href: '#/bugs' }, '← Bug 列表'), h('h1', { id: 'bug-number' }, b.number), badge(b),
      h('span', { class: 'spacer' }),
      b.next.edit.open ? h('a', { href: `#/bug/${encodeURIComponent(b.number)}/edit`, class: 'button', id: 'bug-edit' }, '修改登记内容') : null,
      b.next.convert.open ? h('button', { type: 'button', id: 'bug-convert', onclick: convert }, '转需求') : null),
    h('div', { class: 'card' }, h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v || '—')])), thumbs),
    h('div', { class: 'steps' },
      stepCard({
        id: 'triage', title: '分类', gate: b.next.edit,
        current: [b.bug_type, b.severity, b.channel].filter(Boolean).join(' · ') || '尚未分类',
        fields: [field('类型', select('bug_type', listOptions(app.info.bug_types, b.bug_type), b.bug_type)),
          field('严重程度', select('severity', listOptions(app.info.severities, b.severity), b.severity)),
          field('来源渠道', select('channel', listOptions(app.info.bug_channels, b.channel), b.channel))],
        save: (d) => api.editBug(b.number, { bug_type: d.bug_type, severity: d.severity, channel: d.channel, ...at(d) }),
      }),
      stepCard({
        id: 'reproduce', title: '复现（测试人员）', gate: b.next.reproduce,
        current: b.reproduced == null ? '尚未复现' : (b.reproduced ? '已复现' : '无法复现'),
        fields: [field('结果', reproduced), field('说明', h('input', { name: 'note', value: b.reproduce_note, autocomplete: 'off' }), { hint: '无法复现时必填' }),
          field('跟踪编号', h('input', { name: 'tracker_id', value: b.tracker_id, autocomplete: 'off' })),
          field('跟踪链接', h('input', { name: 'tracker_url', value: b.tracker_url, autocomplete: 'off' })),
          h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'reporter_copied', checked: b.reporter_copied ? true : null }), '已抄送反馈人')],
        save: (d) => api.reproduceBug(b.number, { reproduced: d.reproduced === 'yes', note: d.note, tracker_id: d.tracker_id, tracker_url: d.tracker_url, reporter_copied: d.reporter_copied, ...at(d) }),
      }),
      stepCard({
        id: 'fix', title: '修复（IT）', gate: b.next.fix,
        current: b.fixed_date ? `${compact(b.fixed_date)} ${b.fixed_version}` : '尚未修复',
        fields: [field('修复日期', dayInput('date', ''), { required: true }), field('修复版本', h('input', { name: 'fixed_version', autocomplete: 'off' }))],
        save: (d) => api.fixBug(b.number, { date: d.date, fixed_version: d.fixed_version, ...at(d) }),
      })),
    await bugNotices(app, b),
    h('div', { class: 'card', id: 'personal-data' }, h('h3', {}, '个人信息'),
      h('p', { class: 'hint' }, '应本人要求可删除这个 Bug 中用户的个人信息（通知中记下的用户姓名、给出的姓名和电话号码）。'),
      h('div', { class: 'actions' }, h('button', {
        type: 'button', id: 'erase-personal', class: 'danger',
        onclick: () => erasePersonalData(b.number,
          `删除 ${b.number} 的内容、步骤、备注和通知中用户的姓名（通知中记下的，以及下面填写的）和电话号码，历史记录和能改的备份中也一并删除。Bug 本身和编号保留，截图不变。此操作不能撤销。`,
          { askNames: true }),
      }, '删除个人信息…'))),
    await bugHistory(b));
  page.genjinStale = recordChanged(() => api.bug(b.number), b);
  return page;
}
