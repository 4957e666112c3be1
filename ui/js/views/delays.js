// 附表1 需求延期交付申请: a requirement's applications (file, record signatures, withdraw, print,
// export), the list of all applications, and the print view. What is possible is the core's
// verdict (r.steps.delay, an application's state and next level); this module never decides it.
import { api } from '../api.js';
import { h, byPinyin, clear, compact, dialog, field, formData, go, select, showError, toast } from '../components/dom.js';
import { dayInput, happenedField } from '../components/steps.js';

const label = (app, key) => (app.info.forms.delay.fields.concat(app.info.forms.delay.heading_line)
  .find((f) => f.key === key) || {}).label || key;

function stateBadge(d) {
  const cls = { pending: 'open', approved: 'delayed', rejected: 'overdue', withdrawn: 'withdrawn' }[d.state_code] || '';
  return [h('span', { class: `badge ${cls}`, 'data-state': d.state }, d.state),
    d.filed_late ? h('span', { class: 'badge overdue', title: '填报时原交付日已过：考核不计为按时申请' }, '逾期申请') : null];
}

async function submitting(form, run, done) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await run(formData(form));
      if (done) toast(done);
      go(location.hash);
    } catch (err) { showError(err, form); }
  });
  return form;
}

function signForm(app, d, people) {
  const level = d.next_level;
  const gm = d.next_level_code === 'gm_office';
  const active = people.filter((p) => p.active);
  // the 总经办 is a member of the decision group; the lower two levels may be leaders who sign
  // on paper only, typed as written (issue 20)
  const signer = gm
    ? select('signer', [['', '请选择'], ...active.filter((p) => p.roles.includes('决策组')).map((p) => p.name)], '')
    : h('input', { name: 'signer', list: `signers-${d.id}`, autocomplete: 'off', placeholder: '照纸上签名填写' });
  const form = h('form', { class: 'sign-form', id: `sign-${d.id}` },
    h('h4', {}, `记录${level}签字`),
    gm ? null : h('datalist', { id: `signers-${d.id}` }, active.map((p) => h('option', { value: p.name }, p.department))),
    h('div', { class: 'grid' },
      field('签字人', signer, { required: true, hint: gm ? '须为决策组成员' : '纸上签字的人（不必是本软件的用户）' }),
      field('意见', select('opinion', [['', '请选择'], ...app.info.opinions.map((o) => o.label)], ''), { required: true, hint: '照纸上所写' }),
      field('签字日期', dayInput('date', ''), { required: true, hint: '纸上签字旁写的日期' }),
      field('意见说明', h('input', { name: 'comment', autocomplete: 'off' })),
      happenedField()),
    h('div', { class: 'error-text' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, `保存${level}签字`)));
  submitting(form, (v) => (!v.opinion ? Promise.reject({ kind: 'invalid', field: 'opinion', message: '请照纸上所写选择意见' })
    : !v.date ? Promise.reject({ kind: 'invalid', field: 'date', message: '请填写纸上签字旁写的日期' })
      : api.signDelay(d.id, {
        level, opinion: v.opinion, signer: v.signer, comment: v.comment, date: v.date,
        happened_at: v.happened_at, version: d.version,
      })), `${level}签字已记录`);
  return form;
}

/** 作废 a wrongly recorded signature (issue 20): the core says which one may be (d.voidable),
 * the reason is asked and kept in history; the right one is then recorded as usual. */
async function voidSignature(d, level) {
  const done = await dialog(`作废${level}签字`, h('div', {},
    h('p', {}, '作废后可重新记录正确的签字；作废的签字和原因保留在历史中。'),
    field('作废原因', h('input', { name: 'reason', autocomplete: 'off', placeholder: '例如：签字人录错' }), { required: true })), {
    id: 'void-dialog',
    submitLabel: '作废',
    onSubmit: (v) => api.voidSignoff(d.id, level, v.reason || '', d.version),
  });
  if (done) { toast(`${level}签字已作废`); go(location.hash); }
}

