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
        dept: '部署', checked: '確認済み', unchecked: '未確認のシステム',
        systems: 'システム', all_states: 'すべての状態', more: '続き', measures: '再発防止策', kind: '種類',
        rollout: '展開', approve: '承認する', approved_by: '承認', not_approved: '未承認',
        pending_systems: '未実施のシステム', exceptions: '例外', applied: '実施済みにする', verified: '確認済みにする',
        roll_out: '展開する', scope: '対象', new_incident: 'インシデントの登録', discovered: '発覚日時 (例 2026-11-26T09:00)',
        create: '登録', evidence: '証拠', files: 'ファイル', query: '条件', reason: '理由', accepted_by: 'リスク受容者',
        exception: '例外にする', add_measure: '対策を追加', cost: '費用 (円)',
        damage: '被害・費用', direct: '直接被害', indirect: '間接被害', costs: '費用', total: '合計',
        borne_by: '負担', unallocated: '負担未定', amount: '金額',
        clocks: '法令上・約束した期限', clock_late: '期限超過', due_at: '期限', window: '目安の期間', guide: '目安',
        submit: '提出を記録', waive: '不要と判断', copy: '送付した内容 (写しとして保存)', reason: '理由',
        pii: '個人情報', pii_count: '人数', pii_sensitive: '要配慮個人情報', pii_financial: '財産的被害のおそれ',
        pii_unlawful: '不正の目的のおそれ', pii_eu: 'EU のデータ主体', unknown: '不明', yes: 'はい', no: 'いいえ',
        reporters: '通報者', contact: '連絡先', channel: '経路', reported_at: '通報日時', add_reporter: '通報者を記録',
        contact_out: 'こちらから連絡', contact_in: '先方から連絡', summary: '内容', record: '記録',
        plan: '復旧計画', no_plan: '復旧計画はまだありません', level: '復旧レベル', deadline_l: '復旧期限',
        priority: '優先順位', milestones: 'マイルストーン', submit_plan: '承認を申請', approve_plan: '承認する',
        approved_v: '承認済みの版', changed_since: '承認後に変更あり: 再承認が必要', restores: '復元の記録',
        after_compromise: '侵害後のバックアップ', intake: '通報受付', none_reports: '未対応の通報はありません',
        attach: '紐付け', open_incident: 'インシデントを登録', dismiss: '対応不要', received: '受付', ack_due: '受領連絡の期限',
        cause_lessons: '原因と教訓', origin: '攻撃元', route: '侵入経路', direct_cause: '直接原因', root_cause: '根本原因',
        cves: 'CVE', laws: '関係法令', lessons: '教訓と対策', implemented: '実施済みにする', verified_l: '検証済みにする',
        end_recovery: '復旧の終了', declare: '終了を宣言', declared: '宣言済み',
        people: '被害者と社外対応', persons: '個人', companies: '法人', notified: '通知済み', pending_n: '未通知',
        complaints: '苦情', comp_offered: '補償提示額', comp_paid: '補償支払額', comms: '社外への文書',
        audience: '宛先', text: '本文', send: '送付を記録', add_comm: '文書を下書き',
        documents: '文書の作成', template: 'テンプレート', doc_lang: '言語', format: '形式', preview: 'プレビュー',
        download: 'ダウンロード', save_draft: '下書きとして保存', missing: '未記入のデータ', saved_as: '保存しました',
        share: '事例の共有 (エクスポート)', cases: '過去の事例', search: '検索', no_cases: '該当する完了済みの事例はありません',
        closed_at: '完了', lang_ja: '日本語', lang_en: '英語' },
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
        dept: 'Department', checked: 'Checked', unchecked: 'Unchecked systems',
        systems: 'Systems', all_states: 'All states', more: 'More', measures: 'Countermeasures', kind: 'Kind',
        rollout: 'Rollout', approve: 'Approve', approved_by: 'Approved', not_approved: 'not approved',
        pending_systems: 'Not applied yet', exceptions: 'Exceptions', applied: 'Mark applied', verified: 'Mark verified',
        roll_out: 'Roll out', scope: 'Scope', new_incident: 'Open an incident', discovered: 'Discovered (e.g. 2026-11-26T09:00)',
        create: 'Open', evidence: 'Evidence', files: 'Files', query: 'Query', reason: 'Reason', accepted_by: 'Risk accepted by',
        exception: 'Make an exception', add_measure: 'Add a countermeasure', cost: 'Cost (JPY)',
        damage: 'Damage and cost', direct: 'Direct damage', indirect: 'Indirect damage', costs: 'Costs', total: 'Total',
        borne_by: 'Borne by', unallocated: 'Not split', amount: 'Amount',
        clocks: 'Legal and promised clocks', clock_late: 'Clocks late', due_at: 'Due', window: 'window', guide: 'guide',
        submit: 'Record submission', waive: 'Not required', copy: 'What was sent (kept as a copy)', reason: 'Reason',
        pii: 'Personal data', pii_count: 'Persons', pii_sensitive: 'Sensitive data', pii_financial: 'Financial harm possible',
        pii_unlawful: 'Unlawful purpose suspected', pii_eu: 'EU data subjects', unknown: 'unknown', yes: 'yes', no: 'no',
        reporters: 'Reporters', contact: 'Contact', channel: 'Channel', reported_at: 'Reported at', add_reporter: 'Record a reporter',
        contact_out: 'We contacted them', contact_in: 'They contacted us', summary: 'Summary', record: 'Record',
        plan: 'Recovery plan', no_plan: 'No recovery plan yet', level: 'Level', deadline_l: 'Deadline',
        priority: 'Priority', milestones: 'Milestones', submit_plan: 'Submit for approval', approve_plan: 'Approve',
        approved_v: 'Approved version', changed_since: 'changed since: approve again', restores: 'Restore points',
        after_compromise: 'backup after the compromise', intake: 'Intake', none_reports: 'No reports waiting',
        attach: 'Attach', open_incident: 'Open an incident', dismiss: 'No response needed', received: 'Received', ack_due: 'Acknowledge by',
        cause_lessons: 'Root cause and lessons', origin: 'Origin', route: 'Route', direct_cause: 'Direct cause', root_cause: 'Root cause',
        cves: 'CVE', laws: 'Laws', lessons: 'Lessons and actions', implemented: 'Mark implemented', verified_l: 'Mark verified',
        end_recovery: 'End of recovery', declare: 'Declare the end', declared: 'declared',
        people: 'Affected users and statements', persons: 'Persons', companies: 'Companies', notified: 'Notified', pending_n: 'Not yet notified',
        complaints: 'Complaints', comp_offered: 'Compensation offered', comp_paid: 'Compensation paid', comms: 'Statements',
        audience: 'Audience', text: 'Text', send: 'Record sending', add_comm: 'Draft a statement',
        documents: 'Documents', template: 'Template', doc_lang: 'Language', format: 'Format', preview: 'Preview',
        download: 'Download', save_draft: 'Save as a draft', missing: 'Missing data', saved_as: 'Saved as',
        share: 'Share the case (export)', cases: 'Past cases', search: 'Search', no_cases: 'No closed incidents match',
        closed_at: 'Closed', lang_ja: 'Japanese', lang_en: 'English' },
};
const KINDS = ['outbound-attack', 'vulnerability-report', 'defacement', 'malware-outbreak', 'data-leak', 'intrusion',
               'dos', 'insider', 'equipment-failure', 'disaster', 'other'];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const SWEEP_STATES = ['unchecked', 'checking', 'clean', 'damaged', 'isolated', 'restored', 'rebuilt', 'verified',
                      'monitoring', 'returned', 'retired'];
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
const writer = () => me && me.role !== 'viewer';
const enc = encodeURIComponent;
const select = (name, values, current) => {
  const e = el('select', { name }, ...values.map((v) => el('option', { value: v }, v)));
  if (current !== undefined) e.value = current;
  return e;
};
const pick = (o) => (o && typeof o === 'object' ? (o[lang] || o.ja || o.en || '') : (o ?? ''));

