// 需求登记反馈表 (附表3), live: filters, search, sortable columns, paging in SQL.
import { api } from '../api.js';
import { h, clear, compact, select, showError, toast } from '../components/dom.js';

const PAGE = 50;
// The register's sort key for each 附表3 field (the headers themselves come from the core's
// forms, app.info.forms.register); 备注 is not sortable.
const SORT_KEYS = {
  number: 'number', reporter: 'reporter', requester: 'requester', decision: 'decision', grade: 'grade',
  expected_delivery: 'expected', actual_delivery: 'actual', status: 'status', brief: 'brief',
};
const columns = (app) => app.info.forms.register.fields.map((f) => [SORT_KEYS[f.key] || null, f.label]);

// The register remembers its filters while the window is open.
const state = {
  search: '', status: '', decision: '', grade: '', reporter: '', received_from: '', received_to: '',
  include_withdrawn: false, sort: 'number', descending: true, offset: 0,
};

function statusBadge(row) {
  const parts = [];
  if (row.withdrawn) parts.push(h('span', { class: 'badge withdrawn' }, '已撤回'));
  else if (row.status) parts.push(h('span', { class: `badge ${row.status_code}` }, row.status));
  if (row.overdue && !row.withdrawn) parts.push(h('span', { class: 'badge overdue', title: '承诺交付日已过，未完成且无批准的延期' }, '逾期'));
  return parts;
}

/** One cell of a row, in the order of the core's 附表3 (app.info.forms.register). */
function cell(f, r) {
  if (f.key === 'number') return h('td', { class: 'num' }, r.number);
  if (f.key === 'status') return h('td', { class: 'status' }, statusBadge(r));
  if (f.day) return h('td', { class: `date${f.key === 'expected_delivery' && r.overdue ? ' overdue' : ''}` }, compact(r[f.key]));
  if (f.key === 'remark') return h('td', { class: 'remark' }, r.remark);
  return h('td', {}, r[f.key]);
}

