// 需求详情: walk a requirement through its lifecycle, close the loop, read its history.
import { api } from '../api.js';
import {
  h, clear, compact, dialog, field, formData, formLabel, go, moment, select, showError,
  recordChanged, toast,
} from '../components/dom.js';
import { dayInput, stepCard } from '../components/steps.js';
import { delayTab } from './delays.js';
import { noticeCards } from '../components/notices.js';
import { pastedImages, thumbnails } from '../components/screenshots.js';
import { erasePersonalData } from '../components/erase.js';

const TABS = [['flow', '流程'], ['delays', '延期'], ['notify', '通知'], ['details', '详情'], ['history', '历史']];

function statusBadge(r) {
  if (r.withdrawn_at) return h('span', { class: 'badge withdrawn', id: 'status-badge' }, '已撤回');
  return [h('span', { class: `badge ${r.status_code}`, id: 'status-badge' }, r.status || '进行中'),
    r.overdue ? h('span', { class: 'badge overdue', id: 'overdue-badge', title: '承诺交付日已过，未完成且无批准的延期' }, `逾期（承诺 ${compact(r.promised_date)}）`) : null,
    r.delivered_late ? h('span', { class: 'badge overdue', id: 'late-badge', title: '实际交付日晚于承诺交付日，且没有批准的延期' }, `逾期交付（承诺 ${compact(r.promised_date)}）`) : null];
}

/** What the core says a decision needs (grade, conversion summary); never compared by label here. */
function decisionRule(app, label) {
  return app.info.decision_rules.find((d) => d.label === label) || { needs_grade: false, needs_conversion: false, takes_reason: false };
}