// rev: the revision of the record as it was shown; a write over someone else's later change
// is then refused (409) with a message saying who changed it, instead of overwriting it.
async function api(method, path, body, rev) {
  const headers = { 'Accept-Language': lang };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (rev !== undefined && rev !== null) headers['If-Match'] = `"${rev}"`;
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
  const head = el('tr', {}, ...['ref', 'title', 'state', 'severity', 'progress', 'overdue', 'next_due', 'owner', 'sweep', 'clock_late', 'damage', 'people']
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
              el('td', {}, i.sweep.total ? `${Math.round(100 * i.sweep.coverage)}%` : '-'),
              el('td', { class: i.clocks.overdue ? 'late clocks' : 'clocks' },
                 i.clocks.overdue ? `${i.clocks.overdue} (${i.clocks.next_key})` : (i.clocks.next_key ? `${i.clocks.next_key} ${i.clocks.next_due}` : '-')),
              el('td', { class: 'num damage' }, i.damage_jpy ? `¥${Number(i.damage_jpy).toLocaleString()}` : '-'),
              el('td', { class: i.affected.not_notified ? 'late affected' : 'affected' },
                 i.affected.total ? `${i.affected.total} (${i.affected.not_notified})` : '-'));
    return tr;
  });
  main.replaceChildren(el('div', { class: 'card wide' }, el('table', { id: 'board' }, el('thead', {}, head), el('tbody', {}, ...rows))),
                       writer() ? newIncidentForm() : '');
}

// Opening an incident (responders and up): the server adds the recovery playbook.
function newIncidentForm() {
  const title = el('input', { name: 'title', required: '' });
  const kind = select('kind', KINDS, 'other');
  const sev = select('severity', SEVERITIES, 'medium');
  const disc = el('input', { name: 'discovered_at', placeholder: '2026-11-26T09:00' });
  const msg = el('p', { class: 'error' });
  const form = el('form', { class: 'card edit', id: 'incident-new' }, el('h2', {}, t('new_incident')),
    el('label', {}, t('title'), ' ', title), el('label', {}, t('kind'), ' ', kind), el('label', {}, t('severity'), ' ', sev),
    el('label', {}, t('discovered'), ' ', disc), el('button', { type: 'submit' }, t('create')), msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const inc = await api('POST', '/incidents', { title: title.value, kind: kind.value, severity: sev.value,
                                                     discovered_at: disc.value || null });
      location.hash = '#/incident/' + enc(inc.ref);
    } catch (e) { msg.textContent = e.message; }
  });
  return form;
}

async function setTask(ref, item, body, rev) {
  return api('PATCH', `/incidents/${encodeURIComponent(ref)}/tasks/${encodeURIComponent(item)}`, body, rev);
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
      await setTask(incRef, x.id, { owner: owner.value, due: due.value, note: note.value }, x.rev);
      showIncident(ref);
    } catch (e) { msg.textContent = e.message; }
  });
  return el('details', { class: 'editor' }, el('summary', {}, t('edit')), form);
}

