// fukkyu web UI: plain JavaScript, no build step, no external requests. Every text from the
// server is put in the page with textContent (never innerHTML): log lines and notes may hold
// anything.
'use strict';

const T = {
  ja: { board: 'ボード', logout: 'ログアウト', loading: '読み込み中…', signin: 'ログイン', name: 'ユーザ名',
        password: 'パスワード', ref: '参照番号', title: '件名', state: '状態', severity: '重大度',
        progress: '進捗', overdue: '期限超過', next_due: '次の期限', owner: '復旧責任者', sweep: '全社調査',
        none: '対応中のインシデントはありません', phase: 'フェーズ', timeline: '経緯', history: '変更履歴',
        add: '追加', approval: '要承認', switch: 'English', forbidden: '権限がありません',
        roles: '体制', may_approve: '承認できる人', users: 'ユーザ', role: '役割', display: '表示名',
        disabled: '無効', disable: '無効にする', enable: '有効にする', add_user: 'ユーザを追加',
        handover: '引継ぎ', edit: '編集', save: '保存', owner_of: '担当', due: '期限 (例 2026-12-01T17:00)',
        note: 'メモ', by: '記録', approvals: '承認待ち', item: '項目', approvers: '承認できる人',
        yours: 'あなたが承認できます', none_waiting: '承認待ちの項目はありません',
        dept: '部署', checked: '確認済み', unchecked: '未確認のシステム' },
  en: { board: 'Board', logout: 'Sign out', loading: 'Loading…', signin: 'Sign in', name: 'User name',
        password: 'Password', ref: 'Ref', title: 'Title', state: 'State', severity: 'Severity',
        progress: 'Progress', overdue: 'Overdue', next_due: 'Next due', owner: 'Recovery owner', sweep: 'Sweep',
        none: 'No open incidents', phase: 'Phase', timeline: 'Timeline', history: 'History',
        add: 'Add', approval: 'approval', switch: '日本語', forbidden: 'Not allowed',
        roles: 'Roles', may_approve: 'May approve', users: 'Users', role: 'Role', display: 'Display name',
        disabled: 'disabled', disable: 'Disable', enable: 'Enable', add_user: 'Add a user',
        handover: 'Handover', edit: 'Edit', save: 'Save', owner_of: 'Owner', due: 'Due (e.g. 2026-12-01T17:00)',
        note: 'Note', by: 'Recorded', approvals: 'Approvals', item: 'Item', approvers: 'May approve',
        yours: 'you may approve', none_waiting: 'Nothing waits for approval',
        dept: 'Department', checked: 'Checked', unchecked: 'Unchecked systems' },
};
let lang = localStorage.getItem('fk-lang') || (navigator.language.startsWith('en') ? 'en' : 'ja');
let csrf = null;
let me = null;
const t = (k) => T[lang][k] || k;
const $ = (sel, root = document) => root.querySelector(sel);

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'style') e.style.cssText = v; // CSSOM: the page's CSP refuses style attributes
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k ?? '')));
  return e;
}
const pick = (o) => (o && typeof o === 'object' ? (o[lang] || o.ja || o.en || '') : (o ?? ''));

async function api(method, path, body) {
  const headers = { 'Accept-Language': lang };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch('/api/v1' + path, { method, headers, credentials: 'same-origin',
                                               body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error((data.error && data.error.message) || res.statusText);
    err.status = res.status;
    throw err;
  }
  return data;
}

function translateStatic() {
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  $('#lang').textContent = t('switch');
}

function bar(done, total) {
  const pct = total ? Math.round((100 * done) / total) : 0;
  return el('span', { class: 'bar', title: `${done}/${total}`, 'aria-label': `${pct}%` },
            el('i', { style: `width:${pct}%` }));
}

async function showLogin(message) {
  $('#logout').hidden = true;
  $('#who').textContent = '';
  const main = $('#main');
  main.replaceChildren($('#login-tpl').content.cloneNode(true));
  translateStatic();
  if (message) $('#login .error').textContent = message;
  $('#login').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    try {
      const r = await api('POST', '/session', { name: f.get('name'), password: f.get('password') });
      csrf = r.csrf;
      route();
    } catch (e) {
      $('#login .error').textContent = e.message;
    }
  });
}

