// The public report page (/report): no sign-in; the text goes to the server as JSON and the
// answer (a reference number and an acknowledgement) is shown with textContent.
'use strict';
let lang = localStorage.getItem('fk-lang') || (navigator.language.startsWith('en') ? 'en' : 'ja');
const $ = (s) => document.querySelector(s);
let ack = null;

function translate() {
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll('[data-ja]')) e.textContent = e.dataset[lang];
  $('#lang').textContent = lang === 'ja' ? 'English' : '日本語';
  if (ack) $('#ack').textContent = ack[lang];
}

$('#lang').addEventListener('click', () => {
  lang = lang === 'ja' ? 'en' : 'ja';
  localStorage.setItem('fk-lang', lang);
  translate();
});

$('#report').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  const err = f.querySelector('.error');
  err.textContent = '';
  try {
    const res = await fetch('/api/v1/intake', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Language': lang },
      body: JSON.stringify({ name: f.name.value || null, contact: f.contact.value, text: f.text.value }),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((data.error && data.error.message) || res.statusText);
    ack = data.acknowledgement;
    $('#ref').textContent = data.ref;
    f.hidden = true;
    $('#thanks').hidden = false;
    translate();
  } catch (e) {
    err.textContent = e.message;
  }
});
translate();