async function showIncident(ref) {
  const [inc, tasks, tl, hist, roles, ho, sw, ms, ev, dmg, dl, rep, plan, cause, lessons, end, comms, aff, tpls] = await Promise.all([
    api('GET', '/incidents/' + encodeURIComponent(ref)),
    api('GET', `/incidents/${encodeURIComponent(ref)}/tasks`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/timeline`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/history`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/roles`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/handover`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/sweep`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/measures`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/evidence`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/damage`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/deadlines`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/reporters`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/plan`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/cause`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/lessons`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/recovery`),
    api('GET', `/incidents/${encodeURIComponent(ref)}/comms`),
    writer() ? api('GET', `/incidents/${encodeURIComponent(ref)}/affected`) : Promise.resolve(null),
    api('GET', '/templates'),
  ]);
  const sweepCard = !sw.total ? '' : el('details', { class: 'card', id: 'sweep', open: '' },
    el('summary', {}, `${t('sweep')}: ${sw.checked}/${sw.total} ${t('checked')} (${Math.round(100 * sw.coverage)}%)`),
    el('p', { class: 'muted' }, sw.criteria || ''),
    el('table', { id: 'sweep-depts' }, el('thead', {}, el('tr', {}, el('th', {}, t('dept')), el('th', {}, t('progress')), el('th', {}, ''))),
      el('tbody', {}, ...sw.by_department.map((d) => el('tr', {}, el('td', {}, d.department || '-'),
        el('td', {}, bar(d.checked, d.total)), el('td', {}, `${d.checked}/${d.total}`))))),
    sw.unchecked.length ? el('p', {}, `${t('unchecked')}: `, sw.unchecked.map((u) => u.name).join(', ')) : '',
    sweepSystems(inc.ref));
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
          await setTask(inc.ref, x.id, { state: box.checked ? 'done' : 'todo' }, x.rev);
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
  main.replaceChildren(header, clocksCard(inc, dl, ref), planCard(inc.ref, plan, ref), reportersCard(inc.ref, rep, ref), rolesCard, hoCard, sweepCard, measuresCard(inc.ref, ms, ref), causeCard(inc.ref, cause, lessons, end, ref), peopleCard(inc.ref, aff, comms, ref), documentsCard(inc.ref, tpls, ref), damageCard(dmg), evidenceCard(inc.ref, ev),
                       ...phases, tlForm, histList);
}

// The sweep's systems, filtered by state, 50 at a time; responders and up move each one's state.
function sweepSystems(incRef) {
  const filter = select('state', ['', ...SWEEP_STATES], 'unchecked');
  filter.options[0].textContent = t('all_states');
  const body = el('tbody');
  const more = el('button', { type: 'button', hidden: '' }, t('more'));
  const msg = el('p', { class: 'error' });
  let offset = 0;
  const load = async (reset) => {
    if (reset) { offset = 0; body.replaceChildren(); }
    const q = `limit=50&offset=${offset}` + (filter.value ? `&state=${enc(filter.value)}` : '');
    const page = await api('GET', `/incidents/${enc(incRef)}/sweep/systems?${q}`);
    offset += page.systems.length;
    more.hidden = !page.more;
    for (const x of page.systems) {
      const st = writer() ? select('state', SWEEP_STATES, x.state) : x.state;
      const note = el('input', { name: 'note', value: x.note || '' });
      if (writer()) {
        const save = async () => {
          try {
            await api('PATCH', `/incidents/${enc(incRef)}/sweep/systems/${enc(x.name)}`, { state: st.value, note: note.value || null });
            msg.textContent = '';
          } catch (e) { st.value = x.state; msg.textContent = `${x.name}: ${e.message}`; }
        };
        st.addEventListener('change', save);
        note.addEventListener('change', save);
      }
      body.append(el('tr', { 'data-asset': x.name }, el('td', {}, x.name), el('td', {}, x.department || '-'),
        el('td', {}, st), el('td', {}, writer() ? note : (x.note || '')), el('td', { class: 'muted' }, x.reasons || '')));
    }
  };
  filter.addEventListener('change', () => load(true).catch((e) => { msg.textContent = e.message; }));
  more.addEventListener('click', () => load(false).catch((e) => { msg.textContent = e.message; }));
  load(true).catch((e) => { msg.textContent = e.message; });
  return el('details', { id: 'sweep-systems' }, el('summary', {}, t('systems')), filter,
    el('table', {}, body), more, msg);
}