async function showBoard() {
  const b = await api('GET', '/board');
  const main = $('#main');
  if (!b.incidents.length) return main.replaceChildren(el('p', { class: 'card' }, t('none')));
  const head = el('tr', {}, ...['ref', 'title', 'state', 'severity', 'progress', 'overdue', 'next_due', 'owner', 'sweep']
    .map((k) => el('th', {}, t(k))));
  for (let p = 1; p <= 6; p++) head.insertBefore(el('th', {}, 'P' + p), head.children[5 + p - 1]);
  const rows = b.incidents.map((i) => {
    const tr = el('tr', { 'data-ref': i.ref },
      el('td', {}, el('a', { href: '#/incident/' + encodeURIComponent(i.ref) }, i.ref)),
      el('td', {}, i.title), el('td', {}, i.state), el('td', {}, i.severity),
      el('td', { class: 'progress' }, bar(i.progress.done, i.progress.total), ` ${i.progress.done}/${i.progress.total}`));
    for (const ph of i.phases) tr.append(el('td', {}, bar(ph.done, ph.total)));
    tr.append(el('td', { class: i.overdue ? 'late' : '' }, i.overdue), el('td', {}, i.next_due || '-'),
              el('td', {}, i.owner || '-'),
              el('td', {}, i.sweep.total ? `${Math.round(100 * i.sweep.coverage)}%` : '-'));
    return tr;
  });
  main.replaceChildren(el('div', { class: 'card wide' }, el('table', { id: 'board' }, el('thead', {}, head), el('tbody', {}, ...rows))));
}

async function setTask(ref, item, body) {
  return api('PATCH', `/incidents/${encodeURIComponent(ref)}/tasks/${encodeURIComponent(item)}`, body);
}

// A task's owner, due date and note, edited in place.
function editor(incRef, x, ref, msg) {
  const owner = el('input', { name: 'owner', value: x.owner || '' });
  const due = el('input', { name: 'due', value: x.due || '', placeholder: '2026-12-01T17:00' });
  const note = el('textarea', { name: 'note' });
  note.value = x.note || '';
  const form = el('form', { class: 'edit' }, el('label', {}, t('owner_of'), ' ', owner), ' ',
    el('label', {}, t('due'), ' ', due), el('label', {}, t('note'), ' ', note),
    el('button', { type: 'submit' }, t('save')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await setTask(incRef, x.id, { owner: owner.value, due: due.value, note: note.value });
      showIncident(ref);
    } catch (e) { msg.textContent = e.message; }
  });
  return el('details', { class: 'editor' }, el('summary', {}, t('edit')), form);
}