function flowTab(app, r) {
  const at = (data) => ({ happened_at: data.happened_at, version: r.version, by: data.by || null });
  const doer = (step) => (r.doers || []).find((d) => d.step === step) || null;
  const rule = (label) => decisionRule(app, label);
  const convWrap = h('div', { class: 'wide', hidden: !rule(r.decision).needs_conversion },
    field('转换概要（写入备注）', h('textarea', { name: 'conversion_summary', rows: 2 }, r.conversion_summary), { wide: true }));
  // 不做 may carry a reason to pass on (issue 20)
  const reasonWrap = h('div', { class: 'wide', hidden: !rule(r.decision).takes_reason },
    field('不做的原因（可选，会写进告知需求人的消息）', h('input', { name: 'decision_reason', value: r.decision_reason || '', autocomplete: 'off' }), { wide: true }));
  const gradeSel = select('grade', [['', '—'], ...app.info.grades.map((g) => [g.label, `${g.label}：${g.hint}`])], r.grade || '');
  const decisionSel = select('decision', [['', '请选择'], ...app.info.decisions.map((d) => d.label)], r.decision || '', {
    onchange: (e) => {
      const v = e.target.value;
      convWrap.hidden = !rule(v).needs_conversion;
      reasonWrap.hidden = !rule(v).takes_reason;
      if (reasonWrap.hidden) reasonWrap.querySelector('input').value = '';
      gradeSel.disabled = !rule(v).needs_grade;
      if (gradeSel.disabled) gradeSel.value = '';
    },
  });
  gradeSel.disabled = !rule(r.decision).needs_grade;
  const cards = [
    stepCard({
      id: 'decision', title: '① 决策', gate: r.steps.decide,
      current: r.decision ? `决策结果：${r.decision}${r.grade ? ` · 分级 ${r.grade}` : ''} · 决策日期 ${compact(r.decision_date)}` : '尚未决策',
      fields: [field('决策结果', decisionSel, { required: true }), field('需求分级', gradeSel, { hint: '“做”和“需求转换”必填' }),
        field('决策日期', dayInput('decision_date', r.decision_date), { hint: '决策会议的日期；不填则为发生时间当天' }), convWrap, reasonWrap],
      save: (d) => {
        if (!d.decision) return Promise.reject({ kind: 'invalid', field: 'decision', message: '请选择决策结果' });
        return api.decide(r.number, { decision: d.decision, grade: d.grade || null, conversion_summary: d.conversion_summary || '', decision_reason: d.decision_reason || '', decision_date: d.decision_date, ...at(d) });
      },
      label: '保存决策',
    }),
    stepCard({
      id: 'plan', title: '② 策划文档', gate: r.steps.plan, doer: doer('plan'),
      current: r.plan_doc_number || r.plan_estimated_date ? `编号 ${r.plan_doc_number || '—'} · 预计 ${compact(r.plan_estimated_date) || '—'} · 实际 ${compact(r.plan_actual_date) || '—'}` : '产品经理在决策会议结束前估计策划文档交付时间',
      fields: [field('策划文档编号', h('input', { name: 'plan_doc_number', value: r.plan_doc_number })),
        field('预计交付日', dayInput('plan_estimated_date', r.plan_estimated_date)),
        field('实际交付日', dayInput('plan_actual_date', r.plan_actual_date))],
      save: (d) => api.plan(r.number, { plan_doc_number: d.plan_doc_number, plan_estimated_date: d.plan_estimated_date, plan_actual_date: d.plan_actual_date, ...at(d) }),
    }),
    stepCard({
      id: 'it', title: '③ IT 验收日', gate: r.steps.it_acceptance, doer: doer('it_acceptance'),
      current: r.it_acceptance_estimated || r.it_acceptance_actual ? `预计 ${compact(r.it_acceptance_estimated) || '—'} · 实际 ${compact(r.it_acceptance_actual) || '—'}` : 'IT 收到策划文档后 2 天内预估验收日期',
      fields: [field('预计验收日', dayInput('estimated', r.it_acceptance_estimated)), field('实际验收日', dayInput('actual', r.it_acceptance_actual))],
      save: (d) => api.itAcceptance(r.number, { estimated: d.estimated, actual: d.actual, ...at(d) }),
    }),
    stepCard({
      id: 'expected', title: '④ 预期交付日', gate: r.steps.expect, doer: doer('expect'),
      current: r.expected_delivery ? `预期交付日 ${compact(r.expected_delivery)}${r.promised_date !== r.expected_delivery ? ` · 延期后 ${compact(r.promised_date)}` : ''}` : '产品经理根据验收日推算用户可用的日期',
      fields: [field('预期交付日', dayInput('date', r.expected_delivery), { required: true })],
      save: (d) => api.expect(r.number, { date: d.date, ...at(d) }),
    }),
    stepCard({
      id: 'complete', title: '⑤ 完成交付', gate: r.steps.complete, doer: doer('complete'),
      current: r.actual_delivery ? [`实际交付日 ${compact(r.actual_delivery)}`, r.delivered_late ? h('span', { class: 'badge overdue', id: 'late-note' }, `晚于承诺交付日 ${compact(r.promised_date)}（无批准的延期）`) : null] : '验收通过后，产品经理告知收集人，收集人登记实际交付日',
      fields: [field('实际交付日', dayInput('date', r.actual_delivery), { required: true, hint: '验收通过、用户可用的那一天' })],
      save: (d) => api.complete(r.number, { date: d.date, ...at(d) }),
      label: '登记完成',
    }),
  ];
  const delays = r.delays.length ? h('div', { class: 'card' }, h('h3', {}, '延期申请'),
    h('table', { class: 'plain' }, h('thead', {}, h('tr', {}, ['填报日期', '原交付日', '新交付日', '延期原因', '状态'].map((t) => h('th', {}, t)))),
      h('tbody', {}, r.delays.map((d) => h('tr', {}, h('td', {}, compact(d.filed_date)), h('td', {}, compact(d.original_date)),
        h('td', {}, compact(d.new_date)), h('td', {}, d.reason), h('td', {}, d.approved_on ? `${d.state} ${compact(d.approved_on)}` : d.state)))))) : null;
  return h('div', {}, h('div', { class: 'steps' }, cards), delays);
}