// Countermeasures with their rollout: approve, roll out, mark each system.
function measuresCard(incRef, ms, ref) {
  const msg = el('p', { class: 'error' });
  const act = (fn) => async () => { try { await fn(); showIncident(ref); } catch (e) { msg.textContent = e.message; } };
  const items = ms.measures.map((m) => {
    const r = m.rollout;
    const done = r.applied + r.verified + r.exception;
    const box = el('div', { class: 'measure', 'data-measure': m.id },
      el('h3', {}, `${m.id} `, m.title, ' ', el('span', { class: 'badge' }, m.kind)),
      el('p', {}, `${t('approved_by')}: `, m.approved_by || t('not_approved'),
        m.owner ? ` / ${t('owner_of')}: ${m.owner}` : '', m.due ? ` / ${m.due}` : '',
        ` / ${t('rollout')}: `, bar(done, r.total), ` ${done}/${r.total}`));
    if (writer() && !m.approved_by)
      box.append(el('button', { type: 'button', class: 'approve', onclick: act(() =>
        api('POST', `/incidents/${enc(incRef)}/measures/${enc(m.id)}/approve`, {})) }, t('approve')));
    if (writer()) {
      const scope = el('input', { name: 'scope', value: 'affected,similar,spares' });
      box.append(' ', el('label', {}, t('scope'), ' ', scope), ' ', el('button', { type: 'button', class: 'rollout', onclick: act(() =>
        api('POST', `/incidents/${enc(incRef)}/measures/${enc(m.id)}/rollout`, { scope: scope.value })) }, t('roll_out')));
    }
    if (r.pending || r.exception) box.append(measureSystems(incRef, m, ref, msg));
    return box;
  });
  const title = el('input', { name: 'title' });
  const kind = select('kind', ['technical', 'operational', 'legal']);
  const cost = el('input', { name: 'cost', type: 'number', min: '0' });
  const add = el('form', { class: 'edit' }, el('label', {}, t('title'), ' ', title), el('label', {}, t('kind'), ' ', kind),
    el('label', {}, t('cost'), ' ', cost), el('button', { type: 'submit' }, t('add')));
  add.addEventListener('submit', (ev) => { ev.preventDefault(); act(() => api('POST', `/incidents/${enc(incRef)}/measures`,
    { title: title.value, kind: kind.value, cost: cost.value === '' ? null : Number(cost.value) }))(); });
  return el('details', { class: 'card', id: 'measures', open: '' },
    el('summary', {}, `${t('measures')} (${ms.measures.length})`), ...items,
    writer() ? el('details', {}, el('summary', {}, t('add_measure')), add) : '', msg);
}

// The systems a countermeasure still waits for, and its exceptions (loaded when opened).
function measureSystems(incRef, m, ref, msg) {
  const d = el('details', {}, el('summary', {}, `${t('pending_systems')}: ${m.rollout.pending} / ${t('exceptions')}: ${m.rollout.exception}`));
  d.addEventListener('toggle', async () => {
    if (!d.open || d.dataset.loaded) return;
    d.dataset.loaded = '1';
    try {
      const st = await api('GET', `/incidents/${enc(incRef)}/measures/${enc(m.id)}?limit=100`);
      const set = (name, body) => api('PATCH', `/incidents/${enc(incRef)}/measures/${enc(m.id)}/systems/${enc(name)}`, body)
        .then(() => showIncident(ref)).catch((e) => { msg.textContent = `${name}: ${e.message}`; });
      const rows = st.pending_systems.map((x) => {
        const tr = el('tr', { 'data-asset': x.name }, el('td', {}, x.name), el('td', {}, x.scope), el('td', {}, x.state));
        if (writer()) {
          const reason = el('input', { name: 'reason', placeholder: t('reason') });
          const who = el('input', { name: 'accepted_by', placeholder: t('accepted_by') });
          tr.append(el('td', {}, el('button', { type: 'button', onclick: () => set(x.name, { state: 'applied' }) }, t('applied')), ' ',
            el('button', { type: 'button', onclick: () => set(x.name, { state: 'verified' }) }, t('verified'))),
            el('td', {}, reason, ' ', who, ' ', el('button', { type: 'button', onclick: () =>
              set(x.name, { state: 'exception', reason: reason.value || null, accepted_by: who.value || null }) }, t('exception'))));
        }
        return tr;
      });
      const ex = st.exceptions.map((x) => el('tr', { 'data-asset': x.name }, el('td', {}, x.name), el('td', {}, x.scope),
        el('td', {}, x.state), el('td', {}, x.reason || ''), el('td', {}, x.accepted_by || '')));
      d.append(el('table', {}, el('tbody', {}, ...rows, ...ex)));
    } catch (e) { msg.textContent = e.message; }
  });
  return d;
}

// The recovery plan: its version and state, what was approved (and whether it changed
// since), milestones, restore points; responders edit and submit, approvers approve.
function planCard(incRef, p, ref) {
  const msg = el('p', { class: 'error' });
  const act = (fn) => async () => { try { await fn(); showIncident(ref); } catch (e) { msg.textContent = e.message; } };
  const body = [];
  if (p.state === 'none') body.push(el('p', { class: 'muted' }, t('no_plan')));
  else {
    body.push(el('p', { class: 'plan-state' }, `v${p.version} `, el('span', { class: 'badge' }, p.state), ' ',
      `${t('level')}: ${p.level || '-'} / ${t('deadline_l')}: ${p.deadline || '-'}`, p.priority ? ` / ${t('priority')}: ${p.priority}` : ''));
    if (p.approved) body.push(el('p', { class: p.approved.current ? 'muted' : 'late' },
      `${t('approved_v')}: v${p.approved.version} ${p.approved.by} ${p.approved.at}`, p.approved.current ? '' : ` (${t('changed_since')})`));
    if (p.milestones.length) body.push(el('ul', { class: 'milestones' }, ...p.milestones.map((m) => el('li', {}, `${m.due} `, m.title))));
    if (p.restore_points.length) body.push(el('table', { id: 'restores' }, el('tbody', {}, ...p.restore_points.map((x) =>
      el('tr', { class: x.after_compromise ? 'late' : '' }, el('td', {}, x.id), el('td', {}, x.system), el('td', {}, x.backup),
        el('td', {}, x.backup_time), el('td', {}, x.integrity), el('td', {}, x.after_compromise ? t('after_compromise') : ''))))));
  }
  if (writer()) {
    if (p.state === 'draft') body.push(el('button', { type: 'button', class: 'submit-plan', onclick: act(() =>
      api('POST', `/incidents/${enc(incRef)}/plan/submit`, {})) }, t('submit_plan')));
    if (p.state === 'submitted') body.push(el('button', { type: 'button', class: 'approve-plan', onclick: act(() =>
      api('POST', `/incidents/${enc(incRef)}/plan/approve`, {})) }, t('approve_plan')));
    const level = select('level', ['full', 'partial', 'improved'], p.level || 'full');
    const deadline = el('input', { name: 'deadline', value: p.deadline || '', placeholder: '2026-12-24T18:00' });
    const priority = el('input', { name: 'priority', value: p.priority || '' });
    const form = el('form', { class: 'edit', id: 'plan-set' }, el('label', {}, t('level'), ' ', level),
      el('label', {}, t('deadline_l'), ' ', deadline), el('label', {}, t('priority'), ' ', priority),
      el('button', { type: 'submit' }, t('save')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); act(() => api('PATCH', `/incidents/${enc(incRef)}/plan`,
      { level: level.value, deadline: deadline.value || null, priority: priority.value || null }, p.rev))(); });
    body.push(el('details', {}, el('summary', {}, t('edit')), form));
  }
  return el('details', { class: 'card', id: 'plan', open: '' }, el('summary', {}, t('plan')), ...body, msg);
}

