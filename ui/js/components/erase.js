// 删除个人信息: erased on the person's request (个人信息保护法), for a requirement or a bug. What
// was erased where — the backups it reached, the ones it could not, what stays outside — is
// what the core reports, shown as it says it.
import { api } from '../api.js';
import { h, dialog, field, go } from './dom.js';

/** Asks for the reason (and, for a bug, the user's name as its text writes it), erases, and
 * shows what the core did. `what`: the paragraph saying what will be erased. */
export async function erasePersonalData(number, what, { askNames = false } = {}) {
  const done = await dialog('删除个人信息',
    h('div', {}, h('p', {}, what),
      askNames ? field('还要删除的姓名', h('input', { name: 'names', placeholder: '例如 Bug 内容里写到的用户姓名，多个用空格分隔', autocomplete: 'off' })) : null,
      field('删除原因', h('input', { name: 'reason', placeholder: '例如：本人要求删除', autocomplete: 'off' }), { required: true })),
    {
      id: 'erase-dialog',
      submitLabel: '删除',
      onSubmit: (d) => api.erasePersonalData(number, d.reason || '', (d.names || '').split(/\s+/).filter(Boolean)),
    });
  if (!done) return;
  await dialog('个人信息已删除', h('div', { id: 'erase-result' },
    h('p', {}, `${done.noun} ${done.number} 中的个人信息已删除：记录本身、历史记录、通知和搜索索引中都已删除。`),
    done.backups_scrubbed.length ? h('p', {}, `备份中也已删除（${done.backups_scrubbed.length} 个备份）。`) : null,
    done.backups_left.length ? h('div', { class: 'banner warning' }, h('p', {}, '这些备份中仍有原内容：'),
      h('ul', {}, done.backups_left.map((b) => h('li', {}, b)))) : null,
    h('p', { class: 'hint' }, done.note)),
  { submitLabel: '知道了', cancellable: false, onSubmit: async () => true });
  go(location.hash);
}