// The facts shown, in the order of the 附表2 form; its labels come from the core's form.
const FACTS = [
  ['需求类型', 'kind'], ['需求来源', 'source'], ['填表人', 'reporter'], [null, 'reporter_department'],
  [null, 'report_date'], ['收到日期', 'received_date'], ['需求人', 'requester'], [null, 'doctor_name'],
  [null, 'hospital'], [null, 'clinic_department'], [null, 'app_account'], [null, 'doctor_words'],
  [null, 'overview'], ['需求梗概', 'brief'], [null, 'new_intensity'], [null, 'new_simplifies'],
  [null, 'new_similar'], [null, 'imp_phone_model'], [null, 'imp_os_version'],
  [null, 'imp_annoyance'], [null, 'imp_steps'], ['备注（登记表）', 'register_remark'],
  ['登记时间', 'created_at'], ['撤回时间', 'withdrawn_at'], ['撤回原因', 'withdrawn_reason'],
];

async function detailsTab(app, r) {
  const shown = FACTS.filter(([, k]) => r[k]).map(([label, k]) => [label || formLabel(app.info.forms.report, k) || k, k]);
  // 负责人: who answers for the steps (filled by the first holder of a role to act; editable)
  const people = (await api.people()).filter((p) => p.active).map((p) => p.name);
  const choices = (stored) => [['', '—（按角色）'], ...people, ...(stored && !people.includes(stored) ? [stored] : [])];
  const form = h('form', { id: 'responsible-form', class: 'card' }, h('h3', {}, '负责人'),
    h('div', { class: 'grid' },
      [['需求收集人', 'collector'], ['产品经理', 'product_manager'], ['IT负责人', 'it_owner']].map(([label, k]) =>
        field(label, select(k, choices(r[k]), r[k])))),
    h('div', { class: 'error-text' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, '保存负责人')),
    h('p', { class: 'hint' }, '时间节点的待办和考核按这里的人计算；未填时按担任该角色的人。'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.setResponsible(r.number, { ...formData(form), version: r.version });
      toast('负责人已保存');
      go(location.hash);
    } catch (err) { showError(err, form); }
  });
  // 个人信息: erased on the person's request (个人信息保护法); the record and its number stay
  const erase = () => erasePersonalData(r.number,
    `删除 ${r.number} 中的医生姓名、医享账号、医生原话和需求人，以及各处文字中出现的这些名字和电话号码（历史记录、通知及其确认、延期申请和关联的 Bug 中也一并删除），备份文件夹中能改的备份也一并删除。需求本身和编号保留。此操作不能撤销。`);
  const privacy = h('div', { class: 'card', id: 'personal-data' }, h('h3', {}, '个人信息'),
    h('p', { class: 'hint' }, '应本人要求可删除此需求中的个人信息；导出的表格是否遮盖个人信息见设置项 privacy.mask_exports。'),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'erase-personal', class: 'danger', onclick: erase }, '删除个人信息…')));
  return h('div', {}, h('div', { class: 'card' }, h('dl', { class: 'facts' },
    shown.map(([label, k]) => [h('dt', {}, label), h('dd', {}, k.endsWith('_at') ? moment(r[k]) : r[k])]))),
  await screenshotsCard(r), form, privacy);
}

/** 截图: pictures kept with the requirement (issue 20: an 改进需求 asks for them) — added by
 * picking files or pasting (Ctrl+V) on the card, each opened full size. */
async function screenshotsCard(r) {
  const attach = async (paths, pasted = []) => {
    try {
      await api.attachToRequirement(r.number, paths, pasted);
      toast(`已添加 ${paths.length + pasted.length} 张截图`);
      go(location.hash);
    } catch (e) { showError(e, card); }
  };
  const pick = async () => {
    const paths = await api.pickScreenshots();
    if (paths.length) await attach(paths);
  };
  const card = h('div', { class: 'card', id: 'requirement-screenshots', tabindex: 0 }, h('h3', {}, `截图（${r.screenshots.length}）`),
    r.screenshots.length ? await thumbnails(r.screenshots, 'requirement-shots') : h('p', { class: 'muted' }, '还没有截图。'),
    h('div', { class: 'error-text' }),
    h('div', { class: 'row' }, h('button', { type: 'button', id: 'requirement-pick', onclick: pick }, '添加截图…'),
      h('span', { class: 'hint' }, '也可以点一下这里后直接粘贴（Ctrl+V）截图')));
  card.addEventListener('paste', async (e) => {
    const images = await pastedImages(e, r.screenshots.length + 1);
    if (images.length) await attach([], images.map(({ name, data }) => ({ name, data })));
  });
  return card;
}