// The people harmed (a summary; responders and up) and every statement to the outside:
// drafted, approved by an approver, sent as approved.
function peopleCard(incRef, aff, cm, ref) {
  const msg = el('p', { class: 'error' });
  const act = (fn) => async () => { try { await fn(); showIncident(ref); } catch (e) { msg.textContent = e.message; } };
  const body = [];
  if (aff && aff.affected.length) {
    const s = aff.summary;
    body.push(el('table', { id: 'affected-summary' }, el('tbody', {}, ...[['persons', s.persons], ['companies', s.companies],
      ['notified', s.notified], ['pending_n', s.pending], ['complaints', s.complaints], ['comp_offered', s.offered],
      ['comp_paid', s.paid]].map(([k, v]) => el('tr', { 'data-key': k }, el('th', {}, t(k)), el('td', { class: 'num' }, v))))));
  }
  body.push(el('h3', {}, t('comms')));
  for (const m of cm.communications) {
    const row = el('div', { class: 'comm', 'data-comm': m.id },
      el('p', {}, `${m.id} `, el('span', { class: 'badge' }, m.state), ` v${m.version} [${m.audience}] `, m.title,
        m.approved_by ? el('span', { class: 'muted' }, ` — ${m.approved_by} v${m.approved_version}`) : '',
        m.sent_at ? el('span', { class: 'muted' }, ` — ${m.channel} ${m.sent_at}`) : ''),
      el('pre', {}, m.text || ''));
    if (writer() && m.state === 'draft')
      row.append(el('button', { type: 'button', class: 'approve-comm', onclick: act(() =>
        api('POST', `/incidents/${enc(incRef)}/comms/${enc(m.id)}/approve`, {})) }, t('approve')));
    if (writer() && m.state === 'approved') {
      const channel = el('input', { name: 'channel', placeholder: 'Webサイト / メール' });
      row.append(channel, ' ', el('button', { type: 'button', class: 'send-comm', onclick: act(() =>
        api('POST', `/incidents/${enc(incRef)}/comms/${enc(m.id)}/send`, { channel: channel.value || null })) }, t('send')));
    }
    body.push(row);
  }
  if (writer()) {
    const audience = select('audience', ['users', 'media', 'shareholders', 'regulator', 'police', 'cert', 'partners', 'employees', 'other']);
    const title = el('input', { name: 'title' });
    const text = el('textarea', { name: 'comm_text' });
    const form = el('form', { class: 'edit', id: 'comm-add' }, el('label', {}, t('audience'), ' ', audience),
      el('label', {}, t('title'), ' ', title), el('label', {}, t('text'), ' ', text), el('button', { type: 'submit' }, t('add')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); act(() => api('POST', `/incidents/${enc(incRef)}/comms`,
      { audience: audience.value, title: title.value || null, text: text.value || null }))(); });
    body.push(el('details', {}, el('summary', {}, t('add_comm')), form));
  }
  return el('details', { class: 'card', id: 'people' }, el('summary', {}, t('people')), ...body, msg);
}

// Root cause, lessons with their action items (responders move their state), and the end of
// recovery: its criteria and, once they hold, the recovery owner's declaration.
function causeCard(incRef, cause, ls, end, ref) {
  const msg = el('p', { class: 'error' });
  const act = (fn) => async () => { try { await fn(); showIncident(ref); } catch (e) { msg.textContent = e.message; } };
  const fields = ['origin', 'route', 'cves', 'direct_cause', 'root_cause', 'laws'].filter((k) => cause[k]);
  const lessonRows = ls.lessons.map((l) => {
    const next = l.state === 'open' ? 'implemented' : l.state === 'implemented' ? 'verified' : null;
    return el('tr', { 'data-lesson': l.id }, el('td', {}, l.id), el('td', {}, l.lesson), el('td', {}, l.action),
      el('td', {}, l.owner || '-'), el('td', {}, l.due || '-'), el('td', { class: 'state' }, l.state),
      el('td', {}, writer() && next ? el('button', { type: 'button', class: 'lesson-next', onclick: act(() =>
        api('PATCH', `/incidents/${enc(incRef)}/lessons/${enc(l.id)}`, { state: next })) }, t(next === 'implemented' ? 'implemented' : 'verified_l')) : ''));
  });
  const crit = el('ul', { id: 'end-criteria' }, ...end.criteria.map((k) => el('li', { class: k.ok ? 'muted' : 'late', 'data-key': k.key },
    k.ok ? '✓ ' : '✗ ', pick(k.detail))));
  return el('details', { class: 'card', id: 'cause' }, el('summary', {}, t('cause_lessons')),
    fields.length ? el('table', {}, el('tbody', {}, ...fields.map((k) => el('tr', {}, el('th', {}, t(k)), el('td', {}, cause[k]))))) : '',
    el('h3', {}, t('lessons')), lessonRows.length ? el('table', { id: 'lessons' }, el('tbody', {}, ...lessonRows)) : '',
    el('h3', {}, t('end_recovery'), end.declared_by ? ` — ${t('declared')}: ${end.declared_by} ${end.declared_at}` : ''), crit,
    writer() && end.ready && !end.declared_by ? el('button', { type: 'button', class: 'declare', onclick: act(() =>
      api('POST', `/incidents/${enc(incRef)}/recovery/end`, {})) }, t('declare')) : '', msg);
}

