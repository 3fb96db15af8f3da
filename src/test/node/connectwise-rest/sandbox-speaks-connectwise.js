// Drives the local ConnectWise sandbox with connectwise-rest (ManageAPI), a client written by others against the
// real ConnectWise Manage REST API: where the package and the sandbox disagree, the sandbox is the suspect.
// Run by io.cwbridge.sandbox.ConnectWiseRestClientTest; by hand:
//   CW_HOST=localhost:8080 CW_COMPANY=demo_msp CW_PUBLIC=… CW_PRIVATE=… CW_CLIENT=… node sandbox-speaks-connectwise.js
// Prints one line per check and exits with the number of checks that failed.
'use strict';
const { ManageAPI } = require('connectwise-rest');

const env = name => {
  const v = process.env[name];
  if (!v) throw new Error(name + ' is not set');
  return v;
};
const options = {
  companyId: env('CW_COMPANY'), publicKey: env('CW_PUBLIC'), privateKey: env('CW_PRIVATE'), clientId: env('CW_CLIENT'),
  companyUrl: env('CW_HOST') + '/cw-sandbox', entryPoint: 'v4_6_release', logger: () => {},
};

let last = {};
/** A client; the package always builds https:// URLs and the sandbox serves http, so only the scheme is changed. */
function client(opts) {
  const cw = new ManageAPI(opts);
  for (const api of [cw, cw.CompanyAPI, cw.FinanceAPI, cw.ProcurementAPI, cw.SystemAPI]) {
    api.instance.defaults.baseURL = api.instance.defaults.baseURL.replace(/^https:/, 'http:');
    api.instance.interceptors.response.use(r => { last = { status: r.status, headers: r.headers }; return r; },
      e => { last = { status: e.response && e.response.status, headers: (e.response && e.response.headers) || {} }; return Promise.reject(e); });
  }
  return cw;
}

let failed = 0, passed = 0;
/** Runs one call; {@code expect(error, answer, response)} answers true, or a string saying what was wrong. */
async function check(name, call, expect) {
  let answer, error;
  try { answer = await call(); } catch (e) { error = e; }
  let verdict;
  try { verdict = expect(error, answer, last); } catch (e) { verdict = 'check threw ' + e.message; }
  if (verdict === true) {
    passed++;
    console.log('ok    ' + name);
  } else {
    failed++;
    const body = JSON.stringify(error ? (error.data !== undefined ? error.data : error.message) : answer);
    console.log('FAIL  ' + name + ': ' + (verdict || 'unexpected answer') + ' [status ' + (error ? error.status : last.status) + '] '
      + (body && body.length > 400 ? body.slice(0, 400) + '…' : body));
  }
  return answer;
}
const status = s => (e, a, r) => (!e && r.status === s) || ('expected ' + s);
/** A ConnectWise error answer: the status, {code, message} and, for 400, field-level errors. */
const refused = (s, code) => e => {
  if (!e) return 'expected ' + s + ', the call succeeded';
  if (e.status !== s) return 'expected ' + s;
  if (!e.data || typeof e.data.code !== 'string' || typeof e.data.message !== 'string') return 'no {code, message} body';
  if (code && e.data.code !== code) return 'expected code ' + code;
  return true;
};

