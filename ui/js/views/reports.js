// 周报: the 新增需求收集周报 of a week — its agenda and mail body as the core made them, written
// into a folder in one click, and "周报已发送" recorded with its time.
import { api } from '../api.js';
import { h, clear, copyText, field, go, moment, nowText, showError, toast, todayIso } from '../components/dom.js';
import { dayInput } from '../components/steps.js';

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
  return h('section', {},
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
      h('p', { class: 'hint' }, '写入：周报正文.txt、标黄的需求登记反馈表、待决策需求的需求报告表（10 份及以上打包为一个 .zip）。'),
      result),
    h('div', { class: 'card' }, h('h2', {}, '发送'),
      p.sent ? h('p', { id: 'weekly-sent-at' }, `已于 ${moment(p.sent.sent_at)} 发送（${p.sent.recorded_by} 记录）`) : sentForm));
}