/** #/register, or #/register/status/<filter> (the to-do's link to a filter, e.g. 旧表逾期). */
export async function registerView(app, status = null) {
  if (status != null) { state.status = status; state.offset = 0; }
  const tbody = h('tbody');
  const info = h('span', { class: 'muted', id: 'register-count' });
  const prev = h('button', { type: 'button', id: 'page-prev', onclick: () => { state.offset = Math.max(0, state.offset - PAGE); load(); } }, '上一页');
  const next = h('button', { type: 'button', id: 'page-next', onclick: () => { state.offset += PAGE; load(); } }, '下一页');
  let lastPage = 1;
  const toPage = (n) => { state.offset = (Math.min(Math.max(1, n), lastPage) - 1) * PAGE; load(); };
  const first = h('button', { type: 'button', id: 'page-first', onclick: () => toPage(1) }, '首页');
  const last = h('button', { type: 'button', id: 'page-last', onclick: () => toPage(lastPage) }, '末页');
  const jump = h('input', {
    id: 'page-jump', class: 'page-jump', inputmode: 'numeric', 'aria-label': '跳到第几页', placeholder: '页码',
    onkeydown: (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const n = parseInt(jump.value, 10);
      if (Number.isFinite(n)) toPage(n);
      jump.value = '';
    },
  });
  const head = h('tr');
  const filters = h('form', { class: 'filters', id: 'register-filters', onsubmit: (e) => { e.preventDefault(); apply(); } });

  const open = (number) => { location.hash = `#/req/${encodeURIComponent(number)}`; };

  function drawHead() {
    clear(head, columns(app).map(([key, label]) => h('th', {},
      key ? h('button', {
        type: 'button', 'data-sort': key, title: '点击排序', tabindex: -1,
        onclick: () => {
          state.descending = state.sort === key ? !state.descending : false;
          state.sort = key; state.offset = 0; load();
        },
      }, label, state.sort === key ? h('span', { class: 'arrow' }, state.descending ? '▼' : '▲') : null) : label)));
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    drawHead();
    try {
      const page = await api.register({ ...state, limit: PAGE });
      if (mine !== seq) return; // a newer query is on its way
      // one tab stop for the rows (the first); ↑/↓ move between them, Enter opens
      clear(tbody, page.rows.length ? page.rows.map((r, i) => h('tr', {
        tabindex: i === 0 ? 0 : -1, class: r.withdrawn ? 'withdrawn' : null, 'data-number': r.number,
        onclick: () => open(r.number),
        onkeydown: (e) => {
          if (e.key === 'Enter') open(r.number);
          const to = e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling
            : e.key === 'ArrowUp' ? e.currentTarget.previousElementSibling : null;
          if (to && to.dataset.number) { e.preventDefault(); to.focus(); }
        },
      },
      app.info.forms.register.fields.map((f) => cell(f, r))))
        : h('tr', {}, h('td', { colspan: columns(app).length, class: 'muted' }, '没有符合条件的需求')));
      performance.mark('genjin:register-rows');
      const pages = Math.max(1, Math.ceil(page.total / PAGE));
      lastPage = pages;
      info.textContent = `共 ${page.total} 条，第 ${Math.floor(state.offset / PAGE) + 1} / ${pages} 页`;
      prev.disabled = state.offset === 0;
      first.disabled = state.offset === 0;
      next.disabled = state.offset + PAGE >= page.total;
      last.disabled = next.disabled;
    } catch (e) {
      showError(e, filters);
    }
  }

  // Reloads only when a filter really changed (a blur must not redraw rows under a click).
  function apply() {
    const f = new FormData(filters);
    const before = JSON.stringify(state);
    for (const k of ['search', 'status', 'decision', 'grade', 'reporter', 'received_from', 'received_to']) state[k] = (f.get(k) || '').trim();
    state.include_withdrawn = f.get('include_withdrawn') === 'on';
    const changed = JSON.stringify({ ...state, offset: 0 }) !== JSON.stringify({ ...JSON.parse(before), offset: 0 });
    if (!changed) return;
    state.offset = 0;
    load();
  }

  // filled once the reporters are known; a remembered choice is there from the start
  const reporterSelect = select('reporter', [['', '全部'], ...(state.reporter ? [state.reporter] : [])],
    state.reporter, { onchange: apply });
  let timer = null;
  const search = h('input', {
    type: 'search', name: 'search', id: 'register-search', value: state.search, placeholder: '编号、梗概、医生原话…',
    oninput: () => { clearTimeout(timer); timer = setTimeout(apply, 250); },
    onchange: () => { clearTimeout(timer); apply(); },
  });
  filters.append(
    h('label', {}, '搜索', search),
    h('label', {}, '需求状态', select('status', [['', '全部'], ...app.info.status_filters.map((s) => [s.value, s.label])], state.status, { onchange: apply })),
    h('label', {}, '决策结果', select('decision', [['', '全部'], '未决策', ...app.info.decisions.map((d) => d.label)], state.decision, { onchange: apply })),
    h('label', {}, '需求分级', select('grade', [['', '全部'], ...app.info.grades.map((g) => g.label)], state.grade, { onchange: apply })),
    h('label', {}, '填表人', reporterSelect),
    h('div', { class: 'filter-group' },
      h('label', {}, '收到日期从', h('input', { name: 'received_from', class: 'date', value: state.received_from, placeholder: '年-月-日' })),
      h('label', {}, '到', h('input', { name: 'received_to', class: 'date', value: state.received_to, placeholder: '年-月-日' })),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'include_withdrawn', checked: state.include_withdrawn, onchange: apply }), '含已撤回'),
      h('button', { type: 'submit' }, '筛选')),
    h('div', { class: 'error-text' }));

  load();
  // the reporters' list comes after the first page (it reads every row; the page does not wait)
  api.reporters().catch(() => []).then((names) => {
    const chosen = reporterSelect.value;
    clear(reporterSelect, [['', '全部'], ...names].map((o) => {
      const [v, l] = Array.isArray(o) ? o : [o, o];
      return h('option', { value: v, selected: v === chosen ? true : null }, l);
    }));
  });
  setTimeout(() => search.focus(), 0);
  // 导出登记表: every page of the current filter; a bar while the rows are written
  const exportRegister = async () => {
    const bar = h('progress', { id: 'export-progress', max: 1, value: 0 });
    let shown = false;
    try {
      const done = await api.exportRegister({ ...state, offset: 0, limit: null }, (p) => {
        if (!shown) { document.getElementById('toasts').append(bar); shown = true; }
        bar.max = Math.max(1, p.total); bar.value = p.done;
      });
      if (done) toast(`已导出 ${done.count} 条需求：${done.path}`);
    } catch (e) { showError(e); } finally { bar.remove(); }
  };
  const blankForm = async () => {
    try { const done = await api.exportReportForm(null); if (done) toast(`已导出：${done.path}`); } catch (e) { showError(e); }
  };
  const page = h('section', {},
    h('div', { class: 'detail-head' }, h('h1', {}, '需求登记反馈表'), h('span', { class: 'spacer' }),
      h('button', { type: 'button', id: 'blank-form', onclick: blankForm, title: '附表2，交给报告人手工填写' }, '空白需求报告表'),
      h('button', { type: 'button', id: 'export-register', onclick: exportRegister, title: '按当前筛选导出全部页' }, '导出登记表'),
      h('a', { href: '#/new', class: 'button primary' }, '新建需求')),
    filters,
    h('table', { class: 'register', id: 'register' }, h('thead', {}, head), tbody),
    h('div', { class: 'pager' }, info, first, prev, next, last, h('label', { class: 'inline' }, '跳到', jump, '页')));
  // someone else changed the database: the same page again, filters, sort and scroll kept
  page.genjinLive = load;
  return page;
}