(async () => {
  const cw = client(options);
  const C = cw.CompanyAPI, F = cw.FinanceAPI, P = cw.ProcurementAPI;
  const tag = Date.now().toString(36).toUpperCase();

  await check('system/info answers the version', () => cw.SystemAPI.getSystemInfo(), (e, a) => (!e && typeof a.version === 'string') || 'no version');
  await check('a wrong private key is 401', () => client({ ...options, privateKey: 'wrong' }).SystemAPI.getSystemInfo(), refused(401));

  // companies: create, read, conditions, count, patch, fields, delete
  const company = await check('POST company/companies is 201 with an id', () => C.postCompanyCompanies({ identifier: 'Rest' + tag, name: 'Rest ' + tag,
    addressLine1: '1 Main St', city: 'Tampa', state: 'FL', zip: '33601' }), (e, a, r) => (!e && r.status === 201 && a.id > 0) || 'no 201 with id');
  await check('GET company by id', () => C.getCompanyCompaniesById(company.id), (e, a) => (!e && a.id === company.id && a.name === 'Rest ' + tag) || 'other record');
  await check('conditions identifier="…" find it', () => C.getCompanyCompanies({ conditions: 'identifier="Rest' + tag + '"' }),
    (e, a) => (!e && a.length === 1 && a[0].id === company.id) || 'not found once');
  // Developer Guide "PSA API Requests", Conditions: a string after = "Accepts * for wildcards".
  await check('conditions name="Rest *" is a wildcard after =', () => C.getCompanyCompanies({ conditions: 'name="Rest *' + tag.slice(-3) + '"' }),
    (e, a) => (!e && a.some(x => x.id === company.id)) || 'not found by wildcard');
  await check('count with conditions', () => C.getCompanyCompaniesCount({ conditions: 'identifier="Rest' + tag + '"' }), (e, a) => (!e && a.count === 1) || 'count ' + (a && a.count));
  await check('fields=id,name answers those', () => C.getCompanyCompanies({ conditions: 'id=' + company.id, fields: 'id,name' }),
    (e, a) => (!e && a.length === 1 && Object.keys(a[0]).every(k => ['id', 'name', '_info'].includes(k))) || 'other fields');
  await check('PATCH replace city', () => C.patchCompanyCompaniesById(company.id, [{ op: 'replace', path: 'city', value: 'Miami' }]),
    (e, a) => (!e && a.city === 'Miami') || 'city not replaced');
  await check('a missing company is 404', () => C.getCompanyCompaniesById(99999999), refused(404));
  await check('a malformed condition is 400', () => C.getCompanyCompanies({ conditions: 'name = = "x' }), refused(400));

  // catalog and agreement
  const item = await check('POST procurement/catalog is 201', () => P.postProcurementCatalog({ identifier: 'REST-' + tag, description: 'Rest item',
    customerDescription: 'Rest item', subcategory: { name: 'Cloud Licensing' }, type: { name: 'Subscription' }, price: 36, cost: 30.6 }),
    (e, a, r) => (!e && r.status === 201 && a.id > 0) || 'no 201 with id');
  const agreement = await check('POST finance/agreements is 201', () => F.postFinanceAgreements({ name: 'Rest cloud ' + tag, type: { name: 'Cloud Services' },
    company: { id: company.id }, contact: { name: 'Billing Contact' }, startDate: '2024-01-01T00:00:00Z', billingCycle: { name: 'Monthly' } }),
    (e, a, r) => (!e && r.status === 201 && a.id > 0) || 'no 201 with id');
  await check('agreements by company/id', () => F.getFinanceAgreements({ conditions: 'company/id=' + company.id }),
    (e, a) => (!e && a.length === 1 && a[0].id === agreement.id && a[0].company.id === company.id) || 'not the agreement');
  await check('an agreement without its required fields is 400 InvalidObject with fields', () => F.postFinanceAgreements({ name: 'x' }),
    e => refused(400, 'InvalidObject')(e) === true && Array.isArray(e.data.errors) && e.data.errors.length > 0 && e.data.errors.every(x => x.field)
      || 'no field-level errors');

  // additions: as the bundle writes and reads them
  const ids = [];
  for (const q of [2, 4, 6]) {
    const a = await check('POST addition of ' + q + ' is 201 with extPrice', () => F.postFinanceAgreementsByParentIdAdditions(agreement.id, {
      product: { id: item.id }, billCustomer: 'Billable', quantity: q, unitPrice: 22, unitCost: 18.7, effectiveDate: '2024-03-15T00:00:00Z',
      description: 'Rest ' + q }), (e, a, r) => (!e && r.status === 201 && a.id > 0 && Math.abs(a.extPrice - q * 22) < 0.005 && a.agreementId === agreement.id)
      || 'no 201 with extPrice ' + q * 22);
    if (a) ids.push(a.id);
  }
  await check('GET addition by id', () => F.getFinanceAgreementsByParentIdAdditionsById(ids[0], agreement.id),
    (e, a) => (!e && a.id === ids[0] && a.product.id === item.id) || 'other record');
  await check('additions by product/id, orderBy quantity desc', () => F.getFinanceAgreementsByParentIdAdditions(agreement.id,
    { conditions: 'product/id=' + item.id, orderBy: 'quantity desc' }), (e, a) => (!e && a.map(x => x.quantity).join() === '6,4,2') || 'order ' + (a && a.map(x => x.quantity)));
  await check('page 1 of 2 has a Link to the next', () => F.getFinanceAgreementsByParentIdAdditions(agreement.id, { pageSize: 2, page: 1 }),
    (e, a, r) => (!e && a.length === 2 && /rel="next"/.test(r.headers.link || '')) || 'no next link');
  await check('paginate() collects every addition', () => cw.paginate(F.getFinanceAgreementsByParentIdAdditions, { pageSize: 2 }, agreement.id, {}),
    (e, a) => (!e && a.length === 3 && new Set(a.map(x => x.id)).size === 3) || 'rows ' + (a && a.length));
  await check('count of additions', () => F.getFinanceAgreementsByParentIdAdditionsCount(agreement.id, {}), (e, a) => (!e && a.count === 3) || 'count');
  await check('PATCH replace quantity', () => F.patchFinanceAgreementsByParentIdAdditionsById(ids[0], agreement.id, [{ op: 'replace', path: 'quantity', value: 9 }]),
    (e, a) => (!e && a.quantity === 9 && Math.abs(a.extPrice - 198) < 0.005) || 'quantity or extPrice');
  await check('PATCH cancelledDate ends the addition', () => F.patchFinanceAgreementsByParentIdAdditionsById(ids[1], agreement.id,
    [{ op: 'replace', path: 'cancelledDate', value: '2024-03-31T00:00:00Z' }]), (e, a) => (!e && /^2024-03-31/.test(a.cancelledDate)) || 'not cancelled');
  await check('conditions cancelledDate=null leave the ended one out', () => F.getFinanceAgreementsByParentIdAdditions(agreement.id, { conditions: 'cancelledDate=null' }),
    (e, a) => (!e && a.length === 2 && !a.some(x => x.id === ids[1])) || 'rows ' + (a && a.map(x => x.id)));
  await check('conditions on a date in brackets', () => F.getFinanceAgreementsByParentIdAdditions(agreement.id, { conditions: 'cancelledDate<[2024-04-01T00:00:00Z]' }),
    (e, a) => (!e && a.length === 1 && a[0].id === ids[1]) || 'rows ' + (a && a.map(x => x.id)));
  await check('an effective date before the agreement starts is 400', () => F.postFinanceAgreementsByParentIdAdditions(agreement.id, {
    product: { id: item.id }, billCustomer: 'Billable', quantity: 1, unitPrice: 22, effectiveDate: '2023-12-01T00:00:00Z' }), refused(400));
  await check('an addition without product and billCustomer is 400 with fields', () => F.postFinanceAgreementsByParentIdAdditions(agreement.id, { quantity: 1 }),
    e => refused(400, 'InvalidObject')(e) === true && e.data.errors.every(x => x.field) || 'no field-level errors');
  await check('a PATCH of an unknown field is 400', () => F.patchFinanceAgreementsByParentIdAdditionsById(ids[0], agreement.id,
    [{ op: 'replace', path: 'noSuchField', value: 3 }]), refused(400));
  await check('an addition without unit price takes the catalog item\'s', () => F.postFinanceAgreementsByParentIdAdditions(agreement.id, {
    product: { id: item.id }, billCustomer: 'Billable', quantity: 1, effectiveDate: '2024-03-01T00:00:00Z' }),
    (e, a) => (!e && a.unitPrice === 36 && a.unitCost === 30.6) || 'unit price ' + (a && a.unitPrice));
  await check('DELETE addition is 204', () => F.deleteFinanceAgreementsByParentIdAdditionsById(ids[2], agreement.id), status(204));
  await check('a deleted addition is 404', () => F.getFinanceAgreementsByParentIdAdditionsById(ids[2], agreement.id), refused(404));
  await check('an unknown endpoint is 404', () => cw.request({ path: '/company/nosuch', method: 'get' }), refused(404));

  console.log(passed + ' passed, ' + failed + ' failed');
  process.exit(failed);
})().catch(e => {
  console.log('FAIL  the check stopped: ' + (e && e.stack || e));
  process.exit(100);
});
