// 导入旧表: the import wizard — choose files or folders, preview, correct the column mapping,
// choose what to do with conflicts, commit with progress (or cancel), see the result.
import { api } from '../api.js';
import { h, clear, go, showError, toast } from '../components/dom.js';

const FIELDS = [
  ['', '（不导入）'], ['number', '需求编号'], ['reporter', '填表人'], ['requester', '需求人'],
  ['decision', '决策结果'], ['grade', '需求分级'], ['expected', '预期交付日'], ['actual', '实际交付日'],
  ['status', '需求状态'], ['brief', '需求梗概'], ['remark', '备注'], ['reporter_department', '部门'],
  ['received_date', '收到日期'],
];

// Rows as people read them: 2–601, 604, 610–612 (at most a dozen runs, then …).
function rowRuns(rows) {
  const runs = [];
  for (const r of rows) {
    const last = runs[runs.length - 1];
    if (last && r === last[1] + 1) last[1] = r; else runs.push([r, r]);
  }
  const text = runs.slice(0, 12).map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join('、');
  return runs.length > 12 ? `${text} …` : text;
}

// How many rows, when more than one: （600 行）.
const rowCount = (rows) => (rows.length > 1 ? `（${rows.length} 行）` : '');

// The same reason for the same column of one sheet, said once with its rows: a ledger whose
// 状态 column contradicts every row gives one line, not 600.
function grouped(list) {
  const groups = new Map();
  for (const r of list) {
    const key = [r.file, r.sheet || '', r.column || '', r.reason].join('\u0000');
    const g = groups.get(key);
    if (g) g.rows.push(r.row); else groups.set(key, { ...r, rows: r.row ? [r.row] : [] });
  }
  return [...groups.values()];
}

// Where something is: file · sheet · rows · column (`rows`, or the single `row`).
function place(r) {
  const rows = r.rows || (r.row ? [r.row] : []);
  return [r.file.split('/').pop(), r.sheet, rows.length ? `第 ${rowRuns(rows)} 行${rowCount(rows)}` : null, r.column].filter(Boolean).join(' · ');
}

// A messy ledger can explain every one of its 100,000 rows: the page shows the first rows of a
// list and says how many more there are (the command line's --dry-run --json gives them all).
const SHOWN = 500;

function table(id, head, items, row, more = '') {
  const shown = items.slice(0, SHOWN);
  const rest = items.length - shown.length;
  return h('table', { class: 'plain', id }, h('thead', {}, h('tr', {}, head.map((t) => h('th', {}, t)))),
    h('tbody', {}, shown.map((item) => h('tr', {}, row(item).map((c) => h('td', {}, c))))),
    rest > 0 ? h('tfoot', {}, h('tr', {}, h('td', { colspan: head.length, class: 'muted', id: `${id}-more` },
      `还有 ${rest} 条未列出${more || '（完整清单：genjin import --dry-run --json）'}`))) : null);
}

