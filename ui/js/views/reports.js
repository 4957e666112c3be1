// 报表: the 新增需求收集周报 of a week — its agenda and mail body as the core made them, written
// into a folder in one click, and "周报已发送" recorded with its time — and the 需求收集处理月度总结
// of a month, its figures drawn as plain SVG charts (no library, no CDN: the window is offline).
import { api } from '../api.js';
import { h, clear, copyText, field, formData, go, markRows, moment, nowText, recordHash, select, showError, submitOnCtrlEnter, toast, todayIso } from '../components/dom.js';
import { dayInput } from '../components/steps.js';

/** The two reports' switch. */
const reportTabs = (current) => h('div', { class: 'tabs', role: 'tablist' },
  [['weekly', '新增需求收集周报'], ['meeting', '决策会'], ['monthly', '月度总结'], ['assessment', '月度考核']].map(([k, label]) => h('button', {
    type: 'button', role: 'tab', 'aria-selected': String(k === current), id: `tab-${k}`,
    onclick: () => { location.hash = `#/${k}`; },
  }, label)));

/** #/weekly[/DAY]: the week holding DAY (default today). */
export async function weeklyView(app, day = null) {
  const p = await api.weeklyPreview(day || todayIso());
  const picker = dayInput('day', p.friday);
  const show = (e) => { e.preventDefault(); go(`#/weekly/${encodeURIComponent(picker.value.trim())}`); };
  const body = h('textarea', { id: 'weekly-body', rows: 14, readonly: true }, p.body);
  const result = h('div', { id: 'weekly-files' });
  const write = async () => {
    try {
      const folder = await api.chooseFolder('选择周报保存到的文件夹');
      if (!folder) return;
      const done = await api.weeklyWrite(p.friday, folder);
      clear(result, h('p', {}, `已写入 ${done.files.length} 个文件：`),
        h('ul', {}, done.files.map((f) => h('li', {}, f.split(/[\\/]/).pop()))));
      toast('周报已写入文件夹');
    } catch (e) { showError(e); }
  };
  const sentForm = h('form', { id: 'weekly-sent', class: 'row' },
    field('发送时间', h('input', { name: 'at', value: nowText(), class: 'date-time' }), { hint: '默认现在；补录时改为实际发送的时间' }),
    h('button', { type: 'submit', class: 'primary' }, '记录周报已发送'), h('div', { class: 'error-text' }));
  sentForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.weeklySent(p.friday, sentForm.elements.at.value);
      toast('已记录周报已发送');
      go(location.hash);
    } catch (err) { showError(err, sentForm); }
  });
  return h('section', {}, reportTabs('weekly'),
    h('div', { class: 'detail-head' }, h('h1', {}, '新增需求收集周报'), h('span', { class: 'spacer' }),
      h('form', { class: 'row', onsubmit: show }, h('label', { class: 'inline' }, '周五', picker), h('button', { type: 'submit' }, '查看'))),
    h('div', { class: 'card' },
      h('h2', {}, `${p.friday} 这一周：待决策 ${p.agenda.length} 条`),
      p.agenda.length ? h('table', { class: 'plain', id: 'weekly-agenda' },
        h('thead', {}, h('tr', {}, ['需求编号', '需求梗概', '填表人', '需求人', '收到日期', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, p.agenda.map((a) => h('tr', { 'data-number': a.number },
          h('td', {}, h('a', { href: `#/req/${encodeURIComponent(a.number)}` }, a.number)), h('td', {}, a.brief), h('td', {}, a.reporter),
          h('td', {}, a.requester), h('td', {}, a.received_date), h('td', {}, a.discussed_again ? '再议' : '')))))
        : h('p', { class: 'muted' }, '这一周没有待决策的需求。'),
      h('p', { class: 'hint' }, '待决策：周四及以前收到、到周五还未决策的需求，以及决策为“再议”的需求。')),
    h('div', { class: 'card' },
      h('h2', {}, '周报正文'), body,
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'weekly-copy', onclick: async () => { await copyText(p.body); toast('正文已复制'); } }, '复制正文'),
        h('button', { type: 'button', class: 'primary', id: 'weekly-write', onclick: write }, '写入文件夹…')),
      h('p', { class: 'hint' }, `写入：周报正文.txt、标黄的需求登记反馈表、待决策需求的需求报告表（${p.zip_from} 份及以上打包为一个 .zip）。`),
      result),
    h('div', { class: 'card' }, h('h2', {}, '发送'),
      p.sent ? h('p', { id: 'weekly-sent-at' }, `已于 ${moment(p.sent.sent_at)} 发送（${p.sent.recorded_by} 记录）`) : sentForm));
}

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}, ...kids) => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids.flat()) if (k != null) e.append(k);
  return e;
};
const text = (x, y, s, attrs = {}) => svg('text', { x, y, 'font-size': 12, ...attrs }, String(s));
const COLORS = ['#0f766e', '#b45309', '#4f46e5', '#be123c', '#4d7c0f'];