// The clocks: overdue first; each open one can be recorded as submitted (with a copy of what
// was sent) or not required (with the reason). The personal-data facts that start them.
function clocksCard(inc, dl, ref) {
  const msg = el('p', { class: 'error' });
  const act = (fn) => async () => { try { await fn(); showIncident(ref); } catch (e) { msg.textContent = e.message; } };
  const rows = dl.deadlines.map((d) => {
    const tr = el('tr', { 'data-key': d.key, class: d.overdue ? 'late' : '' }, el('td', {}, pick(d.title)),
      el('td', {}, d.window_start ? `${d.window_start} – ${d.due}` : d.due, d.guide ? ` (${t('guide')})` : ''),
      el('td', { class: 'state' }, d.state), el('td', {}, d.owner || d.owner_role || '-'),
      el('td', { class: 'muted' }, [d.decided_by, d.reason, d.copy_sha256 && `SHA-256 ${d.copy_sha256.slice(0, 12)}…`].filter(Boolean).join(' / ')));
    if (writer() && (d.state === 'open' || d.state === 'to-decide')) {
      const copy = el('textarea', { name: 'copy', placeholder: t('copy') });
      const reason = el('input', { name: 'reason', placeholder: t('reason') });
      tr.append(el('td', {}, el('details', {}, el('summary', {}, t('submit')), copy,
          el('button', { type: 'button', class: 'submit', onclick: act(() =>
            api('POST', `/incidents/${enc(inc.ref)}/deadlines/${enc(d.key)}/submit`, { copy: copy.value })) }, t('submit'))),
        el('details', {}, el('summary', {}, t('waive')), reason,
          el('button', { type: 'button', class: 'waive', onclick: act(() =>
            api('POST', `/incidents/${enc(inc.ref)}/deadlines/${enc(d.key)}/waive`, { reason: reason.value || null })) }, t('waive')))));
    }
    return tr;
  });
  const pd = inc.personal_data;
  const tri = (name, v) => {
    const e = select(name, ['', 'yes', 'no']);
    [...e.options].forEach((o) => { o.textContent = t(o.value || 'unknown'); });
    e.value = v === true ? 'yes' : v === false ? 'no' : '';
    return e;
  };
  const count = el('input', { name: 'pii_count', type: 'number', min: '0', value: pd.count ?? '' });
  const flags = { pii_sensitive: tri('pii_sensitive', pd.sensitive), pii_financial: tri('pii_financial', pd.financial),
                  pii_unlawful: tri('pii_unlawful', pd.unlawful), pii_eu: tri('pii_eu', pd.eu) };
  const form = el('form', { class: 'edit', id: 'pii' }, el('label', {}, t('pii_count'), ' ', count),
    ...Object.entries(flags).map(([k, e]) => el('label', {}, t(k), ' ', e)), el('button', { type: 'submit' }, t('save')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = {};
    if (count.value !== '') body.pii_count = Number(count.value);
    for (const [k, e] of Object.entries(flags)) if (e.value) body[k] = e.value === 'yes';
    act(() => api('PATCH', `/incidents/${enc(inc.ref)}`, body, inc.rev))();
  });
  return el('details', { class: 'card', id: 'clocks', open: '' },
    el('summary', {}, `${t('clocks')} (${dl.deadlines.filter((d) => d.overdue).length} ${t('clock_late')})`),
    rows.length ? el('table', { id: 'deadlines' }, el('tbody', {}, ...rows)) : '',
    writer() ? el('details', {}, el('summary', {}, t('pii')), form) : '', msg);
}