function applicationCard(app, d, people) {
  const sigs = app.info.sign_levels.map((l) => {
    const s = d.signoffs.find((x) => x.level === l.label);
    return h('tr', {}, h('td', {}, l.label), h('td', {}, s ? s.signer : ''), h('td', {}, s ? s.opinion : ''),
      h('td', {}, s ? s.comment : ''), h('td', {}, s ? compact(s.signed_on) : ''), h('td', { class: 'muted' }, s ? s.recorded_by : ''),
      h('td', {}, s && d.voidable === l.label ? h('button', { type: 'button', class: 'link', id: `void-${d.id}`, onclick: () => voidSignature(d, l.label) }, '作废') : ''));
  });
  const withdraw = async () => {
    try { await api.withdrawDelay(d.id, '', { version: d.version }); toast('延期申请已撤回'); go(location.hash); } catch (e) { showError(e); }
  };
  const exportIt = async () => {
    try {
      const done = await api.exportDelay(d.id, `需求延期交付申请_${d.number}_${d.id}.xlsx`);
      if (done) { toast(`已导出：${done.path}`); done.notes.forEach((n) => toast(n)); }
    } catch (e) { showError(e); }
  };
  const attach = async () => {
    try { if (await api.attachDelayScan(d.id)) { toast('签字扫描件已保存'); go(location.hash); } } catch (e) { showError(e); }
  };
  const show = async (a) => {
    try {
      if (a.media_type.startsWith('image/')) {
        const bytes = await api.attachment(a.id);
        const url = URL.createObjectURL(new Blob([bytes], { type: a.media_type }));
        await dialog(a.file_name, h('img', { src: url, alt: a.file_name, class: 'scan' }), { submitLabel: '关闭', cancellable: false, onSubmit: async () => true });
        URL.revokeObjectURL(url);
      } else {
        const p = await api.saveAttachment(a.id, a.file_name);
        if (p) toast(`已保存：${p}`);
      }
    } catch (e) { showError(e); }
  };
  const scans = h('div', { class: 'scans' }, h('span', { class: 'muted' }, '签字扫描件：'),
    d.scans.length ? d.scans.map((a) => h('button', { type: 'button', class: 'link', 'data-scan': a.id, onclick: () => show(a) }, a.file_name)) : h('span', { class: 'muted' }, '无'),
    h('button', { type: 'button', id: `attach-${d.id}`, onclick: attach }, '上传签字扫描件'));
  return h('div', { class: 'card delay', id: `delay-${d.id}`, 'data-state': d.state },
    h('div', { class: 'detail-head' }, h('h3', {}, `延期申请 #${d.id}`), stateBadge(d), h('span', { class: 'spacer' }),
      h('a', { class: 'button', href: `#/delay/${d.id}/print`, id: `print-${d.id}` }, '打印'),
      h('button', { type: 'button', onclick: exportIt }, '导出附表1'),
      d.withdraw.open ? h('button', { type: 'button', class: 'danger', id: `withdraw-delay-${d.id}`, onclick: withdraw }, '撤回') : null),
    h('p', {}, `${label(app, 'applicant')}：${d.applicant}（${d.applicant_department || '—'}） · ${label(app, 'filed_date')} ${compact(d.filed_date)} · `,
      h('strong', {}, `${label(app, 'original_date')} ${compact(d.original_date)} → ${label(app, 'new_date')} ${compact(d.new_date)}`)),
    h('p', {}, `${label(app, 'reason')}：${d.reason}`),
    h('p', { class: 'hint' }, `简短原因（登记表备注、给需求人的消息）：${d.short_reason || '—'}`),
    h('table', { class: 'plain signoffs' },
      h('thead', {}, h('tr', {}, ['级别', '签字人', '意见', '说明', '签字日期', '记录人', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, sigs)),
    scans,
    d.next_level ? signForm(app, d, people) : null);
}

function fileForm(app, r) {
  const op = app.info.operator || {};
  const form = h('form', { id: 'delay-form' },
    h('div', { class: 'grid' },
      field(label(app, 'applicant'), h('input', { name: 'applicant', value: op.name || '', autocomplete: 'off' }), { hint: '默认为操作人' }),
      field(label(app, 'applicant_department'), h('input', { name: 'applicant_department', value: op.department || '', autocomplete: 'off' })),
      field(label(app, 'original_date'), h('input', { value: compact(r.promised_date), disabled: true }), { hint: '现行交付日' }),
      field(label(app, 'new_date'), dayInput('new_date', ''), { required: true }),
      field(label(app, 'filed_date'), dayInput('filed_date', ''), { hint: '不填为今天' }),
      field(label(app, 'overview'), h('input', { name: 'overview', value: r.overview || r.brief }), { wide: true }),
      field(label(app, 'reason'), h('textarea', { name: 'reason', rows: 3 }), { required: true, wide: true }),
      field('简短原因', h('input', { name: 'short_reason', autocomplete: 'off', maxlength: 40, placeholder: '例如：第三方接口未开放' }),
        { wide: true, hint: '写进登记表备注和给需求人的消息（不超过 20 字）；不填则取延期原因的第一句' }),
      happenedField()),
    h('div', { class: 'error-text' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'delay-submit' }, '提交延期申请')));
  submitting(form, (v) => api.fileDelay(r.number, {
    new_date: v.new_date, reason: v.reason, short_reason: v.short_reason, overview: v.overview, filed_date: v.filed_date, happened_at: v.happened_at,
    applicant: v.applicant, applicant_department: v.applicant_department,
  }), '延期申请已提交，请打印后交领导签字');
  return form;
}

/** The 延期 tab of a requirement: its applications and, when the core allows, a new one. */
export async function delayTab(app, r) {
  const people = await api.people();
  const approved = r.delays.filter((d) => d.state_code === 'approved').length;
  return h('div', { id: 'delays' },
    h('p', { class: 'muted', id: 'delay-summary' }, `现行交付日：${compact(r.promised_date) || '—'}；已批准延期 ${approved} 次`),
    r.delays.slice().reverse().map((d) => applicationCard(app, d, people)),
    h('div', { class: `card step${r.steps.delay.open ? '' : ' disabled'}`, id: 'card-delay-new' },
      h('h3', {}, `申请延期（${app.info.forms.delay.annex} ${app.info.forms.delay.title}）`),
      r.steps.delay.open ? fileForm(app, r) : h('p', { class: 'hint', id: 'delay-why' }, r.steps.delay.why)));
}

/** 延期申请: every application, filtered by state, applicant and month. */
export async function delaysView(app) {
  const all = await api.delays();
  const tbody = h('tbody');
  const states = select('state', [['', '全部'], ...app.info.delay_states.map((s) => s.label)], '');
  const applicants = select('applicant', [['', '全部'], ...[...new Set(all.map((d) => d.applicant))].sort(byPinyin)], '');
  const month = h('input', { name: 'month', placeholder: '年-月', class: 'date', autocomplete: 'off' });
  const draw = () => {
    const m = month.value.trim();
    const rows = all.filter((d) => (!states.value || d.state === states.value)
      && (!applicants.value || d.applicant === applicants.value)
      && (!m || d.filed_date.startsWith(m)));
    clear(tbody, rows.length ? rows.map((d) => h('tr', { 'data-id': d.id, onclick: () => go(`#/req/${encodeURIComponent(d.number)}/delays`) },
      h('td', {}, String(d.id)), h('td', {}, d.number), h('td', {}, d.applicant), h('td', {}, compact(d.filed_date)),
      h('td', {}, compact(d.original_date)), h('td', {}, compact(d.new_date)), h('td', {}, stateBadge(d)),
      h('td', {}, d.reason), h('td', {}, d.next_level ? `待${d.next_level}签字` : '')))
      : h('tr', {}, h('td', { colspan: 9, class: 'muted' }, '没有符合条件的延期申请')));
  };
  [states, applicants].forEach((s) => s.addEventListener('change', draw));
  month.addEventListener('input', draw);
  draw();
  const blank = async () => {
    try { const done = await api.exportDelay(null, '需求延期交付申请_空白.xlsx'); if (done) toast(`已导出：${done.path}`); } catch (e) { showError(e); }
  };
  // a new application starts from its requirement (issue 20): asked for here, filed on its 延期 tab
  const fresh = async () => {
    const r = await dialog('新建延期申请', field('需求编号', h('input', { name: 'number', autocomplete: 'off', placeholder: '例如 2014062001' }), { required: true }), {
      id: 'new-delay-dialog',
      submitLabel: '下一步',
      onSubmit: async (v) => {
        const number = (v.number || '').trim();
        if (!number) throw { kind: 'invalid', field: 'number', message: '请填写要延期的需求编号' };
        try { return await api.requirement(number); } catch (e) { throw { ...e, field: 'number' }; }
      },
    });
    if (r) go(`#/req/${encodeURIComponent(r.number)}/delays`);
  };
  return h('section', {},
    h('div', { class: 'detail-head' }, h('h1', {}, '延期申请'), h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'primary', id: 'new-delay', onclick: fresh }, '新建延期申请'),
      h('a', { class: 'button', href: '#/delay/blank/print' }, '打印空白表'),
      h('button', { type: 'button', onclick: blank }, '导出空白附表1')),
    h('form', { class: 'filters', id: 'delay-filters', onsubmit: (e) => e.preventDefault() },
      h('label', {}, '状态', states), h('label', {}, '申请人', applicants), h('label', {}, '填报月份', month)),
    h('table', { class: 'register', id: 'delay-list' },
      h('thead', {}, h('tr', {}, ['#', '需求编号', '申请人', '填报日期', '原交付日', '新交付日', '状态', '延期原因', ''].map((t) => h('th', {}, t)))),
      tbody));
}