/** Vertical bars: [label, value] pairs. */
function columnChart(id, pairs) {
  const w = 420; const h0 = 220; const top = Math.max(1, ...pairs.map(([, v]) => v));
  const bw = (w - 40) / pairs.length;
  return svg('svg', { id, viewBox: `0 0 ${w} ${h0 + 30}`, class: 'chart', role: 'img' },
    pairs.map(([label, v], i) => {
      const bh = (v / top) * (h0 - 30);
      const x = 30 + i * bw + bw * 0.2;
      return svg('g', { 'data-label': label, 'data-value': v },
        svg('rect', { x, y: h0 - bh, width: bw * 0.6, height: bh, fill: COLORS[0] }),
        text(x + bw * 0.3, h0 - bh - 4, v, { 'text-anchor': 'middle' }),
        text(x + bw * 0.3, h0 + 16, label, { 'text-anchor': 'middle' }));
    }),
    svg('line', { x1: 25, y1: h0, x2: w - 5, y2: h0, stroke: '#94a3b8' }));
}

/** Horizontal bars of rates (0–1): [label, rate] pairs. */
function rateChart(id, pairs) {
  const w = 420; const row = 22; const left = 80;
  return svg('svg', { id, viewBox: `0 0 ${w} ${pairs.length * row + 10}`, class: 'chart', role: 'img' },
    pairs.map(([label, r], i) => svg('g', { 'data-label': label, 'data-value': r },
      text(left - 6, i * row + 16, label, { 'text-anchor': 'end' }),
      svg('rect', { x: left, y: i * row + 4, width: Math.max(1, r * (w - left - 50)), height: row - 8, fill: COLORS[1] }),
      text(left + r * (w - left - 50) + 4, i * row + 16, `${(r * 100).toFixed(1)}%`))));
}

/** Lines over months: series [{name, values}], months labels. */
function lineChart(id, months, series) {
  const w = 640; const h0 = 220; const left = 30;
  const top = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i) => left + (i * (w - left - 10)) / Math.max(1, months.length - 1);
  const y = (v) => h0 - (v / top) * (h0 - 20);
  return svg('svg', { id, viewBox: `0 0 ${w} ${h0 + 50}`, class: 'chart', role: 'img' },
    svg('line', { x1: left, y1: h0, x2: w - 5, y2: h0, stroke: '#94a3b8' }),
    months.map((m, i) => (i % 2 === 0 || i === months.length - 1 ? text(x(i), h0 + 16, m.slice(2), { 'text-anchor': 'middle', 'font-size': 10 }) : null)),
    series.map((s, k) => svg('g', { 'data-series': s.name },
      svg('polyline', { points: s.values.map((v, i) => `${x(i)},${y(v)}`).join(' '), fill: 'none', stroke: COLORS[k % COLORS.length], 'stroke-width': 2 }),
      // each point says its value (issue 20), a little above it; zero says nothing
      s.values.map((v, i) => (v ? svg('g', { class: 'point' },
        svg('circle', { cx: x(i), cy: y(v), r: 2.5, fill: COLORS[k % COLORS.length] }),
        text(x(i), y(v) - 5, String(v), { 'text-anchor': 'middle', 'font-size': 9, fill: COLORS[k % COLORS.length] })) : null)),
      svg('rect', { x: left + k * 110, y: h0 + 30, width: 10, height: 10, fill: COLORS[k % COLORS.length] }),
      text(left + k * 110 + 14, h0 + 39, s.name))));
}

const monthLabel = (m) => `${m.year}-${String(m.month).padStart(2, '0')}`;

