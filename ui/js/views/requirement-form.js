// 新建需求 / 编辑需求: every field of the 需求报告表 (附表2) plus what the collector adds.
import { api } from '../api.js';
import { personFields, personInput } from './people.js';
import { h, clear, dialog, field, formData, formLabel, guardCancel, recordChanged, showError, submitOnCtrlEnter, todayIso, toast } from '../components/dom.js';
import { pastedImages } from '../components/screenshots.js';

function text(name, value = '', attrs = {}) {
  return h('input', { name, value: value || '', autocomplete: 'off', ...attrs });
}

function area(name, value = '', rows = 3) {
  return h('textarea', { name, rows }, value || '');
}

/** The reporter picked from the people list fills their 部门 (issue 20: 附表2 printed an empty
 * box); a name not in the list is said so, with a way to add them — a typo would otherwise
 * split one person's statistics. */
function reporterFromList(app, form, people) {
  const input = form.elements.reporter;
  const dept = form.elements.reporter_department;
  const hint = h('div', { class: 'hint warn', id: 'reporter-unknown', hidden: true });
  input.insertAdjacentElement('afterend', hint);
  const check = () => {
    const name = input.value.trim();
    const p = people.find((x) => x.name === name);
    if (p && p.department && !dept.value.trim()) dept.value = p.department;
    hint.hidden = !name || Boolean(p);
    if (hint.hidden) return;
    clear(hint, `“${name}”不在人员名单中（同一人写法不同会分开统计）。`,
      h('button', { type: 'button', class: 'link', id: 'reporter-add', onclick: add }, '添加到人员名单'));
  };
  const add = async () => {
    const saved = await dialog('添加人员', personFields(app, { name: input.value.trim(), department: dept.value.trim(), roles: ['需求报告人'] }), {
      id: 'reporter-add-dialog', submitLabel: '添加', onSubmit: (data) => api.addPerson(personInput(data)),
    });
    if (!saved) return;
    people.push(saved);
    form.querySelector('#people-names').append(h('option', { value: saved.name }, saved.department));
    input.value = saved.name;
    if (saved.department) dept.value = saved.department;
    toast(`已添加到人员名单：${saved.name}`);
    check();
  };
  input.addEventListener('change', check);
  input.addEventListener('blur', check);
  check();
}