/** The paper form as a page to print (the same layout as the exported sheet). */
export async function delayPrintView(app, id) {
  const d = id === 'blank' ? null : await api.delay(Number(id));
  const f = app.info.forms.delay;
  const v = (x) => (d ? x : '');
  const day = (s) => (s ? s.replace(/^(\d{4})-(\d{2})-(\d{2})$/, (_, y, m, dd) => `${y}年${Number(m)}月${Number(dd)}日`) : '');
  const sig = (lvl) => d && d.signoffs.find((s) => s.level === lvl);
  const keys = { 直接领导: 'signoff_direct', 部门领导: 'signoff_department', 总经办: 'signoff_gm_office' };
  const blankLine = '__________';
  return h('section', { class: 'print-form', id: 'delay-print' },
    h('div', { class: 'no-print actions' }, h('a', { class: 'button', href: d ? `#/req/${encodeURIComponent(d.number)}/delays` : '#/delays' }, '返回'),
      h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, '打印')),
    h('p', {}, f.annex), h('h1', {}, f.title),
    h('p', { class: 'heading-line' }, `${label(app, 'applicant')}：${d ? d.applicant : blankLine}　${label(app, 'applicant_department')}：${d ? d.applicant_department || blankLine : blankLine}　${label(app, 'filed_date')}：${d ? day(d.filed_date) : blankLine}`),
    h('table', {},
      h('tr', {}, ['number', 'original_date', 'new_date', 'overview'].map((k) => h('th', {}, label(app, k)))),
      h('tr', { class: 'values' }, h('td', {}, v(d && d.number)), h('td', {}, v(d && day(d.original_date))), h('td', {}, v(d && day(d.new_date))), h('td', {}, v(d && d.overview))),
      h('tr', { class: 'reason' }, h('th', {}, label(app, 'reason')), h('td', { colspan: 3 }, v(d && d.reason))),
      app.info.sign_levels.map((l, i) => {
        const s = sig(l.label);
        return h('tr', { class: 'opinion' }, i === 0 ? h('th', { rowspan: 3 }, '领导意见') : null,
          h('td', { colspan: 3 }, h('div', {}, `${label(app, keys[l.label])}：${s ? `${s.opinion}${s.comment ? `。${s.comment}` : ''}（已录入：${s.signer}，${day(s.signed_on)}）` : ''}`),
            h('div', { class: 'sign-line' }, '签字：　　　　　　　　年　　月　　日')));
      })));
}
