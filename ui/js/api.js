// The only module that talks to the Rust side. Every call returns a promise; failures reject
// with {kind, message, field} (see src-tauri/error.rs).
import { staleDialog } from './components/conflict.js';

/** Calls the core has not answered for over a second (a slow network to a shared database):
 * a status line says the window is waiting, and goes when they are answered (issue 22). The
 * calls run off the window's thread: the window stays usable meanwhile. */
let slow = 0;
function waitingLine(delta) {
  slow += delta;
  let line = document.getElementById('slow-status');
  if (slow > 0 && !line) {
    line = document.createElement('div');
    line.id = 'slow-status';
    line.setAttribute('role', 'status');
    line.textContent = '正在等待数据库响应…（网络较慢或服务器忙，请稍候）';
    document.body.append(line);
  }
  if (slow <= 0 && line) line.remove();
}

const invoke = (cmd, args = {}, options = undefined) => {
  const core = window.__TAURI__ && window.__TAURI__.core;
  if (!core) {
    return Promise.reject({ kind: 'io', message: '未在跟进应用中运行（找不到 Tauri 接口）' });
  }
  // work that shows its own progress (an import, an export, a backup) is no wait to explain
  const own = /^(import_|backup_|personal_data_erase$)|_export$/.test(cmd);
  let late = false;
  const timer = own ? null : setTimeout(() => { late = true; waitingLine(1); }, 1000);
  const settled = () => { clearTimeout(timer); if (late) waitingLine(-1); };
  return core.invoke(cmd, args, options).finally(settled).catch(async (e) => {
    const err = typeof e === 'string' ? { kind: 'unknown', message: e } : e;
    // someone else changed the record meanwhile (issue 22): said, then sent again on top of
    // theirs when the user says so
    const sent = args.input && typeof args.input === 'object' ? args.input : args;
    // offered for a call that saves one record (its version beside its fields), not for one
    // that saves several (a meeting's verdicts: each row says its own refusal)
    if (err && err.kind === 'conflict' && Array.isArray(err.changes) && !options && 'version' in sent) {
      if (await staleDialog(err, sent)) return invoke(cmd, onTop(args, err), options);
      return Promise.reject({ kind: 'cancelled', message: '已放弃你的修改，现在显示的是他人修改后的数据' });
    }
    // refused: perhaps this window was signed out meanwhile (deactivated on another PC); the
    // window asks the core who is signed in (issue 22)
    if (err && err.kind === 'forbidden') window.dispatchEvent(new CustomEvent('genjin:forbidden'));
    return Promise.reject(err);
  });
};

/** `args` sent again on top of the others' changes (`err.version`, `err.changes`): every
 * `version` the version now; a field the user left as it was when they looked takes its
 * value now, so only what they changed themself overwrites. */
function onTop(args, err) {
  // a value as history keeps it: a list as its items joined, yes/no as 1/0, line ends as \n
  const norm = (v) => {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.map(String).sort().join(',');
    if (typeof v === 'boolean') return v ? '1' : '0';
    return String(v).replace(/\r\n/g, '\n');
  };
  const sorted = (v) => norm(v === null || v === undefined ? '' : String(v).split(',').filter(Boolean));
  const same = (mine, stored) => norm(mine) === norm(stored) || (Array.isArray(mine) && norm(mine) === sorted(stored));
  // the value now, in the type the field was sent as
  const as = (mine, now) => {
    if (Array.isArray(mine)) return now ? String(now).split(',').filter(Boolean) : [];
    if (typeof mine === 'boolean') return now === '1';
    if (typeof mine === 'number') return Number(now);
    return now ?? '';
  };
  const keep = (obj) => {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return obj;
    const out = {};
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'version') { out[k] = err.version; continue; }
      const c = err.changes.find((x) => x.field === k);
      if (c && same(v, c.before_raw)) out[k] = as(v, c.now_raw);
      else if (c && same(v, c.before)) out[k] = as(v, c.now);
      else out[k] = keep(v);
    }
    return out;
  };
  return keep(args);
}

/** Calls `then` whenever someone else (another PC, another window, the command line) changed
 * the database: the core's `db-changed` event (issue 22). */
export function onChanged(then) {
  const events = window.__TAURI__ && window.__TAURI__.event;
  if (events) events.listen('db-changed', then);
}

const FOLDER_KEY = 'genjin.exportFolder';

/** The system's save dialog, opening in the folder the last export went to (remembered in
 * this window's storage); the chosen path, or null when cancelled. */
