// 人员: who reports, collects, decides, plans, builds and tests.
import { api } from '../api.js';
import { h, dialog, field, toast, go } from '../components/dom.js';

/** The fields of a person form (name, department, roles), prefilled from `p`. */
export function personFields(app, p = {}) {
  const roles = new Set(p.roles || []);
  return h('div', { class: 'grid' },
    field('姓名', h('input', { name: 'name', value: p.name || '', maxlength: 20, autocomplete: 'off' }), { required: true }),
    field('部门', h('input', { name: 'department', value: p.department || '', list: 'departments', autocomplete: 'off' })),
    h('datalist', { id: 'departments' }, (app.info.departments || []).map((d) => h('option', { value: d }))),
    h('div', { class: 'wide' }, h('div', { class: 'hint' }, '角色（可多选）'),
      h('div', { class: 'roles' }, app.info.roles.map((r) => h('label', { class: 'inline' },
        h('input', { type: 'checkbox', name: 'roles', 'data-group': '1', value: r.value, checked: roles.has(r.value) }), r.label)))));
}

export function personInput(data) {
  return { name: data.name || '', department: data.department || '', roles: data.roles || [] };
}

export async function peopleView(app) {
  const people = await api.people();
  const edit = async (p) => {
    const saved = await dialog(p ? `编辑人员：${p.name}` : '添加人员',
      h('div', {}, personFields(app, p || {}),
        p ? h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'active', checked: p.active }), '在职（不在职的人员不出现在选择列表中）') : null),
      {
        submitLabel: '保存',
        onSubmit: (data) => (p ? api.updatePerson(p.id, { ...personInput(data), active: !!data.active, version: p.version })
          : api.addPerson(personInput(data))),
      });
    if (saved) { toast(`已保存：${saved.name}`); go('#/people'); }
  };
  // 登录密码 (used when sign-in is on: setting security.sign_in)
  const password = async (p) => {
    const own = app.info.operator && app.info.operator.id === p.id;
    const done = await dialog(`设置登录密码：${p.name}`,
      h('div', {}, h('p', { class: 'hint' }, '开启“登录”（设置项 security.sign_in）后，每人用自己的密码登录。密码至少 6 个字符。'),
        // one's own password is changed with the current one (someone managing people resets)
        own && p.has_password ? field('现在的密码', h('input', { type: 'password', name: 'current', autocomplete: 'current-password' }), { required: true }) : null,
        field('新密码', h('input', { type: 'password', name: 'password', autocomplete: 'new-password' }), { required: true }),
        field('再输入一次', h('input', { type: 'password', name: 'again', autocomplete: 'new-password' }), { required: true })),
      {
        id: 'password-dialog',
        submitLabel: '保存',
        onSubmit: (d) => {
          if ((d.password || '') !== (d.again || '')) throw Object.assign(new Error('两次输入的密码不一样'), { field: 'again' });
          return api.setPassword(p.id, d.password || '', own && p.has_password ? (d.current || '') : null).then(() => true);
        },
      });
    if (done) { toast(`已设置 ${p.name} 的登录密码`); go('#/people'); }
  };
  return h('section', {},
    h('div', { class: 'detail-head' }, h('h1', {}, '人员'), h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'primary', id: 'person-add', onclick: () => edit(null) }, '添加人员')),
    h('table', { class: 'plain', id: 'people' },
      h('thead', {}, h('tr', {}, ['姓名', '部门', '角色', '状态', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, people.length ? people.map((p) => h('tr', { 'data-name': p.name },
        h('td', {}, p.name, app.info.operator && app.info.operator.id === p.id ? h('span', { class: 'badge open' }, ' 当前操作人') : null),
        h('td', {}, p.department),
        h('td', {}, p.roles.join('、')),
        h('td', {}, p.active ? '在职' : h('span', { class: 'badge withdrawn' }, '不在职')),
        h('td', {}, h('button', { type: 'button', class: 'edit', onclick: () => edit(p) }, '编辑'), ' ',
          h('button', { type: 'button', class: 'password', onclick: () => password(p) }, p.has_password ? '改密码' : '设密码'))))
        : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, '还没有人员')))));
}