export async function requirementFormView(app, number = null) {
  const r = number ? await api.requirement(number) : null;
  const people = await api.people().catch(() => []);
  // 附表2's labels and parts as the core's form has them (app.info.forms.report)
  const report = app.info.forms.report;
  const label = (key) => formLabel(report, key);
  const supplement = app.info.forms.supplement;
  const kinds = app.info.kinds;
  const codeOf = (kindLabel) => (kinds.find((k) => k.label === kindLabel) || kinds[0]).code;
  const kind = r ? r.kind : kinds[0].label;
  const BRIEF_MAX = app.info.limits.brief_max_chars;
  // on a laptop (issue 24) a new report waits to be registered: the collector numbers it on
  // receipt, so it has no received date here
  const laptop = !r && app.sync && app.sync.laptop;
  const me = (app.info.operator || {}).name || '';

  // never cut (issue 20): what was typed or pasted is kept; over the limit the counter turns
  // red and the core refuses the save at this field
  const brief = text('brief', r ? r.brief : '', { placeholder: '关键词用空格分隔，例如：问卷 自动计分' });
  const counter = h('div', { class: 'counter', id: 'brief-counter' });
  const count = () => {
    const n = [...brief.value.trim()].length;
    counter.textContent = n > BRIEF_MAX ? `${n} / ${BRIEF_MAX} · 超出 ${n - BRIEF_MAX} 字，请精简（完整内容可写在概述中）` : `${n} / ${BRIEF_MAX}`;
    counter.classList.toggle('over', n > BRIEF_MAX);
  };
  brief.addEventListener('input', count);
  count();

  // a laptop's report keeps its photos with it until the collector registers it
  let shots = [];
  const pasted = [];
  const shotList = h('span', { class: 'muted', id: 'report-shots' }, '无');
  const previews = h('div', { class: 'scans' });
  const showShots = () => {
    const names = [...shots.map((p) => p.split(/[\\/]/).pop()), ...pasted.map((p) => p.name)];
    shotList.textContent = names.length ? names.join('、') : '无';
  };
  const pickShots = async () => {
    try { shots = [...shots, ...(await api.pickScreenshots())]; showShots(); } catch (e) { toast(e.message || String(e), 'error'); }
  };
  const photos = laptop ? h('div', { class: 'card' }, h('h2', {}, '照片或截图'),
    h('div', { class: 'row' }, h('button', { type: 'button', id: 'report-pick', onclick: pickShots }, '添加截图…'), shotList,
      h('span', { class: 'hint' }, '也可以直接粘贴（Ctrl+V）')), previews) : null;

  const newPart = h('fieldset', { class: 'card', id: 'part-new' }, h('legend', {}, supplement.new),
    h('p', { class: 'hint' }, supplement.hint),
    h('div', { class: 'grid' },
      ['new_intensity', 'new_simplifies', 'new_similar'].map((k) => field(label(k), area(k, r && r[k], 2), { wide: true }))));
  const impPart = h('fieldset', { class: 'card', id: 'part-improvement' }, h('legend', {}, supplement.improvement),
    h('p', { class: 'hint' }, supplement.improvement_hint),
    h('div', { class: 'grid' },
      field(label('imp_phone_model'), text('imp_phone_model', r && r.imp_phone_model)),
      field(label('imp_os_version'), text('imp_os_version', r && r.imp_os_version, { placeholder: '例如 Android 4.4' })),
      field(label('imp_annoyance'), area('imp_annoyance', r && r.imp_annoyance, 2), { wide: true }),
      field(label('imp_steps'), area('imp_steps', r && r.imp_steps, 3), { wide: true })));
  const showPart = (k) => { newPart.hidden = codeOf(k) !== 'new'; impPart.hidden = codeOf(k) !== 'improvement'; };
  showPart(kind);

  const form = h('form', { id: 'requirement-form', novalidate: true },
    h('div', { class: 'card' }, h('h2', {}, '登记信息'),
      h('div', { class: 'grid' },
        h('div', {}, h('div', { class: 'hint' }, '需求类型'), h('div', { class: 'roles' },
          kinds.map(({ label: k }) => h('label', { class: 'inline' },
            h('input', { type: 'radio', name: 'kind', value: k, checked: k === kind, onchange: () => showPart(k) }), k)))),
        field('需求来源', text('source', r ? r.source : '', { list: 'sources' })),
        h('datalist', { id: 'sources' }, app.info.sources.map((s) => h('option', { value: s }))),
        field(`填表人（需求${label('reporter')}）`, text('reporter', r ? r.reporter : (laptop ? me : ''), { list: 'people-names', placeholder: '填写需求报告表的人（不一定是你）' }), { required: true }),
        h('datalist', { id: 'people-names' }, people.filter((p) => p.active).map((p) => h('option', { value: p.name }, p.department))),
        field(label('reporter_department'), text('reporter_department', r ? r.reporter_department : '', { list: 'departments' })),
        h('datalist', { id: 'departments' }, app.info.departments.map((d) => h('option', { value: d }))),
        field(label('report_date'), text('report_date', r ? r.report_date : (laptop ? todayIso() : ''), { placeholder: '年-月-日' }), { hint: laptop ? '你填写这份报告的日期' : '报告人填写需求报告表的日期，不晚于收到日期' }),
        laptop ? null : field('收到日期', text('received_date', r ? r.received_date : todayIso(), { placeholder: '年-月-日', readonly: r ? true : null }),
          { required: true, hint: r ? '收到日期决定了需求编号，不能修改' : '决定需求编号：当天第几份' }))),
    h('div', { class: 'card' }, h('h2', {}, '需求人'),
      h('div', { class: 'grid' },
        field('需求人', text('requester', r && r.requester, { placeholder: '提出需求的医生/用户' })),
        ['doctor_name', 'hospital', 'clinic_department', 'app_account'].map((k) => field(label(k), text(k, r && r[k]))))),
    h('div', { class: 'card' }, h('h2', {}, '需求内容'),
      h('div', { class: 'grid' },
        field(`${label('doctor_words')}（原样记录）`, area('doctor_words', r && r.doctor_words, 3), { wide: true }),
        field(label('overview'), area('overview', r && r.overview, 2), { wide: true }),
        h('label', { class: 'wide' }, h('span', { class: 'req' }, `需求梗概（不超过 ${BRIEF_MAX} 字，用于登记表）`), brief, counter))),
    newPart, impPart,
    photos,
    h('div', { class: 'card' }, field('备注', area('remark', r && r.remark, 2), { wide: true })),
    h('div', { class: 'error-text' }),
    h('div', { class: 'actions sticky' },
      h('span', { class: 'hint' }, 'Enter 保存（多行文本中用 Ctrl+Enter）'),
      h('a', { href: r ? `#/req/${encodeURIComponent(r.number)}` : (laptop ? '#/sync' : '#/register'), class: 'button', id: 'requirement-cancel' }, '取消'),
      h('button', { type: 'submit', class: 'primary', id: 'requirement-save' }, r ? '保存修改' : (laptop ? '保存（待同步）' : '登记需求'))));
  submitOnCtrlEnter(form);
  if (laptop) {
    form.addEventListener('paste', async (e) => {
      const images = await pastedImages(e, pasted.length + 1);
      for (const { name, data, url } of images) {
        pasted.push({ name, data });
        previews.append(h('img', { src: url, alt: name, class: 'thumb' }));
      }
      if (images.length) showShots();
    });
  }
  reporterFromList(app, form, people);
  guardCancel(form, form.querySelector('#requirement-cancel'));

  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    const data = formData(form);
    try {
      if (laptop) {
        const s = await api.submitRequirement(data, shots, pasted);
        toast(`已保存为 待登记 ${s.id}：同步后由需求收集人登记编号`);
        location.hash = '#/sync';
        return;
      }
      const saved = r
        ? await api.updateRequirement(r.number, { ...data, version: r.version })
        : await api.createRequirement(data);
      toast(r ? `已保存 ${saved.number}` : `已登记，需求编号 ${saved.number}`);
      location.hash = `#/req/${encodeURIComponent(saved.number)}`;
    } catch (err) {
      showError(err, form);
    } finally {
      busy = false;
    }
  });
  setTimeout(() => form.querySelector('input:checked, input:not([type=radio])').focus(), 0);
  const page = h('section', {}, h('h1', {}, r ? `编辑需求 ${r.number}` : (laptop ? '填写需求报告表（外出，待同步）' : '新建需求（需求报告表）')),
    laptop ? h('p', { class: 'hint', id: 'laptop-report-hint' }, '这是外出用的复制库：保存后列在“待同步”中，同步到共享数据库后由需求收集人登记并给出需求编号。') : null,
    form);
  if (r) page.genjinStale = recordChanged(() => api.requirement(r.number), r);
  return page;
}