// The outside reporters and every contact with them (the acknowledgement clock's facts).
function reportersCard(incRef, rep, ref) {
  const msg = el('p', { class: 'error' });
  const act = (fn) => async () => { try { await fn(); showIncident(ref); } catch (e) { msg.textContent = e.message; } };
  const items = rep.reporters.map((r) => {
    const summary = el('input', { name: 'summary', placeholder: t('summary') });
    const dir = select('direction', ['out', 'in']);
    [...dir.options].forEach((o) => { o.textContent = t(o.value === 'out' ? 'contact_out' : 'contact_in'); });
    return el('div', { class: 'reporter', 'data-reporter': r.id },
      el('p', {}, `${r.id} ${r.name} (${r.channel}${r.contact ? ', ' + r.contact : ''}) ${r.at}`),
      el('ul', {}, ...r.contacts.map((k) => el('li', {}, `${k.at} ${k.direction === 'out' ? '→' : '←'} `, k.summary))),
      writer() ? el('p', {}, dir, ' ', summary, ' ', el('button', { type: 'button', class: 'contact', onclick: act(() =>
        api('POST', `/incidents/${enc(incRef)}/reporters/${enc(r.id)}/contacts`, { direction: dir.value, channel: r.channel, summary: summary.value || null })) }, t('record'))) : '');
  });
  const name = el('input', { name: 'name' });
  const contact = el('input', { name: 'contact' });
  const channel = select('channel', ['email', 'web', 'phone', 'other']);
  const at = el('input', { name: 'at', placeholder: '2026-11-26T09:00' });
  const add = el('form', { class: 'edit', id: 'reporter-add' }, el('label', {}, t('name'), ' ', name),
    el('label', {}, t('contact'), ' ', contact), el('label', {}, t('channel'), ' ', channel),
    el('label', {}, t('reported_at'), ' ', at), el('button', { type: 'submit' }, t('add')));
  add.addEventListener('submit', (ev) => { ev.preventDefault(); act(() => api('POST', `/incidents/${enc(incRef)}/reporters`,
    { name: name.value || null, contact: contact.value || null, channel: channel.value, at: at.value || null }))(); });
  if (!items.length && !writer()) return '';
  return el('details', items.length ? { class: 'card', id: 'reporters', open: '' } : { class: 'card', id: 'reporters' },
    el('summary', {}, `${t('reporters')} (${items.length})`), ...items,
    writer() ? el('details', {}, el('summary', {}, t('add_reporter')), add) : '', msg);
}

// The damage and cost ledger: totals, each party's share, the entries with how they were computed.
function damageCard(d) {
  if (!d.entries.length) return '';
  const yen = (n) => `${Number(n).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US')} ${d.currency}`;
  const rows = [['direct', d.direct], ['indirect', d.indirect], ['costs', d.costs], ['total', d.total]]
    .map(([k, v]) => el('tr', { 'data-key': k }, el('th', {}, t(k)), el('td', { class: 'num' }, yen(v))));
  for (const [p, v] of Object.entries(d.by_party))
    rows.push(el('tr', { 'data-party': p }, el('th', {}, `${t('borne_by')}: `, p), el('td', { class: 'num' }, yen(v))));
  if (d.unallocated && Object.keys(d.by_party).length)
    rows.push(el('tr', {}, el('th', {}, t('unallocated')), el('td', { class: 'num' }, yen(d.unallocated))));
  const entries = d.entries.map((e) => el('tr', { 'data-entry': e.id }, el('td', {}, e.id), el('td', {}, pick(e.label)),
    el('td', { class: 'num' }, `${Number(e.amount).toLocaleString()} ${e.currency}`),
    el('td', {}, e.split.map((x) => `${x.party} ${x.percent}%`).join(', ')),
    el('td', { class: 'muted' }, [e.description, e.basis].filter(Boolean).join(' / '))));
  return el('details', { class: 'card', id: 'damage', open: '' }, el('summary', {}, `${t('damage')}: ${yen(d.total)}`),
    el('table', { id: 'damage-summary' }, el('tbody', {}, ...rows)),
    el('table', { id: 'damage-entries' }, el('tbody', {}, ...entries)));
}

// Documents from the templates: a preview with the data still missing, the file to download
// in each format, a draft saved into the statements; and the case exported to share.
function documentsCard(incRef, tpls, ref) {
  const msg = el('p', { class: 'error' });
  const name = el('select', { name: 'template' },
    ...tpls.templates.map((x) => el('option', { value: x.name }, `${pick(x.title)} (${x.name})`)));
  const dlang = el('select', { name: 'doc_lang' }, el('option', { value: 'ja' }, t('lang_ja')), el('option', { value: 'en' }, t('lang_en')));
  dlang.value = lang;
  const format = select('format', tpls.formats, 'md');
  const base = () => `/api/v1/incidents/${enc(incRef)}/documents/${enc(name.value)}?lang=${dlang.value}&format=${format.value}`;
  const download = el('a', { class: 'button', id: 'doc-download' }, t('download'));
  const sync = () => download.setAttribute('href', base() + '&download=1');
  for (const x of [name, dlang, format]) x.addEventListener('change', sync);
  sync();
  const missing = el('p', { class: 'late', id: 'doc-missing' });
  const preview = el('pre', { id: 'doc-preview' });
  const show = async () => {
    msg.textContent = '';
    try {
      const d = await api('GET', base().slice('/api/v1'.length));
      missing.textContent = d.missing.length ? `${t('missing')}: ${d.missing.join(', ')}` : '';
      preview.textContent = d.text;
    } catch (e) { msg.textContent = e.message; }
  };
  const save = el('button', { type: 'button', id: 'doc-save', onclick: async () => {
    try {
      const d = await api('POST', `/incidents/${enc(incRef)}/documents/${enc(name.value)}`, { lang: dlang.value });
      await showIncident(ref);
      const m = $('#doc-msg');
      if (m) m.textContent = `${t('saved_as')} ${d.saved_as}`;
    } catch (e) { msg.textContent = e.message; }
  } }, t('save_draft'));
  const exp = (f) => el('a', { class: 'button', id: `export-${f}`,
    href: `/api/v1/incidents/${enc(incRef)}/export?format=${f}&download=1` }, f === 'veris' ? 'VERIS 1.4' : 'STIX 2.1');
  // documents may name affected users: responders and up draft them; everyone may export
  return el('details', { class: 'card', id: 'documents' }, el('summary', {}, writer() ? t('documents') : t('share')),
    ...(writer() ? [el('p', {}, el('label', {}, t('template'), ' ', name), ' ', el('label', {}, t('doc_lang'), ' ', dlang), ' ',
      el('label', {}, t('format'), ' ', format)),
    el('p', {}, el('button', { type: 'button', id: 'doc-preview-btn', onclick: show }, t('preview')), ' ', download, ' ', save),
    el('p', { class: 'muted', id: 'doc-msg' }), missing, preview, el('h3', {}, t('share'))] : []),
    el('p', {}, exp('veris'), ' ', exp('stix')), msg);
}