export async function savePath(title, suggested, extensions = ['xlsx']) {
  const folder = localStorage.getItem(FOLDER_KEY);
  const sep = folder && folder.includes('\\') ? '\\' : '/';
  const defaultPath = folder ? `${folder}${sep}${suggested}` : suggested;
  // End-to-end tests answer here: WebDriver cannot drive the system's dialog, and Tauri's
  // invoke cannot be replaced from the page.
  const answer = window.__genjinSaveAnswer;
  const path = answer !== undefined ? ((window.__genjinSaveAsked ||= []).push(defaultPath), answer)
    : await invoke('plugin:dialog|save', {
      options: { title, defaultPath, filters: [{ name: extensions[0] === 'xlsx' ? 'Excel 表格' : extensions[0], extensions }] },
    });
  if (!path) return null;
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut > 0) localStorage.setItem(FOLDER_KEY, path.slice(0, cut));
  // a name typed without its extension (GTK's dialog does not add it)
  const ext = `.${extensions[0]}`;
  return path.toLowerCase().endsWith(ext) ? path : `${path}${ext}`;
}

/** The system's open dialog for one file (e2e tests answer through window.__genjinOpenAnswer):
 * its path, or null when cancelled. */
export async function openPath(title, extensions) {
  if (window.__genjinOpenAnswer !== undefined) return window.__genjinOpenAnswer;
  const path = await invoke('plugin:dialog|open', {
    options: { multiple: false, title, filters: [{ name: extensions[0], extensions }] },
  });
  return path || null;
}