/** #/monthly[/YYYY-MM]: the month's figures, the reporters ranked, the trends (default: this month). */
export async function monthlyView(app, month = null) {
  const now = new Date();
  const wanted = month || `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const { summary: s, trend } = await api.monthly(wanted);
  const label = monthLabel(s.month);
  const picker = h('input', { name: 'month', value: label, placeholder: '年-月', autocomplete: 'off' });
  const show = (e) => { e.preventDefault(); go(`#/monthly/${encodeURIComponent(picker.value.trim())}`); };
  const figures = [['提交', s.submitted], ['决策：做', s.decided.do], ['决策：不做', s.decided.do_not], ['决策：再议', s.decided.discuss],
    ['决策：需求转换', s.decided.convert], ['完成', s.completed], ['延期', s.delayed], ['逾期（月末）', s.overdue]];
  const exportBook = async () => {
    try { const p = await api.exportMonthly(label); if (p) toast(`已导出：${p}`); } catch (e) { showError(e); }
  };
  return h('section', {}, reportTabs('monthly'),
    h('div', { class: 'detail-head' }, h('h1', {}, `需求收集处理月度总结（${label}）`), h('span', { class: 'spacer' }),
      h('form', { class: 'row', onsubmit: show }, h('label', { class: 'inline' }, '月份', picker), h('button', { type: 'submit' }, '查看')),
      h('button', { type: 'button', class: 'primary', id: 'monthly-export', onclick: exportBook }, '导出（含图表）…')),
    h('div', { class: 'report-grid' },
      h('div', { class: 'card' }, h('h2', {}, '本月'),
        h('table', { class: 'plain', id: 'monthly-figures' }, h('tbody', {}, figures.map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', { class: 'num' }, String(v))))))),
      h('div', { class: 'card' }, h('h2', {}, '本月决策结果'),
        columnChart('chart-decisions', [['做', s.decided.do], ['不做', s.decided.do_not], ['再议', s.decided.discuss], ['需求转换', s.decided.convert]]))),
    h('div', { class: 'report-grid' },
      h('div', { class: 'card' }, h('h2', {}, '按报告人（本月提交的需求，月末的决策）'),
        s.reporters.length ? h('table', { class: 'plain', id: 'monthly-people' },
          h('thead', {}, h('tr', {}, ['排名', '姓名', '提交', '已决策', '采纳', '采纳率'].map((t) => h('th', {}, t)))),
          h('tbody', {}, s.reporters.map((p, i) => h('tr', {}, h('td', {}, String(i + 1)), h('td', {}, p.name), h('td', { class: 'num' }, String(p.submitted)),
            h('td', { class: 'num' }, String(p.decided)), h('td', { class: 'num' }, String(p.adopted)), h('td', { class: 'num' }, `${(p.adoption_rate * 100).toFixed(1)}%`)))))
          : h('p', { class: 'muted' }, '本月没有提交的需求。')),
      h('div', { class: 'card' }, h('h2', {}, '采纳率'), rateChart('chart-adoption', s.reporters.slice(0, 12).map((p) => [p.name, p.adoption_rate])))),
    h('div', { class: 'card' }, h('h2', {}, '近 12 个月'),
      lineChart('chart-trend', trend.map((t) => monthLabel(t.month)), [
        { name: '提交', values: trend.map((t) => t.submitted) },
        { name: '决策', values: trend.map((t) => t.decided.do + t.decided.do_not + t.decided.discuss + t.decided.convert) },
        { name: '完成', values: trend.map((t) => t.completed) },
        { name: '延期', values: trend.map((t) => t.delayed) },
        { name: '逾期', values: trend.map((t) => t.overdue) }])));
}

/** The agenda's field a refused row names: its grade, its conversion summary, else its decision. */
const meetingField = (tr, r) => {
  const column = { grade: 'grade', conversion_summary: 'conversion' };
  return tr.querySelector(`[name="${column[r.field] || 'decision'}-${CSS.escape(r.record)}"]`);
};

/** #/meeting[/DAY]: the decision meeting of the week holding DAY — every requirement on the
 * agenda in one form, keyboard-first (Tab through the rows, Ctrl+Enter records), recorded in one
 * sitting with the meeting's time. The rules (grade for 做 / 需求转换, a conversion summary) are
 * the core's: a refusal names the requirement. */
export async function meetingView(app, day = null) {
  const p = await api.weeklyPreview(day || todayIso());
  const picker = dayInput('day', p.friday);
  const show = (e) => { e.preventDefault(); go(`#/meeting/${encodeURIComponent(picker.value.trim())}`); };
  const decisions = [['', '—（本次不决）'], ...app.info.decisions.map((d) => [d.label, d.label])];
  const grades = [['', '—'], ...app.info.grades.map((g) => [g.label, g.label])];
  const meetingTime = p.meeting_at; // the policy's Saturday 10:00, from the core
  const rows = p.agenda.map((a) => h('tr', { 'data-number': a.number },
    h('td', {}, h('a', { href: `#/req/${encodeURIComponent(a.number)}`, tabindex: -1 }, a.number)),
    h('td', {}, a.brief, a.discussed_again ? h('span', { class: 'badge' }, '再议') : null), h('td', {}, a.reporter),
    h('td', {}, select(`decision-${a.number}`, decisions, '', { 'aria-label': `${a.number} 决策结果` })),
    h('td', {}, select(`grade-${a.number}`, grades, '', { 'aria-label': `${a.number} 需求分级` })),
    h('td', {}, h('input', { name: `conversion-${a.number}`, autocomplete: 'off', placeholder: '需求转换时填写', 'aria-label': `${a.number} 转换概要` }))));
  const result = h('div', { id: 'meeting-result' });
  const form = h('form', { id: 'meeting-form' },
    p.agenda.length ? h('table', { class: 'plain', id: 'meeting-agenda' },
      h('thead', {}, h('tr', {}, ['需求编号', '需求梗概', '填表人', '决策结果', '需求分级', '转换概要'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows)) : h('p', { class: 'muted' }, '这一周没有待决策的需求。'),
    h('div', { class: 'row' },
      field('决策会时间', h('input', { name: 'at', value: meetingTime, class: 'date-time' }), { hint: '所有决策记为这一时间' }),
      h('button', { type: 'submit', class: 'primary', id: 'meeting-submit', disabled: !p.agenda.length }, '记录全部决策（Ctrl+Enter）')),
    h('div', { class: 'error-text' }));
  submitOnCtrlEnter(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = formData(form);
    const verdicts = p.agenda.filter((a) => d[`decision-${a.number}`]).map((a) => ({
      number: a.number, decision: d[`decision-${a.number}`], grade: d[`grade-${a.number}`] || null,
      conversion_summary: d[`conversion-${a.number}`] || '', version: a.version,
    }));
    if (!verdicts.length) { showError({ message: '请至少为一条需求选择决策结果' }, form); return; }
    markRows(form, [], meetingField);
    try {
      const done = await api.recordMeeting(verdicts, d.at);
      toast(`已记录 ${done.length} 条决策`);
      form.querySelector(':scope > .error-text').textContent = '';
      form.querySelector('#meeting-submit').disabled = true; // recorded: the page shows this week's sitting as done
      clear(result, h('div', { class: 'card' }, h('h2', {}, `已记录 ${done.length} 条决策：接下来通知报告人`),
        h('p', {}, h('a', { href: '#/notices', class: 'button', id: 'meeting-notices' }, '一次记录给报告人的通知')),
        h('ul', {}, done.map((n) => h('li', {}, h('a', { href: `#/req/${encodeURIComponent(n)}/notify`, 'data-notify': n }, `${n} 的通知`))))));
      rows.forEach((r) => { if (done.includes(r.dataset.number)) r.classList.add('done'); });
    } catch (err) {
      if (err && err.kind === 'invalid_rows') {
        markRows(form, err.rows, meetingField);
        form.querySelector(':scope > .error-text').textContent = `${err.rows.length} 条有问题（已在行内标出），改正后再记录；本次没有记录任何决策。`;
      } else showError(err, form);
    }
  });
  return h('section', {}, reportTabs('meeting'),
    h('div', { class: 'detail-head' }, h('h1', {}, `决策会（${p.friday} 这一周）`), h('span', { class: 'spacer' }),
      h('form', { class: 'row', onsubmit: show }, h('label', { class: 'inline' }, '周五', picker), h('button', { type: 'submit' }, '查看'))),
    h('div', { class: 'card' }, form,
      h('p', { class: 'hint' }, `分级：${app.info.grades.map((g) => `${g.label} ${g.hint}`).join(' · ')}`)),
    result);
}

/** #/assessment[/YYYY-MM]: the 月度考核表 — per person the deduction, "no performance pay", and
 * every missed step with its rule, record, due and done times — as the core assessed it. */
export async function assessmentView(app, month = null) {
  const now = new Date();
  const wanted = month || `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const a = await api.assessment(wanted);
  const sheets = a.sheets;
  const picker = h('input', { name: 'month', value: wanted, placeholder: '年-月', autocomplete: 'off' });
  const show = (e) => { e.preventDefault(); go(`#/assessment/${encodeURIComponent(picker.value.trim())}`); };
  const exportBook = async () => {
    try { const p = await api.exportAssessment(wanted); if (p) toast(`已导出：${p}`); } catch (e) { showError(e); }
  };
  return h('section', {}, reportTabs('assessment'),
    h('div', { class: 'detail-head' }, h('h1', {}, `月度考核表（${wanted}）`),
      h('span', { class: a.unfinished ? 'badge open' : 'muted', id: 'assessment-until' }, a.note), h('span', { class: 'spacer' }),
      h('form', { class: 'row', onsubmit: show }, h('label', { class: 'inline' }, '月份', picker), h('button', { type: 'submit' }, '查看')),
      h('button', { type: 'button', class: 'primary', id: 'assessment-export', onclick: exportBook }, '导出…')),
    a.unfinished ? h('p', { class: 'hint' }, '本月还没有结束：只计已经到期而未按时的事项，未完成的按迟到现在计算；月底以后看到的是全月的结果。') : null,
    a.limited ? h('p', { class: 'hint', id: 'assessment-limited' }, '这里只列出你自己的考核（需求收集人还能看到没有指定负责人的事项）；全部人员的考核只有决策组可以查看。') : null,
    sheets.length ? h('table', { class: 'plain', id: 'assessment-totals' },
      h('thead', {}, h('tr', {}, ['姓名', '扣款（元）', '无绩效', '未按时'].map((t) => h('th', {}, t)))),
      h('tbody', {}, sheets.map((s) => h('tr', { 'data-person': s.name }, h('td', {}, s.name), h('td', { class: 'num' }, String(s.deduction)),
        h('td', {}, s.no_performance_pay ? h('span', { class: 'badge overdue' }, '无绩效') : ''), h('td', { class: 'num' }, String(s.late_steps))))))
      : h('p', { class: 'muted' }, a.unfinished ? '到现在为止没有未按时的事项。' : '这个月没有未按时的事项。'),
    sheets.map((s) => h('div', { class: 'card', 'data-sheet': s.name }, h('h2', {}, `${s.name}：扣款 ${s.deduction} 元${s.no_performance_pay ? '，当月无绩效' : ''}`),
      s.no_pay_because.length ? h('ul', { class: 'no-pay' }, s.no_pay_because.map((w) => h('li', {}, h('span', { class: 'badge overdue' }, '无绩效'), ' ', w))) : null,
      h('table', { class: 'plain' },
        h('thead', {}, h('tr', {}, ['规则', '记录', '到期', '完成', '情况', '扣款', '依据'].map((t) => h('th', {}, t)))),
        h('tbody', {}, s.lines.map((l) => (l.record
          ? h('tr', {}, h('td', {}, h('div', {}, l.rule), h('div', { class: 'hint' }, l.explain)),
            h('td', {}, h('a', { href: recordHash(l.record) }, l.record)), h('td', {}, l.due_text),
            h('td', {}, l.done_text || '未完成'), h('td', { 'data-late': l.late_by }, l.reason), h('td', { class: 'num' }, String(l.deduction)),
            h('td', { class: 'hint' }, l.consequence))
          // a band's summary line: no record, no times
          : h('tr', { class: 'band' }, h('td', { colspan: 5 }, h('div', {}, l.rule), h('div', { class: 'hint' }, l.explain)),
            h('td', { class: 'num' }, String(l.deduction)), h('td', { class: 'hint' }, l.consequence)))))))),
    h('p', { class: 'hint' }, '按制度的时间节点与考核规则算出；金额和档位可在“设置”中修改（assessment.*）。旧表导入的历史不计入考核。'));
}