// Closed incidents and their lessons, for the next team (事例を共有しよう).
async function showCases() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const q = params.get('search') || '';
  const c = await api('GET', '/cases' + (q ? `?search=${enc(q)}` : ''));
  const search = el('input', { name: 'search', value: q, placeholder: t('search') });
  const form = el('form', { id: 'cases-search' }, search, ' ', el('button', { type: 'submit' }, t('search')));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = `#/cases?search=${enc(search.value)}`; });
  const rows = c.cases.map((x) => el('div', { class: 'case', 'data-ref': x.ref },
    el('h2', {}, el('a', { href: '#/incident/' + enc(x.ref) }, x.ref), ' ', x.title),
    el('p', { class: 'muted' }, `${x.kind} / ${t('discovered')}: ${x.discovered_at} / ${t('closed_at')}: ${x.closed_at || '-'}`),
    x.root_cause ? el('p', {}, `${t('root_cause')}: `, x.root_cause) : '',
    el('ul', {}, ...x.lessons.map((l) => el('li', {}, l)))));
  $('#main').replaceChildren(el('div', { class: 'card wide', id: 'cases' }, el('h1', {}, t('cases')), form,
    rows.length ? '' : el('p', {}, t('no_cases')), ...rows));
}

// Evidence kept with the incident; a record's files (SHA-256) and query shown when opened.
function evidenceCard(incRef, ev) {
  if (!ev.evidence.length) return '';
  return el('details', { class: 'card', id: 'evidence' }, el('summary', {}, `${t('evidence')} (${ev.evidence.length})`),
    ...ev.evidence.map((e) => {
      const d = el('details', { 'data-evidence': `E${e.id}` }, el('summary', {}, `E${e.id} ${e.kind} ${e.created_at || ''} ${e.created_by}`));
      d.addEventListener('toggle', async () => {
        if (!d.open || d.dataset.loaded) return;
        d.dataset.loaded = '1';
        try {
          const full = await api('GET', `/incidents/${enc(incRef)}/evidence/E${e.id}`);
          d.append(el('pre', {}, JSON.stringify(full, null, 2)));
        } catch (err) { d.append(el('p', { class: 'error' }, err.message)); }
      });
      return d;
    }));
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

// Reports from the public /report page: attach one to an incident, open a new incident from
// it, or dismiss it with the reason. Each shows its acknowledgement clock.
async function showIntake() {
  const q = await api('GET', '/intake');
  const msg = el('p', { class: 'error' });
  const act = (fn) => async () => { try { await fn(); showIntake(); } catch (e) { msg.textContent = e.message; } };
  const cards = q.reports.map((x) => {
    const incident = el('input', { name: 'incident', placeholder: 'INC-2026-0001' });
    const title = el('input', { name: 'title', placeholder: t('title') });
    const kind = select('kind', KINDS, 'vulnerability-report');
    const reason = el('input', { name: 'reason', placeholder: t('reason') });
    return el('div', { class: 'card report', 'data-ref': x.ref },
      el('h2', {}, `${x.ref} `, el('span', { class: x.overdue ? 'late' : 'muted' }, `${t('ack_due')}: ${x.ack_due}`)),
      el('p', { class: 'muted' }, `${t('received')}: ${x.received_at} / ${x.name || '-'} / ${x.contact}`),
      el('pre', {}, x.text),
      el('p', {}, incident, ' ', el('button', { type: 'button', class: 'attach', onclick: act(() =>
        api('POST', `/intake/${enc(x.ref)}/attach`, { incident: incident.value })) }, t('attach'))),
      el('p', {}, title, ' ', kind, ' ', el('button', { type: 'button', class: 'open', onclick: act(async () => {
        const inc = await api('POST', `/intake/${enc(x.ref)}/open`, { title: title.value || null, kind: kind.value });
        location.hash = '#/incident/' + enc(inc.ref);
      }) }, t('open_incident'))),
      el('p', {}, reason, ' ', el('button', { type: 'button', class: 'dismiss', onclick: act(() =>
        api('POST', `/intake/${enc(x.ref)}/dismiss`, { reason: reason.value || null })) }, t('dismiss'))));
  });
  $('#main').replaceChildren(el('div', { class: 'card' }, el('h1', {}, t('intake')), cards.length ? '' : el('p', {}, t('none_reports')), msg),
    ...cards);
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
    $('#intake-link').hidden = !writer();
    const m = location.hash.match(/^#\/incident\/(.+)$/);
    if (m) await showIncident(decodeURIComponent(m[1]));
    else if (location.hash === '#/users' && me.role === 'admin') await showUsers();
    else if (location.hash === '#/approvals') await showApprovals();
    else if (location.hash.startsWith('#/cases')) await showCases();
    else if (location.hash === '#/intake' && writer()) await showIntake();
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