export const api = {
  onChanged,
  appInfo: () => invoke('app_info'),
  databaseInfo: () => invoke('database_info'),
  about: () => invoke('app_about'),
  databaseTest: (input) => invoke('database_test', { input }),
  databaseConnect: (input) => invoke('database_connect', { input }),
  databaseLocal: () => invoke('database_local'),
  /** onProgress({stage: 'rows'|'comparing'|'indexing', done, total}) as the copy goes. */
  databaseMoveHere: (input, onProgress = () => {}) => {
    const channel = new window.__TAURI__.core.Channel();
    channel.onmessage = onProgress;
    return invoke('database_move_here', { input, onProgress: channel });
  },
  databaseRetry: () => invoke('database_retry'),
  people: () => invoke('person_list'),
  setResponsible: (number, input) => invoke('requirement_responsible', { number, input }),
  addPerson: (input, makeOperator = false, password = null) => invoke('person_add', { input, makeOperator, password }),
  updatePerson: (id, input) => invoke('person_update', { id, input }),
  setOperator: (id) => invoke('operator_set', { id }),
  signIn: (id, password) => invoke('operator_sign_in', { id, password }),
  firstPassword: (id, password) => invoke('operator_first_password', { id, password }),
  withoutPassword: () => invoke('person_without_password'),
  setPassword: (id, password, current = null) => invoke('person_set_password', { id, password, current }),
  register: (query) => invoke('register_query', { query }),
  reporters: () => invoke('register_reporters'),
  createRequirement: (input) => invoke('requirement_create', { input }),
  requirement: (number) => invoke('requirement_get', { number }),
  updateRequirement: (number, input) => invoke('requirement_update', { number, input }),
  decide: (number, input) => invoke('requirement_decide', { number, input }),
  plan: (number, input) => invoke('requirement_plan', { number, input }),
  itAcceptance: (number, input) => invoke('requirement_it_acceptance', { number, input }),
  expect: (number, input) => invoke('requirement_expect', { number, input }),
  complete: (number, input) => invoke('requirement_complete', { number, input }),
  withdraw: (number, reason, at = {}) => invoke('requirement_withdraw', { number, reason, at }),
  erasePersonalData: (number, reason, names = []) => invoke('personal_data_erase', { number, reason, names }),
  restore: (number, at = {}) => invoke('requirement_restore', { number, at }),
  history: (number) => invoke('requirement_history', { number }),
  // a picked file travels as raw bytes; its name in a header (headers are ASCII only)
  importUpload: (name, bytes) => invoke('import_upload', bytes, { headers: { 'x-file-name': encodeURIComponent(name) } }),
  importLoad: (paths) => invoke('import_load', { paths }),
  /** The system's open dialog: several spreadsheets, or one folder. Paths, or null if cancelled. */
  pickFiles: (folder) => invoke('plugin:dialog|open', {
    options: folder
      ? { directory: true, multiple: false, title: '选择存放旧表的文件夹' }
      : { multiple: true, title: '选择旧的登记表、需求报告表', filters: [{ name: '电子表格', extensions: ['xlsx', 'xls', 'xlsm', 'ods'] }] },
  }).then((r) => (r == null ? null : [].concat(r))),
  importRemap: (overrides, choices) => invoke('import_remap', { overrides, choices }),
  importCommit: (choices, onProgress) => {
    const channel = new window.__TAURI__.core.Channel();
    channel.onmessage = onProgress;
    return invoke('import_commit', { choices, onProgress: channel });
  },
  importCancel: () => invoke('import_cancel'),
  notifications: (number) => invoke('notification_list', { number }),
  recordNotification: (number, input) => invoke('notification_record', { number, input }),
  noticesOwed: (recipient = null, limit = 200) => invoke('notices_owed', { recipient, limit }),
  /** items: [{number, step, audience, recipient}], one channel, time and 已知 for all. */
  recordNotifications: (items, channel, sentAt, confirmed) => invoke('notifications_record_many', { items, channel, sentAt, confirmed }),
  confirmNotification: (id, confirmedAt = null) => invoke('notification_confirm', { id, confirmedAt }),
  fileDelay: (number, input) => invoke('delay_file', { number, input }),
  signDelay: (id, input) => invoke('delay_sign', { id, input }),
  withdrawDelay: (id, reason, at = {}) => invoke('delay_withdraw', { id, reason, at }),
  delays: (number = null) => invoke('delay_list', { number }),
  delay: (id) => invoke('delay_get', { id }),
  /** Saves 附表1 (an application, or blank with id null) where the user chooses; the path, or null. */
  exportDelay: async (id, suggested) => {
    const path = await savePath('导出附表1', suggested);
    return path ? invoke('delay_export', { id, path }) : null;
  },
  /** 附表2 of a requirement (or blank with number null): {path, count}, or null when cancelled. */
  exportReportForm: async (number) => {
    const path = await savePath('导出需求报告表', `需求报告表${number || ''}.xlsx`);
    return path ? invoke('report_form_export', { number, path }) : null;
  },
  /** 附表3 of the register as filtered (every page), with progress: {path, count} or null. */
  exportRegister: async (query, onProgress) => {
    const path = await savePath('导出需求登记反馈表', '需求登记反馈表.xlsx');
    if (!path) return null;
    const channel = new window.__TAURI__.core.Channel();
    channel.onmessage = onProgress;
    return invoke('register_export', { query, path, onProgress: channel });
  },
  weeklyPreview: (day) => invoke('weekly_preview', { day }),
  weeklyWrite: (day, folder) => invoke('weekly_write', { day, folder }),
  weeklySent: (day, at) => invoke('weekly_sent_record', { day, at }),
  monthly: (month) => invoke('monthly_summary', { month }),
  recordMeeting: (verdicts, at) => invoke('meeting_record', { verdicts, at }),
  todoPage: (all) => invoke('todo_page', { all }),
  /** The reminders since the last check (`since`: `YYYY-MM-DD HH:MM`, or null the first time). */
  todoAlerts: (since) => invoke('todo_alerts', { since }),
  /** A desktop notification (tests read window.__genjinNotified; a system without a
   * notification service fails quietly). */
  notify: async (title, body) => {
    (window.__genjinNotified ||= []).push({ title, body });
    try { await invoke('plugin:notification|notify', { options: { title, body } }); } catch (_) { /* no notification service */ }
  },
  assessment: (month) => invoke('assessment_month', { month }),
  exportAssessment: async (month) => {
    const path = await savePath('导出月度考核表', `月度考核表_${month}.xlsx`);
    return path ? invoke('assessment_export', { month, path }) : null;
  },
  /** The monthly summary workbook where the user saves it: the path, or null. */
  exportMonthly: async (month) => {
    const path = await savePath('导出月度总结', `需求收集处理月度总结_${month}.xlsx`);
    return path ? invoke('monthly_export', { month, path }) : null;
  },
  /** The system's folder dialog (e2e tests answer through window.__genjinFolderAnswer). */
  chooseFolder: async (title) => {
    if (window.__genjinFolderAnswer !== undefined) return window.__genjinFolderAnswer;
    const last = localStorage.getItem(FOLDER_KEY);
    const folder = await invoke('plugin:dialog|open', { options: { directory: true, multiple: false, title, ...(last ? { defaultPath: last } : {}) } });
    if (folder) localStorage.setItem(FOLDER_KEY, folder);
    return folder || null;
  },
  /** The Bug收集反馈表 of the list as filtered: {path, count}, or null when cancelled. */
  exportBugs: async (filter, suggested) => {
    const path = await savePath('导出 Bug收集反馈表', suggested);
    return path ? invoke('bug_export', { filter, path }) : null;
  },
  /** The 新增Bug周报 of the week holding `day`: {path, count}, or null when cancelled. */
  exportBugWeekly: async (day, suggested) => {
    const path = await savePath('导出新增Bug周报', suggested);
    return path ? invoke('bug_weekly_export', { day, path }) : null;
  },
  /** Picks a photo or scan in the system's dialog and keeps it with application `id`. */
  attachDelayScan: async (id) => {
    const path = await invoke('plugin:dialog|open', {
      options: { multiple: false, title: '选择签字后的申请（照片或扫描件）', filters: [{ name: '照片或扫描件', extensions: ['jpg', 'jpeg', 'png', 'pdf'] }] },
    });
    return path ? invoke('delay_attach', { id, path }) : null;
  },
  attachment: (id) => invoke('attachment_get', { id }),
  voidSignoff: (id, level, reason, version) => invoke('delay_void', { id, level, reason, version }),
  /** Screenshots for requirement `number`: `paths` picked, `pasted` [{name, data (base64)}]. */
  attachToRequirement: (number, paths, pasted = []) => invoke('requirement_attach', { number, screenshots: paths, pasted }),
  saveAttachment: async (id, suggested) => {
    const path = await invoke('plugin:dialog|save', { options: { title: '另存为', defaultPath: suggested } });
    return path ? invoke('attachment_save', { id, path }) : null;
  },
  // offline laptops (issue 24)
  syncStatus: () => invoke('sync_status'),
  syncPending: () => invoke('sync_pending'),
  syncInbox: () => invoke('sync_inbox'),
  submitRequirement: (input, screenshots = [], pasted = []) => invoke('sync_submit_requirement', { input, screenshots, pasted }),
  submitBug: (input, screenshots, pasted = []) => invoke('sync_submit_bug', { input, screenshots, pasted }),
  syncDiscard: (id) => invoke('sync_discard', { id }),
  syncAccept: (id, received, at) => invoke('sync_accept', { id, received, at }),
  syncDecline: (id, reason) => invoke('sync_decline', { id, reason }),
  syncWith: (url) => invoke('sync_with', { url }),
  syncOut: (path) => invoke('sync_out', { path }),
  syncIn: (path, reply) => invoke('sync_in', { path, reply }),
  bugs: (filter = {}) => invoke('bug_list', { filter }),
  bug: (number) => invoke('bug_get', { number }),
  /** `screenshots`: picked paths; `pasted`: [{name, data (base64)}] from the clipboard. */
  reportBug: (input, screenshots, pasted = []) => invoke('bug_report', { input, screenshots, pasted }),
  reproduceBug: (number, input) => invoke('bug_reproduce', { number, input }),
  editBug: (number, input) => invoke('bug_edit', { number, input }),
  fixBug: (number, input) => invoke('bug_fix', { number, input }),
  bugToRequirement: (number) => invoke('bug_to_requirement', { number }),
  bugNotifications: (number) => invoke('bug_notifications', { number }),
  bugHistory: (number) => invoke('bug_history', { number }),
  recordBugNotification: (number, input) => invoke('bug_notify', { number, input }),
  /** Screenshots picked in the system's dialog: paths, or [] if cancelled. */
  pickScreenshots: () => invoke('plugin:dialog|open', {
    options: { multiple: true, title: '选择截图', filters: [{ name: '图片', extensions: ['png', 'jpg', 'jpeg'] }] },
  }).then((r) => (r == null ? [] : [].concat(r))),
  lists: () => invoke('list_all'),
  addListItem: (list, value) => invoke('list_add', { list, value }),
  hideListItem: (list, value) => invoke('list_hide', { list, value }),
  settings: () => invoke('setting_list'),
  setSetting: (key, value) => invoke('setting_set', { key, value }),
  calendarDays: () => invoke('calendar_list'),
  setCalendarDay: (day, kind, name, confirmed = false) => invoke('calendar_set', { day, kind, name, confirmed }),
  calendarPreview: (text) => invoke('calendar_preview', { text }),
  calendarPaste: (text) => invoke('calendar_paste', { text }),
  removeCalendarDay: (day) => invoke('calendar_remove', { day }),
  backups: () => invoke('backup_list'),
  backupNow: () => invoke('backup_now'),
  backupDaily: () => invoke('backup_daily'),
  restoreBackup: (path) => invoke('backup_restore', { path }),
};
