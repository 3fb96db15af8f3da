// Mapping workbench page: plain JS over the bundle's own API (/api/v1/partners/{p}/...). No build step.
// Every value from the API is written with textContent, never as HTML.
(function () {
  'use strict';

  const PAGE = 25;
  const state = { partner: 'demo', list: 'customers', offset: 0 };
  const $ = (id) => document.getElementById(id);

  const LISTS = {
    customers: {
      id: 'customerId', link: 'companyId', linkLabel: 'Company', create: true, candidates: true,
      columns: [['Customer', r => r.name + ' (' + r.customerId + ')'], ['Subscriptions', r => r.subscriptions]],
      body: v => ({ companyId: v })
    },
    products: {
      id: 'productId', link: 'catalogItemId', linkLabel: 'Catalog item', create: true, candidates: true,
      columns: [['Product', r => (r.plan || r.name || '') + ' (' + r.productId + ')'], ['Part number', r => r.mfgPartNumber || ''],
        ['Provider', r => r.provider || '']],
      body: v => ({ catalogItemId: v })
    },
    subscriptions: {
      id: 'subscriptionId', link: 'agreementId', linkLabel: 'Agreement', create: false, candidates: false,
      columns: [['Subscription', r => r.subscriptionId], ['Customer', r => r.customerName || r.customerId],
        ['Product', r => r.productName || r.productId], ['Qty', r => r.quantity],
        ['Value', r => (r.value == null ? '' : money(r.value) + ' ' + (r.currency || ''))],
        ['Additions', r => (r.additionIds || []).join(', ')]],
      body: v => (v ? { agreementId: v } : {})
    }
  };

  // JSON.parse drops trailing zeros of the API's scale-2 decimals; show them again (display only).
  const money = (v) => (v == null ? '' : Number(v).toFixed(2));

  function base() {
    return '/api/v1/partners/' + encodeURIComponent(state.partner);
  }

  // With the prod login the session's changes carry Spring Security's CSRF token (cookie XSRF-TOKEN).
  function csrfToken() {
    const cookie = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='));
    return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : null;
  }

  async function call(method, path, body) {
    const init = { method, headers: { 'Accept': 'application/json' } };
    const token = method === 'GET' ? null : csrfToken();
    if (token) {
      init.headers['X-XSRF-TOKEN'] = token;
    }
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(base() + path, init);
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const errors = data && data.errors ? data.errors.map(e => e.field + ': ' + e.message).join('; ') : '';
      const failure = new Error((data && data.detail ? data.detail : response.status) + (errors ? ' — ' + errors : ''));
      failure.problem = data || { status: response.status };
      throw failure;
    }
    return data;
  }

  function say(text, error) {
    const m = $('message');
    m.textContent = text;
    m.className = error ? 'error' : '';
  }

  async function loadSummary() {
    const s = await call('GET', '/summary');
    $('tile-unmapped-customers').textContent = s.unmappedCustomers;
    $('tile-unmapped-products').textContent = s.unmappedProducts;
    $('tile-unmapped-subscriptions').textContent = s.unmappedSubscriptions;
    $('tile-failed').textContent = s.customers.FAILED + s.products.FAILED + s.subscriptions.FAILED;
    const byCurrency = Object.entries(s.unsynchronisedRevenueByCurrency || {});
    $('tile-revenue').textContent = byCurrency.length
      ? byCurrency.map(([c, v]) => money(v) + ' ' + c).join(' · ') : money(s.unsynchronisedRevenue);
    // R27: catch-ups of invoiced periods listed for review (or whose adjustment failed), with their amount.
    const c = s.catchUps || { toReview: 0, amountToReview: 0, amountToReviewByCurrency: {} };
    const amounts = Object.entries(c.amountToReviewByCurrency || {});
    $('tile-catch-ups').textContent = c.toReview + (c.toReview ? ' · ' + (amounts.length
      ? amounts.map(([cur, v]) => money(v) + (cur ? ' ' + cur : '')).join(' · ') : money(c.amountToReview)) : '');
  }

  function cell(tr, text, className) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : String(text);
    if (className) td.className = className;
    tr.appendChild(td);
    return td;
  }

  function button(label, className, action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.className = className;
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await action();
      } catch (e) {
        say(e.message, true);
      } finally {
        b.disabled = false;
      }
    });
    return b;
  }

  function itemPath(id) {
    return '/' + state.list + '/' + encodeURIComponent(id);
  }

  async function map(id, body) {
    const sync = $('sync').checked ? '?sync=true' : '';
    const saved = await call('PUT', itemPath(id) + '/mapping' + sync, body);
    const tasks = saved.tasks ? ' — ' + saved.tasks.map(t => 'task ' + t.taskId + ' ' + t.status).join(', ') : '';
    say(id + ' mapped' + tasks);
    await refresh();
  }

  function actions(tr, row, def) {
    const td = cell(tr, '', 'actions');
    const id = row[def.id];
    const input = document.createElement('input');
    input.className = 'link-id';
    input.placeholder = def.linkLabel + ' id';
    input.inputMode = 'numeric';
    const select = document.createElement('select');
    select.className = 'choices';
    select.hidden = true;
    select.addEventListener('change', () => { input.value = select.value; });
    td.appendChild(input);
    td.appendChild(select);
    td.appendChild(button('Map', 'btn-map', () => {
      const value = input.value.trim();
      if (!value && state.list !== 'subscriptions') throw new Error('Enter or choose a ' + def.linkLabel.toLowerCase() + ' id');
      return map(id, def.body(value ? Number(value) : null));
    }));
    if (def.candidates) {
      td.appendChild(button('Candidates', 'btn-candidates', async () => {
        const found = await call('GET', itemPath(id) + '/candidates');
        fill(select, found.map(c => [c.id, c.name + ' (' + c.score + ')']), 'No close names in ConnectWise');
        if (found.length) input.value = found[0].id;
      }));
    } else {
      td.appendChild(button('Agreements', 'btn-agreements', async () => {
        const found = await call('GET', itemPath(id) + '/agreements');
        fill(select, found.map(a => [a.id, a.name + (a.eligible ? '' : ' — ' + a.reason)]), 'The company has no agreements');
        const eligible = found.filter(a => a.eligible);
        if (eligible.length === 1) input.value = eligible[0].id;
      }));
      adoptControls(td, id, input);
      if (row.status !== 'MAPPED') {
        td.appendChild(button('Take over…', 'btn-takeover', () => takeOver(tr, row, input)));
      }
    }
    if (def.create) {
      td.appendChild(button('Create', 'btn-create', () => map(id, { create: true })));
    }
    if (row[def.link] != null) {
      td.appendChild(button('Unmap', 'btn-unmap', async () => {
        await call('DELETE', itemPath(id) + '/mapping');
        say(id + ' unmapped');
        await refresh();
      }));
    }
  }

  // R6: list the additions the subscription could take over as its base line, and adopt one.
  function adoptControls(td, id, agreementInput) {
    const addition = document.createElement('input');
    addition.className = 'addition-id';
    addition.placeholder = 'Addition id';
    addition.inputMode = 'numeric';
    const choices = document.createElement('select');
    choices.className = 'addition-choices';
    choices.hidden = true;
    choices.addEventListener('change', () => { addition.value = choices.value; });
    td.appendChild(addition);
    td.appendChild(choices);
    td.appendChild(button('Additions', 'btn-addition-candidates', async () => {
      const agreement = agreementInput.value.trim();
      const found = await call('GET', itemPath(id) + '/addition-candidates' + (agreement ? '?agreementId=' + encodeURIComponent(agreement) : ''));
      fill(choices, found.map(c => [c.additionId, '#' + c.additionId + ' ' + c.quantity + ' × ' + money(c.unitPrice)
        + ' from ' + c.effectiveDate + ' — ' + (c.description || '') + ' (' + c.score + (c.exact ? ', exact' : '') + ')']),
        'No addition to take over');
      if (found.length) {
        addition.value = found[0].additionId;
        if (!agreement) agreementInput.value = found[0].agreementId;
      }
    }));
    td.appendChild(button('Adopt', 'btn-adopt', () => {
      const agreement = agreementInput.value.trim();
      const value = addition.value.trim();
      if (!value) throw new Error('Enter or choose an addition id');
      const body = { additionId: Number(value) };
      if (agreement) body.agreementId = Number(agreement);
      return map(id, body);
    }));
  }

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = String(text);
    return e;
  }

  // R6 take-over screen: the subscription's addition candidates, ranked, each with Adopt and Cut over.
  async function takeOver(tr, row, agreementInput) {
    const id = row.subscriptionId;
    const open = tr.nextElementSibling;
    if (open && open.classList.contains('takeover')) open.remove();
    const panelRow = element('tr', 'takeover');
    panelRow.dataset.for = id;
    const panel = element('td');
    panel.colSpan = tr.children.length;
    panelRow.appendChild(panel);
    tr.after(panelRow);
    const result = element('div', 'takeover-result');
    result.setAttribute('role', 'status');
    const agreement = agreementInput.value.trim();
    let found;
    try {
      found = await call('GET', itemPath(id) + '/addition-candidates' + (agreement ? '?agreementId=' + encodeURIComponent(agreement) : ''));
    } catch (e) {
      panel.appendChild(problem(result, e));
      return;
    }
    panel.appendChild(element('h3', null, 'Take over ' + id + ': ' + row.quantity + ' licences'
      + (row.value == null ? '' : ', ' + money(row.value) + ' ' + (row.currency || ''))));
    if (!found.length) {
      panel.appendChild(element('p', 'empty', 'No hand-made addition of its catalog item to take over on the agreement; '
        + 'map it to the agreement to bill it on a line of its own.'));
      panel.appendChild(result);
      return;
    }
    panel.appendChild(element('p', 'hint', 'Adopt: the addition becomes the subscription\'s base line as it is. '
      + 'Cut over: the addition ends at the end of the agreement\'s last invoiced period and the bundle bills '
      + 'from the next invoice date on a line of its own, so no day is billed twice or dropped.'));
    const table = element('table', 'candidates');
    const head = element('tr');
    ['#', 'Addition', 'Agreement', 'Catalog item', 'Qty', 'Unit price', 'Effective', 'Description', 'Score', 'Why', '']
      .forEach(h => head.appendChild(element('th', null, h)));
    table.appendChild(head);
    found.forEach((c, i) => {
      const line = element('tr', 'candidate' + (c.exact ? ' exact' : ''));
      line.dataset.additionId = c.additionId;
      [i + 1, c.additionId, (c.agreementName || '') + ' (' + c.agreementId + ')',
        (c.catalogItemIdentifier || '') + (c.catalogItemDescription && c.catalogItemDescription !== c.catalogItemIdentifier
          ? ' — ' + c.catalogItemDescription : ''),
        c.quantity, money(c.unitPrice), c.effectiveDate + (c.cancelledDate ? ' to ' + c.cancelledDate : ''),
        c.description || '', c.score + (c.exact ? ' exact' : '')].forEach(v => cell(line, v));
      const why = cell(line, '', 'reasons');
      const list = element('ul');
      (c.reasons || []).forEach(r => list.appendChild(element('li', null, r)));
      why.appendChild(list);
      const act = cell(line, '', 'actions');
      const body = extra => Object.assign({ agreementId: c.agreementId, additionId: c.additionId }, extra);
      act.appendChild(button('Adopt', 'btn-adopt-candidate', () => settle(tr, result, id, body({}), saved =>
        'Adopted addition ' + saved.adoption.additionId + ' as the base line (' + saved.adoption.lineKey + ').')));
      act.appendChild(button('Cut over', 'btn-cutover', () => settle(tr, result, id, body({ cutover: true }), saved => {
        const cut = saved.cutover;
        return 'Cut over: addition ' + cut.endedAdditionId + (cut.handMade === 'END' ? ' ends on ' + cut.endedOn
          : cut.handMade === 'DELETE' ? ' was never invoiced and is deleted' : ' is left as it is')
          + '; the bundle bills from ' + cut.cutOn + ' on addition ' + cut.baseAdditionId + '.';
      })));
      table.appendChild(line);
    });
    panel.appendChild(table);
    panel.appendChild(result);
  }

  // PUT the mapping; the outcome (or the field errors) is shown in the take-over panel, the row follows.
  async function settle(tr, result, id, body, describe) {
    result.textContent = '';
    try {
      const sync = $('sync').checked ? '?sync=true' : '';
      const saved = await call('PUT', itemPath(id) + '/mapping' + sync, body);
      result.className = 'takeover-result ok';
      result.textContent = describe(saved);
      tr.dataset.status = 'MAPPED';
      const status = tr.querySelector('td.status');
      if (status) {
        status.textContent = 'MAPPED';
        status.className = 'status MAPPED';
      }
      const link = tr.querySelector('td.link');
      if (link) link.textContent = String(saved.agreementId);
      await loadSummary();
    } catch (e) {
      problem(result, e);
    }
  }

  function problem(result, e) {
    result.className = 'takeover-result error';
    result.textContent = '';
    const p = e.problem || {};
    result.appendChild(element('div', 'detail', p.detail || e.message));
    if (p.errors && p.errors.length) {
      const list = element('ul', 'field-errors');
      p.errors.forEach(f => {
        const item = element('li', null, f.field + ': ' + f.message);
        item.dataset.field = f.field;
        list.appendChild(item);
      });
      result.appendChild(list);
    }
    return result;
  }

  // R7: what onboarding the pasted subscriptions would do, per customer (POST …/subscriptions/import?dryRun=true).
  async function onboardingDryRun() {
    const out = $('onboarding-report');
    out.textContent = '';
    let body;
    try {
      body = JSON.parse($('onboarding-input').value);
    } catch (e) {
      out.appendChild(element('p', 'error', 'The subscriptions are not JSON: ' + e.message));
      return;
    }
    let report;
    try {
      report = await call('POST', '/subscriptions/import?dryRun=true', body);
    } catch (e) {
      const box = element('div');
      out.appendChild(problem(box, e));
      return;
    }
    const counts = report.counts || {};
    out.appendChild(element('p', 'totals', 'Dry run, nothing saved: ' + report.imported + ' subscriptions — create '
      + (counts.CREATE || 0) + ', adopt ' + (counts.ADOPT || 0) + ', leave ' + (counts.LEAVE || 0) + '.'));
    report.customers.forEach(c => {
      const section = element('section', 'onboarding-customer');
      section.dataset.customerId = c.customerId;
      section.appendChild(element('h3', null, (c.customerName || c.customerId) + ' (' + c.customerId + ')'));
      const table = element('table');
      const head = element('tr');
      ['Subscription', 'Action', 'Agreement', 'Addition', 'Reason'].forEach(h => head.appendChild(element('th', null, h)));
      table.appendChild(head);
      c.subscriptions.forEach(i => {
        const tr = element('tr');
        tr.dataset.subscriptionId = i.subscriptionId;
        tr.dataset.action = i.action;
        cell(tr, i.subscriptionId);
        cell(tr, i.action, 'action ' + i.action);
        cell(tr, i.agreementId == null ? '' : i.agreementId);
        cell(tr, i.additionId == null ? '' : i.additionId);
        cell(tr, i.reason || '');
        table.appendChild(tr);
      });
      section.appendChild(table);
      out.appendChild(section);
    });
  }

  function fill(select, options, empty) {
    select.textContent = '';
    const first = document.createElement('option');
    first.value = '';
    first.textContent = options.length ? 'choose…' : empty;
    select.appendChild(first);
    options.forEach(([value, label]) => {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = label;
      select.appendChild(o);
    });
    select.hidden = false;
  }

  let listRequests = 0;

  async function loadList() {
    const def = LISTS[state.list];
    const params = new URLSearchParams({ limit: PAGE, offset: state.offset });
    if ($('status').value) params.set('status', $('status').value);
    if ($('q').value.trim()) params.set('q', $('q').value.trim());
    const request = ++listRequests;
    const page = await call('GET', '/' + state.list + '?' + params);
    // A tab clicked while an earlier list was loading: that earlier answer must not replace the newer list.
    if (request !== listRequests) return;
    const head = $('list-head');
    head.textContent = '';
    def.columns.map(c => c[0]).concat(['Status', def.linkLabel, 'Last sync', 'Actions']).forEach(h => {
      const th = document.createElement('th');
      th.textContent = h;
      head.appendChild(th);
    });
    const rows = $('rows');
    rows.textContent = '';
    page.items.forEach(row => {
      const tr = document.createElement('tr');
      tr.dataset.id = row[def.id];
      tr.dataset.status = row.status;
      def.columns.forEach(c => cell(tr, c[1](row)));
      const status = cell(tr, row.status, 'status ' + row.status);
      if (row.reason) {
        const reason = document.createElement('div');
        reason.className = 'reason';
        reason.textContent = row.reason;
        status.appendChild(reason);
      }
      cell(tr, row[def.link] == null ? '' : row[def.link], 'link');
      cell(tr, row.lastSyncAt ? row.lastSyncAt.replace('T', ' ').replace(/\..*Z|Z/, ' UTC') : '');
      actions(tr, row, def);
      rows.appendChild(tr);
    });
    const to = Math.min(state.offset + page.items.length, page.total);
    $('page-info').textContent = (page.total ? state.offset + 1 : 0) + '–' + to + ' of ' + page.total
      + ' (mapped ' + page.counts.MAPPED + ', unmapped ' + page.counts.UNMAPPED + ', failed ' + page.counts.FAILED + ')';
    $('prev').disabled = state.offset === 0;
    $('next').disabled = to >= page.total;
  }

  async function refresh() {
    await Promise.all([loadSummary(), loadList()]);
    document.body.dataset.loaded = String(Date.now());
  }

  async function safely(work) {
    try {
      await work();
    } catch (e) {
      say(e.message, true);
    }
  }

  async function autoMap(dryRun) {
    const report = await call('POST', '/auto-map' + (dryRun ? '?dryRun=true' : ''));
    const pre = $('report');
    pre.hidden = false;
    pre.textContent = JSON.stringify(report.counts, null, 2) + '\n' + ['customers', 'products', 'subscriptions']
      .flatMap(k => report[k].map(i => k + ' ' + i.id + ' ' + i.outcome + (i.linkedId ? ' → ' + i.linkedId : '')
        + (i.additionId ? ' adopts addition ' + i.additionId : '') + ' ' + (i.reason || '')))
      .join('\n');
    say(dryRun ? 'Dry run: nothing was saved' : 'Auto-map done');
    if (!dryRun) await refresh();
  }

  document.addEventListener('DOMContentLoaded', () => {
    const fromUrl = new URLSearchParams(location.search).get('partner');
    if (fromUrl) $('partner').value = fromUrl;
    state.partner = $('partner').value;
    $('partner-form').addEventListener('submit', e => {
      e.preventDefault();
      state.partner = $('partner').value.trim();
      state.offset = 0;
      safely(refresh);
    });
    document.querySelectorAll('#tabs button').forEach(b => b.addEventListener('click', () => {
      document.querySelectorAll('#tabs button').forEach(x => x.classList.toggle('active', x === b));
      state.list = b.dataset.list;
      state.offset = 0;
      safely(loadList);
    }));
    $('status').addEventListener('change', () => { state.offset = 0; safely(loadList); });
    $('q').addEventListener('input', () => { state.offset = 0; safely(loadList); });
    $('prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); safely(loadList); });
    $('next').addEventListener('click', () => { state.offset += PAGE; safely(loadList); });
    $('auto-map-dry').addEventListener('click', () => safely(() => autoMap(true)));
    $('auto-map').addEventListener('click', () => safely(() => autoMap(false)));
    $('onboarding-dry').addEventListener('click', () => safely(onboardingDryRun));
    $('onboarding-file').addEventListener('change', async () => {
      const file = $('onboarding-file').files[0];
      if (file) $('onboarding-input').value = await file.text();
    });
    safely(refresh);
  });
})();
