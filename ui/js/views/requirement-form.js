// 新建需求 / 编辑需求: every field of the 需求报告表 (附表2) plus what the collector adds.
import { api } from '../api.js';
import { h, field, formData, formLabel, showError, submitOnCtrlEnter, todayIso, toast } from '../components/dom.js';

function text(name, value = '', attrs = {}) {
  return h('input', { name, value: value || '', autocomplete: 'off', ...attrs });
}

function area(name, value = '', rows = 3) {
  return h('textarea', { name, rows }, value || '');
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

  const brief = text('brief', r ? r.brief : '', { maxlength: BRIEF_MAX, placeholder: '关键词用空格分隔，例如：问卷 自动计分' });
  const counter = h('div', { class: 'counter' });
  let cut = 0; // characters a paste lost to the limit
  const count = () => {
    const n = [...brief.value.trim()].length;
    counter.textContent = cut ? `${n} / ${BRIEF_MAX} · 粘贴的文字超出 ${cut} 字，已截断，请精简` : `${n} / ${BRIEF_MAX}`;
    counter.classList.toggle('over', n > BRIEF_MAX || cut > 0);
  };
  brief.addEventListener('paste', (e) => {
    const pasted = (e.clipboardData && e.clipboardData.getData('text')) || '';
    const kept = brief.value.length - (brief.selectionEnd - brief.selectionStart);
    cut = Math.max(0, kept + pasted.length - BRIEF_MAX);
  });
  brief.addEventListener('input', (e) => { if (e.inputType !== 'insertFromPaste') cut = 0; count(); });
  count();

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
        field(`填表人（需求${label('reporter')}）`, text('reporter', r ? r.reporter : '', { list: 'people-names', placeholder: '填写需求报告表的人（不一定是你）' }), { required: true }),
        h('datalist', { id: 'people-names' }, people.filter((p) => p.active).map((p) => h('option', { value: p.name }, p.department))),
        field(label('reporter_department'), text('reporter_department', r ? r.reporter_department : '', { list: 'departments' })),
        h('datalist', { id: 'departments' }, app.info.departments.map((d) => h('option', { value: d }))),
        field(label('report_date'), text('report_date', r ? r.report_date : '', { placeholder: '年-月-日' }), { hint: '报告人填写需求报告表的日期，不晚于收到日期' }),
        field('收到日期', text('received_date', r ? r.received_date : todayIso(), { placeholder: '年-月-日', readonly: r ? true : null }),
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
    h('div', { class: 'card' }, field('备注', area('remark', r && r.remark, 2), { wide: true })),
    h('div', { class: 'error-text' }),
    h('div', { class: 'actions sticky' },
      h('span', { class: 'hint' }, 'Enter 保存（多行文本中用 Ctrl+Enter）'),
      h('a', { href: r ? `#/req/${encodeURIComponent(r.number)}` : '#/register', class: 'button' }, '取消'),
      h('button', { type: 'submit', class: 'primary', id: 'requirement-save' }, r ? '保存修改' : '登记需求')));
  submitOnCtrlEnter(form);

  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    const data = formData(form);
    try {
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
  return h('section', {}, h('h1', {}, r ? `编辑需求 ${r.number}` : '新建需求（需求报告表）'), form);
}