async function showIncident(ref) {
  const [inc, tasks, tl, hist, roles, ho, sw] = await Promise.all([
    api('GET', '/incidents/' + encodeURIComponent(ref)),
    api('GET', `/incidents/${encodeURIComponent(ref)}/tasks`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/timeline`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/history`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/roles`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/handover`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/sweep`),
  ]);
  const sweepCard = !sw.total ? '' : el('details', { class: 'card', id: 'sweep', open: '' },
    el('summary', {}, `${t('sweep')}: ${sw.checked}/${sw.total} ${t('checked')} (${Math.round(100 * sw.coverage)}%)`),
    el('p', { class: 'muted' }, sw.criteria || ''),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, t('dept')), el('th', {}, t('progress')), el('th', {}, ''))),
      el('tbody', {}, ...sw.by_department.map((d) => el('tr', {}, el('td', {}, d.department || '-'),
        el('td', {}, bar(d.checked, d.total)), el('td', {}, `${d.checked}/${d.total}`))))),
    sw.unchecked.length ? el('p', {}, `${t('unchecked')}: `, sw.unchecked.map((u) => u.name).join(', ')) : '');
  const hoCard = el('details', { class: 'card', id: 'handover' }, el('summary', {}, t('handover')),
    el('table', {}, el('tbody', {}, ...Object.entries(ho.handover).map(([k, v]) =>
      el('tr', {}, el('td', {}, pick(ho.labels[k])), el('td', {}, v ?? '-'))))));
  const approvers = roles.roles.filter((x) => x.role === 'approver').map((x) => x.name);
  const rolesCard = el('div', { class: 'card', id: 'roles' }, el('h2', {}, t('roles')),
    el('table', {}, el('tbody', {}, ...roles.roles.map((x) =>
      el('tr', {}, el('td', {}, pick(x.label)), el('td', {}, x.name), el('td', { class: 'muted' }, x.org || ''))))));
  const main = $('#main');
  const done = tasks.tasks.filter((x) => x.state === 'done' || x.state === 'na').length;
  const header = el('div', { class: 'card' }, el('h1', {}, `${inc.ref} ${inc.title}`),
    el('p', {}, `${t('state')}: ${inc.state} / ${t('severity')}: ${inc.severity} / `,
       el('span', { id: 'progress' }, `${t('progress')}: ${done}/${tasks.tasks.length}`)));
  const phases = [];
  for (let p = 1; p <= 6; p++) {
    const items = tasks.tasks.filter((x) => x.phase === p);
    if (!items.length) continue;
    const d = el('details', { open: '' }, el('summary', {}, `${t('phase')} ${p}`));
    for (const x of items) {
      const box = el('input', { type: 'checkbox', 'data-item': x.id });
      if (me && me.role === 'viewer') box.disabled = true; // viewers read
      box.checked = x.state === 'done' || x.state === 'na';
      const msg = el('span', { class: 'error' });
      box.addEventListener('change', async () => {
        try {
          await setTask(inc.ref, x.id, { state: box.checked ? 'done' : 'todo' });
          showIncident(ref);
        } catch (e) {
          box.checked = !box.checked;
          msg.textContent = e.message;
        }
      });
      const row = el('div', { class: 'task' + (box.checked ? ' done' : ''), 'data-item': x.id }, box,
        el('div', {}, el('span', { class: 'title' }, pick(x.title)), ' ',
           x.approval ? el('span', { class: 'badge', title: `${t('may_approve')}: ${approvers.join(', ')}` },
                           `${t('approval')} (${approvers.join(', ') || '-'})`) : '',
           x.owner ? el('span', { class: 'muted' }, ` — ${x.owner}`) : '',
           x.due ? el('span', { class: x.overdue ? 'late' : 'muted' }, ` (${x.due})`) : '',
           x.why ? el('div', { class: 'why' }, pick(x.why)) : '',
           x.note ? el('div', { class: 'muted' }, `${t('note')}: `, x.note) : '',
           x.updated_by ? el('div', { class: 'muted by' }, `${t('by')}: ${x.updated_by} ${x.updated_at || ''}`) : '',
           (me && me.role !== 'viewer') ? editor(inc.ref, x, ref, msg) : '', msg));
      d.append(row);
    }
    phases.push(el('div', { class: 'card' }, d));
  }
  const text = el('textarea', { name: 'text' });
  const tlList = el('ul', { id: 'timeline' }, ...tl.timeline.map((e) => el('li', {}, `${e.at} — `, e.text)));
  const tlForm = el('form', { class: 'card' }, el('h2', {}, t('timeline')), tlList, text,
    el('button', { type: 'submit' }, t('add')));
  tlForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try { await api('POST', `/incidents/${encodeURIComponent(inc.ref)}/timeline`, { text: text.value }); showIncident(ref); }
    catch (e) { tlForm.append(el('p', { class: 'error' }, e.message)); }
  });
  const histList = el('details', { class: 'card' }, el('summary', {}, t('history')),
    el('table', {}, el('tbody', {}, ...hist.changes.slice(-200).map((h) =>
      el('tr', {}, el('td', {}, h.at), el('td', {}, h.actor), el('td', {}, h.origin),
         el('td', {}, `${h.entity} ${h.key || ''}.${h.field}`), el('td', {}, h.old ?? '-'), el('td', {}, h.new ?? '-'))))));
  main.replaceChildren(header, rolesCard, hoCard, sweepCard, ...phases, tlForm, histList);
}

async function showApprovals() {
  const a = await api('GET', '/approvals');
  if (!a.approvals.length) return $('#main').replaceChildren(el('p', { class: 'card' }, t('none_waiting')));
  const rows = a.approvals.map((x) => el('tr', { 'data-ref': x.incident, 'data-item': x.item },
    el('td', {}, el('a', { href: '#/incident/' + encodeURIComponent(x.incident) }, x.incident)),
    el('td', {}, x.incident_title), el('td', {}, `${x.item} `, pick(x.title)),
    el('td', {}, x.approvers.join(', ') || '-'),
    el('td', { class: x.may_approve ? 'late' : 'muted' }, x.may_approve ? t('yours') : '')));
  $('#main').replaceChildren(el('div', { class: 'card wide' }, el('h1', {}, t('approvals')),
    el('table', { id: 'approvals' }, el('thead', {}, el('tr', {}, ...['ref', 'title', 'item', 'approvers', ''].map((k) => el('th', {}, k ? t(k) : '')))),
       el('tbody', {}, ...rows))));
}

async function showUsers() {
  const u = await api('GET', '/users');
  const msg = el('p', { class: 'error' });
  const rows = u.users.map((x) => {
    const btn = el('button', { type: 'button' }, x.disabled ? t('enable') : t('disable'));
    btn.addEventListener('click', async () => {
      try { await api('PATCH', '/users/' + encodeURIComponent(x.name), { disabled: !x.disabled }); showUsers(); }
      catch (e) { msg.textContent = e.message; }
    });
    return el('tr', { 'data-user': x.name }, el('td', {}, x.name), el('td', {}, x.display_name || ''),
              el('td', {}, x.role), el('td', {}, x.disabled ? t('disabled') : ''), el('td', {}, btn));
  });
  const name = el('input', { name: 'name', required: '' });
  const display = el('input', { name: 'display_name' });
  const password = el('input', { name: 'password', type: 'password', autocomplete: 'new-password' });
  const role = el('select', { name: 'role' }, ...['viewer', 'responder', 'approver', 'owner', 'admin'].map((r) => el('option', { value: r }, r)));
  const form = el('form', { class: 'card', id: 'user-add' }, el('h2', {}, t('add_user')),
    el('label', {}, t('name'), ' ', name), ' ', el('label', {}, t('display'), ' ', display), ' ',
    el('label', {}, t('role'), ' ', role), ' ', el('label', {}, t('password'), ' ', password), ' ',
    el('button', { type: 'submit' }, t('add')), msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/users', { name: name.value, display_name: display.value || null, role: role.value,
                                    password: password.value || null });
      showUsers();
    } catch (e) { msg.textContent = e.message; }
  });
  $('#main').replaceChildren(el('div', { class: 'card' }, el('h1', {}, t('users')),
    el('table', { id: 'users' }, el('tbody', {}, ...rows))), form);
}

async function route() {
  translateStatic();
  try {
    me = await api('GET', '/me');
    csrf = me.csrf || csrf;
    $('#who').textContent = `${me.display_name || me.name} (${me.role})`;
    $('#logout').hidden = false;
    $('#users-link').hidden = me.role !== 'admin';
    const m = location.hash.match(/^#\/incident\/(.+)$/);
    if (m) await showIncident(decodeURIComponent(m[1]));
    else if (location.hash === '#/users' && me.role === 'admin') await showUsers();
    else if (location.hash === '#/approvals') await showApprovals();
    else await showBoard();
  } catch (e) {
    if (e.status === 401) return showLogin();
    $('#main').replaceChildren(el('p', { class: 'card error' }, e.message));
  }
}

$('#lang').addEventListener('click', () => {
  lang = lang === 'ja' ? 'en' : 'ja';
  localStorage.setItem('fk-lang', lang);
  route();
});
$('#logout').addEventListener('click', async () => {
  await api('DELETE', '/session').catch(() => {});
  csrf = null;
  showLogin();
});
window.addEventListener('hashchange', route);
route();