export async function importView() {
  const body = h('div', { id: 'import-body' });
  const overrides = [];
  let policy = 'keep_existing';
  // Conflicts decided against the policy, one by one: {number, column}.
  const exceptions = [];
  const choices = () => ({ policy, exceptions });
  let revision = 0;

  async function load(form) {
    const button = form.querySelector('#import-load');
    button.disabled = true;
    button.textContent = '正在读取…';
    try {
      await loadFiles(form);
    } finally {
      button.disabled = false;
      button.textContent = '读取并预览';
    }
  }

  // The system's open dialog (files, or a folder that is searched through); what is picked is
  // read and previewed at once.
  async function pick(folder) {
    let picked;
    try {
      picked = await api.pickFiles(folder);
    } catch (e) {
      showError({ message: `无法打开系统的选择窗口：${e.message || e}。请在下面输入文件或文件夹的路径。` }, form);
      return;
    }
    if (!picked || !picked.length) return;
    const box = form.querySelector('[name=paths]');
    box.value = [...box.value.split('\n').map((s) => s.trim()).filter(Boolean), ...picked].join('\n');
    load(form);
  }

  async function loadFiles(form) {
    const paths = form.querySelector('[name=paths]').value.split('\n').map((s) => s.trim()).filter(Boolean);
    const files = [...form.querySelector('[name=files]').files];
    try {
      for (const f of files) await api.importUpload(f.name, new Uint8Array(await f.arrayBuffer()));
      overrides.length = 0;
      showPreview(await api.importLoad(paths));
    } catch (e) { showError(e, form); }
  }

  async function remap() {
    try { showPreview(await api.importRemap(overrides, choices())); } catch (e) { showError(e); }
  }

  // the bugs of Bug收集反馈表 ledgers, when there are any
  const bugLine = (b, verb) => (b.created + b.updated + b.unchanged
    ? h('p', { id: 'import-bugs' }, `Bug：${verb}新建 ${b.created} 个，更新 ${b.updated} 个，${b.unchanged} 个不变。`) : null);

  function showPreview(rep) {
    const nothing = rep.created + rep.updated + rep.bugs.created + rep.bugs.updated === 0;
    // Single report forms are many and alike: one card lists them all.
    const isForm = (f) => !f.refused && f.sheets.length > 0 && f.sheets.every((s) => s.kind_code === 'report_form');
    const forms = rep.files.filter(isForm);
    const formsCard = forms.length ? h('div', { class: 'card', id: 'import-forms' },
      h('h3', {}, `需求报告表 ${forms.length} 份`),
      h('p', { class: 'hint' }, '编号取自文件名（需求报告表YYMMDDNN）；已在登记表中的编号会补全同一条记录。'),
      h('p', {}, forms.map((f) => f.file.split('/').pop()).join('、'))) : null;
    const files = rep.files.filter((f) => !isForm(f)).map((f) => h('div', { class: 'card', 'data-file': f.file.split('/').pop() },
      h('h3', {}, f.file.split('/').pop(), f.refused ? h('span', { class: 'badge overdue' }, '整个文件被拒绝') : null),
      f.refused ? h('p', { class: 'error-text' }, f.refused) : f.sheets.map((s) => h('div', {},
        h('p', {}, `工作表“${s.name}”：${s.kind}`, ['register', 'bug_ledger'].includes(s.kind_code) ? `，${s.rows} 行` : '', s.note ? `（${s.note}）` : ''),
        s.columns.length ? h('div', { class: 'mapping' }, s.columns.map((c) => h('label', {},
          `${c.letter} 列 ${c.header || ''}`,
          h('select', {
            'data-column': c.column,
            onchange: (e) => {
              const i = overrides.findIndex((o) => o.file === f.file && o.sheet === s.name && o.column === c.column);
              if (i >= 0) overrides.splice(i, 1);
              overrides.push({ file: f.file, sheet: s.name, column: c.column, field: e.target.value || null });
              remap();
            },
          }, FIELDS.map(([v, l]) => h('option', { value: v, selected: (c.field || '') === v ? true : null }, l)))))) : null))));
    const conflictPart = rep.conflicts.length ? h('div', { class: 'card' },
      h('h3', {}, `冲突 ${rep.conflicts.length} 处：文件与数据库中已有的值不同`),
      h('div', { class: 'roles' }, [['keep_existing', '保留已有的值（文件只补空白）'], ['take_file', '采用文件中的值']].map(([v, l]) =>
        h('label', { class: 'inline' }, h('input', { type: 'radio', name: 'policy', value: v, checked: policy === v, onchange: () => { policy = v; exceptions.length = 0; remap(); } }), l))),
      table('import-conflicts', ['编号', '项目', '已有', '文件', '来源', '采用'], rep.conflicts, (c) => [c.number, c.field, c.existing, c.incoming, place({ ...c, column: null }),
        // what a file may never decide (a delay on a requirement living in Genjin): said, no choice
        c.never ? h('span', { class: 'badge overdue', 'data-conflict': `${c.number}:${c.column}`, title: c.never }, `不导入：${c.never}`) : h('select', {
          'data-conflict': `${c.number}:${c.column}`,
          onchange: () => {
            const i = exceptions.findIndex((k) => k.number === c.number && k.column === c.column);
            if (i >= 0) exceptions.splice(i, 1); else exceptions.push({ number: c.number, column: c.column });
            remap();
          },
        }, h('option', { value: 'keep', selected: !c.take ? true : null }, '保留已有'), h('option', { value: 'take', selected: c.take ? true : null }, '采用文件'))],
      '（按上面的统一选择处理）')) : null;
    clear(body,
      h('div', { class: 'card', id: 'import-summary', 'data-revision': String(++revision) },
        h('h2', {}, '预览（尚未写入）'),
        h('p', {}, `将新建 ${rep.created} 条，更新 ${rep.updated} 条，${rep.unchanged} 条不变；拒绝 ${rep.rejected.length} 行。`),
        bugLine(rep.bugs, '将'),
        h('div', { class: 'actions' },
          h('button', { type: 'button', onclick: () => go('#/import') }, '重新选择'),
          h('button', { type: 'button', class: 'primary', id: 'import-commit', disabled: nothing, onclick: () => commit(rep) }, '确认导入'))),
      rep.rejected.length ? h('div', { class: 'card' }, h('h3', {}, `无法导入的行（${rep.rejected.length}）`),
        table('import-rejected', ['文件', '工作表', '行', '列', '原因'], grouped(rep.rejected), (r) => [r.file.split('/').pop(), r.sheet || '', rowRuns(r.rows) + rowCount(r.rows), r.column || '', r.reason])) : null,
      conflictPart,
      files,
      formsCard,
      rep.warnings.length ? h('div', { class: 'card' }, h('h3', {}, `提示（${rep.warnings.length}）`),
        table('import-warnings', ['位置', '说明'], grouped(rep.warnings), (w) => [place(w), w.reason])) : null,
      (rep.not_taken || []).length ? h('div', { class: 'card' },
        h('h3', {}, `不导入的内容（${rep.not_taken.length} 处，${rep.not_taken.reduce((n, x) => n + x.cells, 0)} 格）`),
        h('p', { class: 'hint' }, '以下单元格读到了，但没有对应的字段或不是需求，不会写入数据库。如需导入某一列，请在上面的表头对应中为它选择字段。'),
        table('import-not-taken', ['文件', '工作表', '位置', '行', '格数', '原因'], rep.not_taken, (n) => [n.file.split('/').pop(), n.sheet, n.place,
          n.first_row === n.last_row ? String(n.first_row) : `${n.first_row}–${n.last_row}`, String(n.cells), n.reason])) : null,
      rep.skipped.length ? h('div', { class: 'card' }, h('h3', {}, `跳过的文件（${rep.skipped.length}）`),
        table('import-skipped', ['文件', '原因'], rep.skipped, (s) => [s.file, s.reason])) : null);
  }

  async function commit(rep) {
    const bar = h('progress', { id: 'import-progress', max: Math.max(1, rep.created + rep.updated + rep.unchanged), value: 0 });
    const label = h('span', { class: 'muted' }, '正在写入…');
    const cancel = h('button', { type: 'button', id: 'import-cancel', onclick: () => { cancel.disabled = true; api.importCancel(); } }, '取消');
    clear(body, h('div', { class: 'card' }, h('h2', {}, '正在导入'), bar, ' ', label, h('div', { class: 'actions' }, cancel)));
    try {
      const done = await api.importCommit(choices(), (p) => { bar.max = Math.max(1, p.total); bar.value = p.done; label.textContent = `${p.done} / ${p.total}`; });
      clear(body, h('div', { class: 'card', id: 'import-done' }, h('h2', {}, '导入完成'),
        h('p', {}, `新建 ${done.created} 条，更新 ${done.updated} 条，${done.unchanged} 条不变；拒绝 ${done.rejected.length} 行。`),
        bugLine(done.bugs, ''),
        h('div', { class: 'actions' }, h('a', { href: '#/register', class: 'button primary' }, '查看登记表'),
          done.bugs.created + done.bugs.updated + done.bugs.unchanged ? h('a', { href: '#/bugs', class: 'button' }, '查看 Bug 列表') : null)));
      toast('导入完成');
    } catch (e) {
      clear(body, h('div', { class: 'card', id: 'import-done' }, h('h2', {}, e.kind === 'cancelled' ? '已取消' : '导入失败'),
        h('p', {}, e.message), h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => go('#/import') }, '重新开始'))));
    }
  }

  const form = h('form', { class: 'card', id: 'import-form', onsubmit: (e) => { e.preventDefault(); load(form); } },
    h('h2', {}, '选择旧的登记表、需求报告表、Bug收集反馈表'),
    h('p', { class: 'hint' }, '支持 .xlsx、.xls、.ods；可一次选多个文件，或选一个文件夹（会查找其中所有子文件夹）。导入前会先预览，确认后才写入；同一批文件重复导入不会重复登记。'),
    h('div', { class: 'row' },
      h('button', { type: 'button', id: 'import-pick-files', onclick: () => pick(false) }, '选择文件…'),
      h('button', { type: 'button', id: 'import-pick-folder', onclick: () => pick(true) }, '选择文件夹…'),
      // the browser's own file input, not shown: files given to it (by tests, by drag and drop
      // tools) are read and previewed at once
      h('input', { type: 'file', name: 'files', multiple: true, accept: '.xlsx,.xls,.ods,.xlsm', class: 'visually-hidden', tabindex: -1, 'aria-hidden': 'true',
        onchange: () => load(form) })),
    h('div', { class: 'grid' },
      h('label', { class: 'wide' }, '或输入文件/文件夹路径（每行一个）', h('textarea', { name: 'paths', rows: 2, placeholder: '例如 D:\\需求收集反馈 或 \\\\文件服务器\\资讯部\\需求收集反馈' }))),
    h('div', { class: 'error-text' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'import-load' }, '读取并预览')));
  clear(body, form);
  return h('section', {}, h('h1', {}, '导入旧表'), body);
}