async function notifyTab(app, r) {
  const dues = await api.notifications(r.number);
  if (!dues.length) return h('div', { class: 'card muted' }, '还没有需要通知的事项：记录决策结果后，这里会列出要告知谁、发什么。');
  return h('div', { id: 'notifications' }, h('p', { class: 'hint' }, '收集人通知需求报告人并确定其已知；需求报告人告知原始需求人；“做”和“需求转换”的需求要通知 IT 部。'),
    noticeCards(app, dues, { idPrefix: 'notify', record: (d, input) => api.recordNotification(r.number, input) }));
}

async function historyTab(r) {
  const rows = await api.history(r.number);
  return h('table', { class: 'plain', id: 'history' },
    h('thead', {}, h('tr', {}, ['发生时间', '项目', '原值', '新值', '操作人', '记录时间', '来源'].map((t) => h('th', {}, t)))),
    h('tbody', {}, rows.map((e) => h('tr', {}, h('td', {}, moment(e.happened_at)), h('td', {}, e.field_label),
      h('td', {}, e.old_value || ''), h('td', {}, e.new_value || ''), h('td', {}, e.actor),
      h('td', {}, moment(e.recorded_at)), h('td', {}, e.origin_label)))));
}

export async function detailView(app, number, tab = 'flow') {
  const r = await api.requirement(number);
  const current = TABS.some(([k]) => k === tab) ? tab : 'flow';
  const body = h('div', { id: 'tab-body' });
  const base = `#/req/${encodeURIComponent(r.number)}`;
  const withdraw = async () => {
    const done = await dialog(`撤回需求 ${r.number}`, h('div', {},
      h('p', { class: 'hint' }, '撤回后记录和编号都保留，编号不会再分配给其他需求。'),
      field('撤回原因', h('input', { name: 'reason', autocomplete: 'off' }), { required: true })),
    { submitLabel: '撤回', onSubmit: (d) => api.withdraw(r.number, d.reason, { version: r.version }) });
    if (done) { toast(`${r.number} 已撤回`); go(location.hash); }
  };
  const restore = async () => {
    try { await api.restore(r.number, { version: r.version }); toast(`${r.number} 已恢复`); go(location.hash); } catch (e) { showError(e); }
  };
  const exportForm = async () => {
    try {
      const done = await api.exportReportForm(r.number);
      if (done) { toast(`已导出：${done.path}`); done.notes.forEach((n) => toast(n)); }
    } catch (e) { showError(e); }
  };
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, TABS.map(([k, label]) => h('button', {
    type: 'button', role: 'tab', 'aria-selected': String(k === current), id: `tab-${k}`,
    onclick: () => { location.hash = `${base}/${k}`; },
  }, label)));
  const view = h('section', {},
    h('div', { class: 'detail-head' },
      h('a', { href: '#/register' }, '← 登记表'),
      h('h1', { id: 'detail-number' }, r.number), h('span', {}, r.brief), statusBadge(r),
      h('span', { class: 'spacer' }),
      r.steps.restore.open ? h('button', { type: 'button', id: 'restore', onclick: restore }, '恢复') : null,
      h('button', { type: 'button', id: 'export-form', onclick: exportForm, title: '附表2，可打印' }, '导出需求报告表'),
      r.steps.edit.open ? h('a', { href: `${base}/edit`, class: 'button', id: 'edit-report' }, '编辑报告') : null,
      r.steps.withdraw.open ? h('button', { type: 'button', class: 'danger', id: 'withdraw', onclick: withdraw }, '撤回') : null),
    tabs, body);
  const content = current === 'flow' ? flowTab(app, r) : current === 'details' ? await detailsTab(app, r)
    : current === 'delays' ? await delayTab(app, r)
    : current === 'notify' ? await notifyTab(app, r) : await historyTab(r);
  clear(body, content);
  view.genjinStale = recordChanged(() => api.requirement(r.number), r);
  return view;
}
