// A save refused because someone else changed the record meanwhile (issue 22): who changed
// what, their values beside what this user typed — to save again on top of theirs, or to
// discard and see the record as it is now.
import { h, dialog, go } from './dom.js';

const shown = (v) => (v === null || v === undefined || v === '' ? '（空）' : String(v));

/** `err`: the core's refusal ({message, version, changes: [{field, label, before, now, by, at}]});
 * `typed`: what the refused save sent, by field. Resolves true to send it again on top of the
 * others' changes; false when the user discards theirs (the page is then drawn as it is now). */
export async function staleDialog(err, typed) {
  const mine = (c) => (Object.prototype.hasOwnProperty.call(typed, c.field) ? typed[c.field] : undefined);
  const rows = err.changes.map((c) => h('tr', { 'data-field': c.field },
    h('td', {}, c.label),
    h('td', { class: 'theirs' }, shown(c.now)),
    h('td', {}, `${c.by} · ${c.at}`),
    h('td', { class: 'mine' }, mine(c) === undefined ? '—' : shown(mine(c)))));
  const body = h('div', {},
    h('p', { id: 'conflict-message' }, err.message),
    rows.length ? h('table', { class: 'plain', id: 'conflict-changes' },
      h('thead', {}, h('tr', {}, ['字段', '现在的值', '修改人', '你填写的'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows)) : null,
    h('p', { class: 'hint' }, '“以我填写的为准保存”：你改过的字段用你填写的，你没有改的字段保留他人的修改。“放弃我的修改”：显示现在的数据。'));
  const again = await dialog('记录已被他人修改', body, {
    id: 'conflict-dialog', submitLabel: '以我填写的为准保存', cancelLabel: '放弃我的修改', onSubmit: () => true,
  });
  if (!again) go(location.hash);
  return Boolean(again);
}
