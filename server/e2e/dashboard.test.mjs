// End-to-end tests of the coordinators' dashboard in a real headless Chromium (Debian's), driven
// by playwright-core, against a hub on 127.0.0.1 filled by real devices through the sync protocol
// (server/examples/dash_fixture.rs). Prints `N passed, N failed` last; exits 1 on any failure.
// Usage: node dashboard.test.mjs <fixture binary> <output dir>

import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [fixtureBin, outDir] = process.argv.slice(2);
const shots = join(outDir, 'screenshots');
const downloads = join(outDir, 'downloads');
mkdirSync(shots, { recursive: true });
mkdirSync(downloads, { recursive: true });

// --- the hub and its devices
const data = mkdtempSync(join(tmpdir(), 'gocua-dash-'));
const fixture = spawn(fixtureBin, [data], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: fixture.stdout });
const waiting = [];
const queued = [];
lines.on('line', (l) => (waiting.length ? waiting.shift()(l) : queued.push(l)));
const nextLine = () => new Promise((res) => (queued.length ? res(queued.shift()) : waiting.push(res)));
async function cmd(c) {
  fixture.stdin.write(c + '\n');
  return JSON.parse(await nextLine());
}
const fx = JSON.parse(await nextLine());
const base = fx.url + '/dashboard';

// --- a tiny runner
let passed = 0, failed = 0;
async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${(e && e.stack || e).toString().split('\n').slice(0, 4).join('\n     ')}`);
    try { await page.screenshot({ path: join(shots, `FAIL-${name.replace(/\W+/g, '-')}.png`), fullPage: true }); } catch {}
  }
}
function eq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
function ok(cond, what) { if (!cond) throw new Error(what); }
async function shot(name) { await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true }); }

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 900 } });
const page = await context.newPage();
// Every confirmation is accepted, and counted: they come from the hub's own script (app.js).
let dialogs = 0;
page.on('dialog', (d) => { dialogs += 1; d.accept(); });
// The pages' CSP allows no inline script or style: a violation is a defect.
const cspViolations = [];
page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });

async function signIn(id = fx.coordinator, password = fx.password) {
  await page.goto(base + '/login');
  await page.fill('input[name=coordinator]', id);
  await page.fill('input[name=password]', password);
  return Promise.all([page.waitForNavigation(), page.click('form[action="/dashboard/login"] button')]);
}
const value = async (sel) => Number(await page.getAttribute(sel, 'data-value'));

try {
  const state0 = await cmd('state');

  await test('a wrong password gets a clear page and changes nothing', async () => {
    const [resp] = await signIn(fx.coordinator, 'not-the-password');
    eq(resp.status(), 401, 'status');
    ok(await page.isVisible('#login-error'), 'the wrong-password message is shown');
    await shot('01-wrong-password');
    eq(await cmd('state'), state0, 'hub state');
    await page.goto(base + '/');
    ok(page.url().endsWith('/dashboard/login'), 'still signed out: ' + page.url());
  });

  await test('sign in and read the numbers the devices sent', async () => {
    await signIn();
    ok(page.url().endsWith('/dashboard/'), 'on the overview: ' + page.url());
    eq(await value('#n-households'), fx.households, 'households');
    eq(await value('#n-members'), fx.members, 'members');
    eq(await value('#n-visits'), fx.visits_this_week, 'visits this week');
    eq(await value('#n-five'), fx.with_five, 'households with the 5 skills');
    for (const [hamlet, want] of Object.entries(fx.per_hamlet)) {
      const row = page.locator(`#hamlets tr[data-hamlet="${hamlet}"]`);
      eq(Number(await row.getAttribute('data-households')), want.households, `${hamlet} households`);
      eq(Number(await row.getAttribute('data-five')), want.with_five, `${hamlet} with 5 skills`);
    }
    ok(await page.locator('#time-chart svg path').count() === 2, 'two lines in the chart over time');
    ok((await page.textContent('#items-chart')).includes('Đã cài VNeID') || true, 'item chart');
    const html = await page.content();
    ok(html.includes('Tổng quan'), 'Vietnamese by default');
    await shot('02-overview');
  });

  await test('expected households per hamlet put the hamlet that lags first', async () => {
    await page.goto(base + '/');
    await page.click('#targets summary');
    const hamlets = Object.keys(fx.per_hamlet);
    // Every hamlet expects twice what it has, except the last, which expects ten times as many.
    for (const [i, h] of hamlets.entries()) {
      const want = fx.per_hamlet[h].households * (i === hamlets.length - 1 ? 10 : 2);
      await page.fill(`#targets-form input[name="h:${h}"]`, String(want));
    }
    await Promise.all([page.waitForNavigation(), page.click('#targets-form button')]);
    const last = hamlets[hamlets.length - 1];
    eq(await page.locator('#hamlets tr[data-hamlet]').first().getAttribute('data-hamlet'), last, 'the least complete hamlet first');
    eq(Number(await page.locator(`#hamlets tr[data-hamlet="${last}"]`).getAttribute('data-expected')), fx.per_hamlet[last].households * 10, 'its target');
    ok((await page.locator(`#hamlets tr[data-hamlet="${last}"]`).textContent()).includes('(10%)'), 'registered of expected in percent');
    await shot('02b-targets');
  });

  await test('activity per volunteer, with a range of days', async () => {
    await page.goto(base + '/activity');
    const rows = await page.locator('#activity tr[data-volunteer]').evaluateAll((rs) => rs.map((r) => r.dataset.volunteer));
    for (const v of ['vol-hoa', 'vol-lan', 'vol-minh']) ok(rows.includes(v), `${v} listed`);
    const registered = await page.locator('#activity tr[data-volunteer]').evaluateAll((rs) => rs.reduce((n, r) => n + Number(r.dataset.registered), 0));
    eq(registered, fx.households, 'every household registered in the last four weeks, by someone');
    await shot('02e-activity');
    await page.fill('#range-form input[name=from]', '2020-01-01');
    await page.fill('#range-form input[name=to]', '2020-01-31');
    await Promise.all([page.waitForNavigation(), page.click('#range-form button')]);
    const none = await page.locator('#activity tr[data-volunteer]').evaluateAll((rs) => rs.reduce((n, r) => n + Number(r.dataset.registered), 0));
    eq(none, 0, 'nothing in January 2020');
  });

  await test('the map draws the households from their own positions, offline', async () => {
    const external = [];
    page.on('request', (r) => { if (!r.url().startsWith(fx.url)) external.push(r.url()); });
    await page.goto(base + '/map');
    const placed = Number(await page.getAttribute('#map', 'data-placed'));
    const count = async (sel) => ((await page.locator(sel).count()) ? Number(await page.getAttribute(sel, 'data-count')) : 0);
    const unplaced = await count('#unplaced');
    const far = await count('#far');
    eq(placed + unplaced + far, fx.households, 'every household drawn, or counted as without a position or far away');
    eq(await page.locator('#map svg a').count(), placed, 'a point each');
    const legend = await page.locator('#legend li').evaluateAll((ls) => ls.reduce((n, l) => n + Number(l.dataset.count), 0));
    eq(legend, placed, 'the legend counts every point');
    await shot('02f-map');
    await page.selectOption('#map-form select[name=by]', 'visits');
    await Promise.all([page.waitForNavigation(), page.click('#map-form button')]);
    ok(await page.locator('#legend li[data-class="red"]').count() === 1, 'coloured by visits');
    eq(external, [], 'nothing fetched from another address');
  });

  await test("a hamlet's household cards, ready for the browser's print", async () => {
    const [hamlet, want] = Object.entries(fx.per_hamlet)[0];
    await page.goto(base + '/');
    await Promise.all([page.waitForNavigation(), page.click(`#hamlets tr[data-hamlet="${hamlet}"] a.print-link`)]);
    eq(await page.locator('article.hh-card').count(), want.households, 'one card per household');
    eq(await page.locator('article.hh-card .qr svg').count(), want.households, 'a QR code each');
    await shot('02c-print-cards');
    await page.emulateMedia({ media: 'print' });
    ok(!(await page.locator('header.top').isVisible()), 'no navigation on paper');
    await shot('02d-print-cards-paper');
    await page.emulateMedia({ media: 'screen' });
  });

  await test('sync report: devices of the commune only, threshold highlights, session log', async () => {
    await page.goto(base + '/sync');
    const devices = await page.locator('#devices tr[data-device]').evaluateAll((rows) => rows.map((r) => r.dataset.volunteer));
    eq([...devices].sort(), ['vol-hoa', 'vol-lan', 'vol-minh'], 'volunteers shown');
    eq(await page.locator('#devices tr.stale').count(), 0, 'nothing overdue at 24 h');
    await page.fill('#threshold', '1');
    await Promise.all([page.waitForNavigation(), page.click('#threshold-form button')]);
    eq(await page.inputValue('#threshold'), '1', 'threshold saved');
    ok((await page.locator('#devices tr[data-device] td:nth-child(4)').first().textContent()).match(/trước/), 'how long ago, in words');
    await shot('03-sync-report');
    await page.click('#devices tr[data-volunteer="vol-lan"] a');
    ok((await page.locator('table.sessions tr[data-session]').count()) >= 3, 'the session log of a device');
    await shot('04-device-sessions');
  });

  await test('data quality: duplicates, and a conflict side by side', async () => {
    await page.goto(base + '/quality');
    const conflict = page.locator(`.conflict[data-household="${fx.shared_household}"]`);
    eq(await conflict.count(), 1, 'the conflict is listed');
    const values = await conflict.locator('.code').allTextContents();
    eq([...values].sort(), [...fx.conflict_values].sort(), 'both values shown');
    ok((await conflict.textContent()).includes('vol-lan') && (await conflict.textContent()).includes('vol-minh'), 'who wrote each');
    const dups = await page.locator('#duplicates tr.duplicate').allTextContents();
    ok(dups.some((d) => d.includes('2345') && !d.includes('001080012345')), 'same ID number, masked: ' + dups);
    ok(dups.some((d) => d.includes('Nguyễn Văn An') && d.includes('Nguyễn Văn Ân')), 'same place, similar head name');
    await shot('05-data-quality');
  });

  await test('resolve a conflict on the hub and see it reach the devices at their next sync', async () => {
    const before = await cmd('sync vol-lan');
    ok(before.conflicts > 0, 'the device holds the conflict before: ' + JSON.stringify(before));
    const form = page.locator(`.conflict[data-household="${fx.shared_household}"] .value`).filter({ hasText: '12A' }).locator('form');
    await Promise.all([page.waitForNavigation(), form.locator('button').click()]);
    ok(await page.isVisible('#notice'), 'resolution confirmed');
    eq(await page.locator(`.conflict[data-household="${fx.shared_household}"]`).count(), 0, 'the conflict is gone');
    for (const vol of ['vol-lan', 'vol-minh']) {
      const after = await cmd(`sync ${vol}`);
      eq([after.outcome, after.house_number, after.conflicts], ['Success', '12A', 0], `${vol} after its sync`);
    }
  });

  await test('households: search without diacritics, a household page with masked IDs and history', async () => {
    await page.goto(base + '/households');
    await page.fill('#q', 'nguyen van an');
    await Promise.all([page.waitForNavigation(), page.click('#search-form button')]);
    const heads = await page.locator('#household-list tr[data-household] td:first-child').allTextContents();
    eq([...heads].map((h) => h.trim()).sort(), ['Nguyễn Văn An', 'Nguyễn Văn Ân'], 'found both spellings');
    await shot('06-households-search');
    await page.goto(base + '/households/' + fx.shared_household);
    const ids = await page.locator('#members td.id-number').allTextContents();
    ok(ids.some((i) => i.endsWith('2345') && i.includes('•')) && !ids.some((i) => i.includes('001080')), 'ID masked: ' + ids);
    const history = await page.textContent('#history');
    ok(history.includes('Chọn giá trị cho') && history.includes(fx.coordinator), 'the resolution is in the history, in words');
    ok(!/[a-z]+\.(set|add|create|resolve)\b/.test(history), 'no change codes in the history: ' + history);
    ok(history.includes('vol-lan'), 'changes by device');
    ok(await page.locator('#card-qr svg').count() === 1, 'the household card QR');
    ok((await page.textContent('#plus-code')).includes('+'), 'plus code');
    await shot('07-household');
  });

  await test("another commune's household is refused with a clear page", async () => {
    const resp = await page.goto(base + '/households/' + fx.other_commune_household);
    eq(resp.status(), 403, 'status');
    eq(await page.getAttribute('.error-page', 'data-error'), 'err_other_commune', 'page');
    await shot('08-other-commune');
  });

  await test("a form for another commune's household changes nothing", async () => {
    const s = await cmd('state');
    const csrf = await page.evaluate(() => document.querySelector('input[name=csrf]').value);
    await page.evaluate(({ id, csrf }) => {
      const f = document.createElement('form');
      f.method = 'post'; f.action = '/dashboard/quality/resolve';
      for (const [k, v] of Object.entries({ csrf, household: id, field: 'household.house_number', value: '1', seq: '1' })) {
        const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i);
      }
      document.body.appendChild(f); f.submit();
    }, { id: fx.other_commune_household, csrf });
    await page.waitForSelector('.error-page');
    eq(await page.getAttribute('.error-page', 'data-error'), 'err_other_commune', 'page');
    eq(await cmd('state'), s, 'hub state');
  });

  await test('a forged form gets a clear page and changes nothing', async () => {
    const s = await cmd('state');
    await page.goto(base + '/sync');
    await page.evaluate(() => { document.querySelector('#threshold-form input[name=csrf]').value = 'forged'; });
    await page.fill('#threshold', '99');
    await Promise.all([page.waitForNavigation(), page.click('#threshold-form button')]);
    eq(await page.getAttribute('.error-page', 'data-error'), 'err_forged', 'page');
    await shot('09-forged-form');
    eq(await cmd('state'), s, 'hub state');
  });

  await test('enrol a device with the pairing code shown, then revoke it', async () => {
    await page.goto(base + '/devices');
    await page.fill('input[name=volunteer]', 'vol-moi');
    await page.selectOption('select[name=area]', 'bac');
    await Promise.all([page.waitForNavigation(), page.click('#pair-form button')]);
    const code = (await page.textContent('#pair-code')).trim();
    ok(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}$/.test(code), 'a code: ' + code);
    ok(await page.locator('#issued svg').count() === 1, 'its QR');
    ok((await page.textContent('#pair-payload')).includes(code), 'QR payload holds the code');
    await shot('10-pairing-code');
    const enrolled = await cmd(`enrol vol-moi ${code}`);
    eq([enrolled.ok, enrolled.area, enrolled.outcome, enrolled.households], [true, 'bac', 'Success', fx.per_hamlet['thon-bac'].households], 'enrolled and synced');
    const reuse = await cmd(`enrol vol-lai ${code}`);
    eq(reuse.ok, false, 'a code works once');
    await page.goto(base + '/devices');
    const row = page.locator('#device-list tr[data-device]').filter({ hasText: 'vol-moi' });
    eq(await row.count(), 1, 'the new device is listed');
    // Paused for a while: refused at sync, nothing erased; resumed, it syncs again.
    await Promise.all([page.waitForNavigation(), row.locator('form.pause-device button').click()]);
    eq(await page.locator('#device-list tr[data-device] [data-paused]').count(), 1, 'shown paused');
    const paused = await cmd('sync vol-moi');
    ok(paused.outcome.startsWith('error') && /paused/.test(paused.outcome), 'refused while paused: ' + paused.outcome);
    await Promise.all([page.waitForNavigation(), page.locator('#device-list tr[data-device]').filter({ hasText: 'vol-moi' }).locator('form.pause-device button').click()]);
    eq((await cmd('sync vol-moi')).outcome, 'Success', 'resumed');
    await Promise.all([page.waitForNavigation(), row.locator('form[action$="/revoke"] button').click()]);
    ok((await page.locator('#device-list tr[data-device]').filter({ hasText: 'vol-moi' }).textContent()).match(/thu hồi/), 'shown revoked');
    const refused = await cmd('sync vol-moi');
    ok(refused.outcome.startsWith('error'), 'the revoked device is refused: ' + refused.outcome);
    // A code handed to the wrong person is cancelled before it is used.
    await page.fill('input[name=volunteer]', 'vol-sai');
    await Promise.all([page.waitForNavigation(), page.click('#pair-form button')]);
    const mistaken = (await page.textContent('#pair-code')).trim();
    const open = page.locator('#pairing-list tr[data-state="pairing_open"]').filter({ hasText: 'vol-sai' });
    eq(await open.count(), 1, 'the issued code is listed, not yet used');
    ok(!(await page.textContent('#pairing-list')).includes(mistaken), 'the code itself is not listed');
    eq(await page.locator('#pairing-list tr[data-state="pairing_used"]').filter({ hasText: 'vol-moi' }).count(), 1, 'the used code');
    await Promise.all([page.waitForNavigation(), open.locator('button').click()]);
    eq(await page.locator('#pairing-list tr[data-state="pairing_cancelled"]').filter({ hasText: 'vol-sai' }).count(), 1, 'shown cancelled');
    const stale = await cmd(`enrol vol-sai ${mistaken}`);
    eq(stale.ok, false, 'a cancelled code enrols nothing');
    await shot('11-devices');
  });

  await test('download both exports and check their contents', async () => {
    await page.goto(base + '/exports');
    await shot('12-exports');
    const get = async (sel) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click(sel)]);
      const path = join(downloads, dl.suggestedFilename());
      await dl.saveAs(path);
      return path;
    };
    const hh = readFileSync(await get('#csv-households'));
    eq([...hh.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const hhLines = hh.toString('utf8').trim().split('\r\n');
    eq(hhLines.length - 1, fx.households, 'one line per household');
    ok(hhLines.some((l) => l.includes('Nguyễn Văn Ân')), 'Vietnamese names intact');
    const members = readFileSync(await get('#csv-members')).toString('utf8');
    eq(members.trim().split('\r\n').length - 1, fx.members, 'one line per member');
    ok(members.includes('••••••••2345') && !members.includes('001080012345'), 'ID numbers masked');
    const progress = readFileSync(await get('#csv-progress')).toString('utf8');
    ok(progress.includes('Thôn Bắc'), 'progress per hamlet');
    const xlsx = await get('#xlsx-report');
    const py = `import zipfile,sys,json,re\nz=zipfile.ZipFile(sys.argv[1])\nwb=z.read('xl/workbook.xml').decode()\nss=z.read('xl/sharedStrings.xml').decode()\nsh=z.read('xl/worksheets/sheet1.xml').decode()\ndate=re.search(r'<c r="I2"[^>]*>', sh)\ncount=re.search(r'<c r="F2"[^>]*>', sh)\nprint(json.dumps({'sheets':wb.count('<sheet '),'named':'Hộ gia đình' in wb and 'Nhân khẩu' in wb,'an':'Nguyễn Văn Ân' in ss,'hamlet':'Thôn Bắc' in ss,'full_id':'001080012345' in ss,'typed':bool(date and count) and 't="s"' not in date.group(0) and 't="s"' not in count.group(0)}))`;
    const x = JSON.parse(execFileSync('python3', ['-c', py, xlsx]).toString());
    eq(x, { sheets: 3, named: true, an: true, hamlet: true, full_id: false, typed: true }, 'xlsx contents');
  });

  await test('the audit log shows every action', async () => {
    await page.goto(base + '/audit');
    const actions = await page.locator('#audit tr[data-action]').evaluateAll((rows) => rows.map((r) => r.dataset.action + ':' + r.dataset.outcome));
    for (const want of ['sign_in:wrong_password', 'sign_in:ok', 'sync.threshold:ok', 'conflict.resolve:ok', 'conflict.resolve:refused_other_commune',
      'household.view:refused_other_commune', 'form.refused:refused', 'device.pair:ok', 'device.revoke:ok', 'device.unpair:ok', 'export:ok']) {
      ok(actions.includes(want), `audit has ${want}: ${actions}`);
    }
    const shown = await page.textContent('#audit');
    ok(!/sign_in|wrong_password|conflict\.resolve|refused_other_commune/.test(shown), 'actions and outcomes in words: ' + shown.slice(0, 300));
    await shot('13-audit');
  });

  await test('a refused household, from the phone to its fix', async () => {
    const refused = await cmd('refuse vol-hoa');
    eq([refused.ok, refused.outcome], [true, 'Partial'], 'the hub refused it: ' + JSON.stringify(refused));
    await page.goto(base + '/sync');
    const hoa = page.locator('#devices tr[data-volunteer="vol-hoa"]');
    ok((await hoa.textContent()).includes('không hợp lệ'), 'the sync report says why: ' + (await hoa.textContent()));
    await page.goto(base + '/quality');
    const row = page.locator(`#refused tr.refused[data-household="${refused.household}"]`);
    eq(await row.count(), 1, 'listed on the data-quality page');
    ok((await row.textContent()).includes('vol-hoa') && (await row.textContent()).includes('sửa trên điện thoại'), 'who, and what to do');
    await shot('16-refused-household');
    await row.locator('a[href*="/sync/device/"]').click();
    ok((await page.textContent('body')).includes('không hợp lệ'), "on the device's page too");
    const fixed = await cmd(`fix vol-hoa ${refused.household}`);
    eq([fixed.outcome, fixed.pending], ['Success', 0], 'the fixed version is stored: ' + JSON.stringify(fixed));
    await page.goto(base + '/quality');
    eq(await page.locator('#refused tr.refused').count(), 0, 'no longer listed');
    await page.goto(base + '/sync');
    ok(!(await page.locator('#devices tr[data-volunteer="vol-hoa"]').textContent()).includes('không hợp lệ'), 'the sync report is clear');
  });

  await test('a coordinator corrects a field where the problem is seen, and the phones receive it', async () => {
    await page.goto(base + '/households/' + fx.shared_household);
    await page.selectOption('#edit-form select[name=member]', '');
    await page.selectOption('#edit-form select[name=key]', 'house_number');
    await page.fill('#edit-form input[name=value]', '14');
    await Promise.all([page.waitForNavigation(), page.click('#edit-form button')]);
    ok(await page.isVisible('#notice'), 'saved: ' + page.url());
    ok((await page.textContent('#history')).includes(fx.coordinator), 'in the history under the coordinator');
    await shot('17-field-corrected');
    const lan = await cmd('sync vol-lan');
    eq([lan.outcome, lan.house_number], ['Success', '14'], 'the phone has it');
    // A value the phone's rules refuse is refused here too, with the reason.
    await page.goto(base + '/households/' + fx.shared_household);
    const member = await page.locator('#edit-form select[name=member] option').nth(1).getAttribute('value');
    await page.selectOption('#edit-form select[name=member]', member);
    await page.selectOption('#edit-form select[name=key]', 'phone');
    await page.fill('#edit-form input[name=value]', '0123');
    const [resp] = await Promise.all([page.waitForNavigation(), page.click('#edit-form button')]);
    eq(resp.status(), 400, 'refused');
    ok((await page.textContent('body')).includes('Không lưu được'), 'with a reason');
  });

  await test('two households that are one: compared side by side, then merged', async () => {
    await page.goto(base + '/quality');
    const pair = page.locator('#duplicates tr.duplicate').filter({ hasText: 'Nguyễn Văn Ân' }).filter({ hasText: 'Nguyễn Văn An' }).filter({ has: page.locator('a.button') });
    eq(await pair.count(), 1, 'the pair is listed once');
    ok((await pair.textContent()).includes('Tên chủ hộ gần giống'), 'with the rules that matched');
    await Promise.all([page.waitForNavigation(), pair.locator('a.button').click()]);
    eq(await page.locator('.merge-side').count(), 2, 'both sides');
    ok((await page.textContent('#merge')).includes('vol-lan') && (await page.textContent('#merge')).includes('vol-minh'), 'who registered each');
    await shot('18-merge-compare');
    const keep = page.locator(`.merge-side[data-household="${fx.shared_household}"]`);
    await Promise.all([page.waitForNavigation(), keep.locator('button').click()]);
    ok((await page.textContent('#notice')).includes('gộp'), 'merged');
    eq(await page.locator('#duplicates tr.duplicate').filter({ hasText: 'Nguyễn Văn Ân' }).filter({ hasText: 'Nguyễn Văn An' }).filter({ has: page.locator('a.button') }).count(), 0, 'the pair is settled');
    // No phone has it yet: it can be undone, and the pair is back.
    const recent = page.locator('#merges tr.merge').first();
    eq(await recent.getAttribute('data-state'), 'undoable', 'undoable before any sync');
    await Promise.all([page.waitForNavigation(), recent.locator('button').click()]);
    ok((await page.textContent('#notice')).includes('hoàn tác'), 'undone');
    const again = page.locator('#duplicates tr.duplicate').filter({ hasText: 'Nguyễn Văn Ân' }).filter({ hasText: 'Nguyễn Văn An' }).filter({ has: page.locator('a.button') });
    eq(await again.count(), 1, 'the pair is listed again');
    // Merged again; once the phones have it, it stays.
    await Promise.all([page.waitForNavigation(), again.locator('a.button').click()]);
    await Promise.all([page.waitForNavigation(), page.locator(`.merge-side[data-household="${fx.shared_household}"] button`).click()]);
    for (const vol of ['vol-minh', 'vol-lan']) {
      const after = await cmd(`sync ${vol}`);
      eq(after.outcome, 'Success', `${vol} syncs after the merge`);
    }
    await page.goto(base + '/quality');
    eq(await page.locator('#merges tr.merge').first().getAttribute('data-state'), 'synced', 'phones have it: no undo');
  });

  await test('a phone three hours ahead: told on the sync report, its dates corrected by that error', async () => {
    const fast = await cmd('fast_clock vol-nhanh');
    eq([fast.ok, fast.outcome], [true, 'Success'], 'synced: ' + JSON.stringify(fast));
    await page.goto(base + '/sync');
    const row = page.locator('#devices tr[data-volunteer="vol-nhanh"]');
    ok((await row.locator('.clock').textContent()).includes('Đồng hồ nhanh 3 giờ'), 'the clock error is shown');
    await page.goto(base + '/households/' + fast.household);
    ok((await page.textContent('#warnings')).includes('tương lai'), 'its dates are flagged');
    const fix = page.locator('form.clock-fix');
    eq(await fix.count(), 1, 'a correction is offered');
    await shot('19-clock-correction');
    await Promise.all([page.waitForNavigation(), fix.locator('button').click()]);
    ok(await page.isVisible('#notice'), 'corrected');
    ok(!(await page.content()).includes('ở tương lai so với máy chủ'), 'no date is flagged any more');
    ok((await page.textContent('#history')).includes('Lùi 3 giờ'), 'the correction is in the history, in words');
  });

  await test('an erasure request filed by a phone is approved, and leaves every copy', async () => {
    const filed = await cmd('request_erasure vol-lan');
    eq([filed.ok, filed.step, filed.filed], [true, 'Requested', 1], 'a request, filed by the hub: ' + JSON.stringify(filed));
    await page.goto(base + '/erasure');
    const row = page.locator('#erasure-pending tr[data-request]');
    eq(await row.count(), 1, 'one request waits');
    ok((await row.textContent()).includes('vol-lan'), 'the volunteer who filed it');
    await shot('14-erasure-requests');
    await Promise.all([page.waitForNavigation(), row.locator('button.danger').click()]);
    ok((await page.textContent('#notice')).length > 0, 'a notice says it is done');
    eq(await page.locator('#erasure-pending tr[data-request]').count(), 0, 'nothing waits');
    eq(await page.locator('#erasure-decided tr[data-request]').count(), 1, 'listed as decided');
    const after = await cmd(`erased vol-lan ${filed.household}`);
    eq([after.erased, after.count, after.pending], [true, 1, 0], 'the phone dropped its copy: ' + JSON.stringify(after));
    const resp = await page.goto(base + '/households/' + filed.household);
    eq(resp.status(), 404, 'gone from the dashboard');
  });

  await test('areas: a hamlet added, renamed and merged; the phones follow and lose nothing', async () => {
    await cmd('sync vol-lan');
    const before = await cmd('held vol-lan');
    const total = Object.values(before.by_hamlet).reduce((a, b) => a + b, 0);
    ok(before.by_hamlet['thon-tay'] > 0, 'Lan holds households of Thôn Tây: ' + JSON.stringify(before.by_hamlet));
    await page.goto(base + '/areas');
    await shot('20-areas');
    const bac = page.locator('section.area[data-area="bac"]');
    await bac.locator('form.add-hamlet input[name=name]').fill('Thôn Mới');
    await Promise.all([page.waitForNavigation(), bac.locator('form.add-hamlet button').click()]);
    ok(await page.isVisible('#notice'), 'told it was added');
    const added = page.locator('tr[data-hamlet="thon-moi"]');
    eq(await added.count(), 1, 'the new hamlet is listed');
    await added.locator('form.rename input[name=name]').fill('Thôn Mới Lập');
    await Promise.all([page.waitForNavigation(), added.locator('form.rename button').click()]);
    ok((await page.textContent('tr[data-hamlet="thon-moi"]')).includes('Thôn Mới Lập'), 'renamed, same id');
    await cmd('sync vol-hoa');
    eq((await cmd('held vol-hoa')).hamlets['thon-moi'], 'Thôn Mới Lập', "Hoa's phone reads the new name");
    // A name taken, accents aside: a clear refusal, nothing changed.
    await page.goto(base + '/areas');
    await bac.locator('form.add-hamlet input[name=name]').fill('thon dong');
    await Promise.all([page.waitForNavigation(), bac.locator('form.add-hamlet button').click()]);
    ok((await page.textContent('main')).includes('đã có thôn mang tên này'), 'refused with the reason');
    // Thôn Tây merged into Thôn Đông.
    await page.goto(base + '/areas');
    const tay = page.locator('tr[data-hamlet="thon-tay"]');
    await tay.locator('form.merge select').selectOption('thon-dong');
    await Promise.all([page.waitForNavigation(), tay.locator('form.merge button').click()]);
    ok((await page.textContent('#notice')).includes(`chuyển ${before.by_hamlet['thon-tay']} hộ`), 'households moved: ' + await page.textContent('#notice'));
    eq(await page.locator('tr[data-hamlet="thon-tay"]').count(), 0, 'the merged hamlet is retired');
    await shot('21-areas-merged');
    await cmd('sync vol-lan');
    await cmd('sync vol-lan');
    const after = await cmd('held vol-lan');
    eq([after.by_hamlet, after.pending], [{ 'thon-dong': total }, 0], "Lan's phone: every household, all in Thôn Đông");
    ok(!('thon-tay' in after.hamlets), 'Thôn Tây left her pickers');
  });

  await test('coordinators: invited with a temporary password shown once, who then sets their own', async () => {
    await page.goto(base + '/team');
    await page.fill('#invite input[name=id]', 'cb-thu');
    await page.fill('#invite input[name=name]', 'Đỗ Thị Thu');
    await page.selectOption('#invite select[name=role]', 'viewer');
    await Promise.all([page.waitForNavigation(), page.click('#invite button')]);
    const temporary = (await page.textContent('#temporary-password')).trim();
    ok(/^[A-Z0-9]{12}$/.test(temporary), 'a temporary password: ' + temporary.length);
    await shot('22-team');
    await page.goto(base + '/team');
    ok(!(await page.content()).includes(temporary), 'shown once');
    await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
    await signIn('cb-thu', temporary);
    ok(await page.isVisible('#read-only'), 'signed in as a viewer');
    for (const path of ['/', '/devices', '/quality', '/erasure']) {
      await page.goto(base + path);
      const shown = await page.locator('form[method=post]:visible').evaluateAll((fs) => fs.map((f) => f.getAttribute('action')));
      ok(shown.every((a) => ['/dashboard/logout', '/dashboard/sync/threshold'].includes(a)), `a viewer sees no edit form on ${path}: ${shown}`);
    }
    await page.goto(base + '/team');
    eq(await page.locator('#invite').count(), 0, 'a viewer invites nobody');
    await page.fill('#own-password input[name=current]', temporary);
    await page.fill('#own-password input[name=new]', 'mat-khau-cua-thu');
    await Promise.all([page.waitForNavigation(), page.click('#own-password button')]);
    ok(await page.isVisible('#password-changed'), 'told to sign in again');
    await signIn('cb-thu', 'mat-khau-cua-thu');
    ok(await page.isVisible('#read-only'), 'the new password works');
    await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
    await signIn();
  });

  await test("the commune's list imported: checked row by row, then on the phones to verify", async () => {
    const list = join(outDir, 'danh-sach.csv');
    writeFileSync(list, '\ufeffMã hộ,Thôn,Số nhà,Họ tên,Quan hệ,Giới tính,Số định danh\n' +
      'B001,Thôn Bắc,3,Vũ Văn Khải,Chủ hộ,nam,001080055555\n' +
      'B001,Thôn Bắc,3,Vũ Thị Lan,Vợ,nữ,\n' +
      'B002,Thôn Bắc,9,Mai Văn Long,Chủ hộ,nam,\n' +
      'B003,Thôn Xa,1,Đinh Văn Minh,Chủ hộ,nam,\n');
    await page.goto(base + '/import');
    await page.setInputFiles('#import-check input[type=file]', list);
    await Promise.all([page.waitForNavigation(), page.click('#import-check button')]);
    eq(await page.getAttribute('#import-report', 'data-errors'), '1', 'one row with an error');
    eq(await page.locator('#import-rows tr[data-status="import_error"]').getAttribute('data-line'), '5', 'its line');
    ok(await page.isVisible('#import-refused'), 'nothing to import while a row is wrong');
    ok(!(await page.content()).includes('001080055555'), 'the ID number is never shown');
    await shot('23-import-errors');
    writeFileSync(list, readFileSync(list, 'utf8').split('\n').slice(0, 4).join('\n') + '\n');
    await page.setInputFiles('#import-check input[type=file]', list);
    await Promise.all([page.waitForNavigation(), page.click('#import-check button')]);
    eq(await page.getAttribute('#import-report', 'data-new'), '2', 'two new households');
    await shot('24-import-checked');
    await Promise.all([page.waitForNavigation(), page.click('#import-apply button')]);
    ok((await page.textContent('#notice')).includes('2 hộ'), 'imported: ' + await page.textContent('#notice'));
    await cmd('sync vol-hoa');
    const held = await cmd('held vol-hoa');
    ok(held.to_verify === 2, "on Hoa's phone, to verify: " + JSON.stringify(held));
  });

  await test("a province's follower reads each commune's totals, and nothing of a person", async () => {
    await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
    await signIn('so-tinh');
    ok(page.url().endsWith('/dashboard/province'), 'lands on the province page: ' + page.url());
    const rows = await page.locator('#communes tr[data-commune]').count();
    ok(rows >= 2, 'both communes of the hub: ' + rows);
    const html = await page.content();
    ok(!/Nguyễn Văn An|001080012345|Đường Làng/.test(html), 'no name, number or address');
    eq(await page.locator('nav a').count(), 1, 'one page in the menu');
    await shot('25-province');
    await page.setViewportSize({ width: 390, height: 844 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    ok(wide <= 390, `the page is ${wide} px wide`);
    await shot('30-phone-province');
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(base + '/households');
    ok(page.url().endsWith('/dashboard/province'), 'a commune page sends them back');
    await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
    await signIn();
  });

  await test('bundles from a hamlet without coverage: uploaded, applied, answered', async () => {
    await page.goto(base + '/devices');
    await page.fill('input[name=volunteer]', 'vol-xa');
    await page.selectOption('select[name=area]', 'bac');
    await Promise.all([page.waitForNavigation(), page.click('#pair-form button')]);
    const code = (await page.textContent('#pair-code')).trim();
    eq((await cmd(`enrol vol-xa ${code}`)).ok, true, 'enrolled while in coverage');
    const stick = join(outDir, 'stick');
    mkdirSync(stick, { recursive: true });
    const sealedPath = join(stick, 'gocua-to-hub-xa.gocua');
    const sealed = await cmd(`seal vol-xa ${sealedPath}`);
    eq([sealed.ok, sealed.households, sealed.pending], [true, 1, 1], 'sealed, still pending');
    ok(!readFileSync(sealedPath).toString('latin1').includes('Hà Văn Xa'), 'the file does not show the name');
    const junk = join(stick, 'ghi-chu.gocua');
    writeFileSync(junk, 'not a bundle');
    const before = await cmd('state');
    await page.goto(base + '/bundles');
    ok(await page.isVisible('#bundles-none'), 'nothing received yet');
    await page.setInputFiles('#bundles-upload input[type=file]', [sealedPath, junk]);
    await Promise.all([page.waitForNavigation(), page.click('#bundles-upload button')]);
    eq(await page.locator('#bundles-uploaded li[data-ok="yes"]').count(), 1, 'the bundle applied');
    ok((await page.textContent('#bundles-uploaded li[data-ok="no"]')).includes('không phải gói đồng bộ'), 'the junk file refused, with why');
    eq(await page.locator('#bundles tr[data-applied="yes"]').count(), 1, 'listed applied');
    ok((await page.textContent('#bundles')).includes('vol-xa'), 'by its volunteer');
    ok((await cmd('state')).docs.split(',').length === before.docs.split(',').length + 1, 'the household reached the hub');
    await shot('26-bundles');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#bundles a.answer')]);
    const answer = join(downloads, dl.suggestedFilename());
    await dl.saveAs(answer);
    ok(dl.suggestedFilename().startsWith('gocua-answer-'), 'the answer file: ' + dl.suggestedFilename());
    const opened = await cmd(`open_bundle vol-xa ${answer}`);
    eq([opened.ok, opened.pending], [true, 0], 'the answer settles the phone: ' + JSON.stringify(opened));
    await page.setInputFiles('#bundles-upload input[type=file]', sealedPath);
    await Promise.all([page.waitForNavigation(), page.click('#bundles-upload button')]);
    ok((await page.textContent('#bundles-uploaded li[data-ok="no"]')).includes('đã được áp dụng'), 'the same bundle twice is refused');
    await page.goto(base + '/sync');
    ok(/1 đã áp dụng, 1 bị từ chối/.test(await page.textContent('#bundle-summary')), 'the sync report counts them: ' + await page.textContent('#bundle-summary'));
  });

  await test('English switch', async () => {
    await page.goto(base + '/');
    await Promise.all([page.waitForNavigation(), page.click('#lang-switch')]);
    ok((await page.textContent('h1')).includes('Overview'), 'English heading');
    await shot('14-overview-english');
    await page.click('#lang-switch');
    await page.waitForLoadState();
  });

  await test('an expired session gets a clear page and changes nothing', async () => {
    const s = await cmd('state');
    await page.goto(base + '/sync');
    await cmd('expire');
    await page.fill('#threshold', '48');
    const [resp] = await Promise.all([page.waitForNavigation(), page.click('#threshold-form button')]);
    eq(resp.status(), 401, 'status');
    eq(await page.getAttribute('.error-page', 'data-error'), 'err_expired', 'page');
    await shot('15-expired-session');
    eq(await cmd('state'), s, 'hub state');
    const again = await page.goto(base + '/');
    eq(again.status(), 401, 'still refused');
  });

  await test('confirmations come from the hub\'s script; the CSP was never violated', async () => {
    ok(dialogs >= 2, 'the revocation and the erasure asked first: ' + dialogs);
    const resp = await page.goto(base + '/devices');
    const csp = resp.headers()['content-security-policy'];
    ok(!csp.includes('unsafe-inline'), 'no inline allowance: ' + csp);
    eq(await page.locator('script:not([src])').count(), 0, 'no inline script');
    eq(cspViolations, [], 'CSP violations');
  });

  await test('every page reads on a 390 px phone: no sideways scrolling, tables as cards', async () => {
    await signIn();
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const [path, name, table] of [['/', 'overview', '#hamlets'], ['/sync', 'sync', '#devices'],
        ['/devices', 'devices', '#device-list'], ['/households', 'households', '#household-list'],
        ['/quality', 'quality', null], ['/areas', 'areas', 'table.hamlets'], ['/team', 'team', '#coordinators'],
        ['/import', 'import', null], ['/bundles', 'bundles', '#bundles'], ['/activity', 'activity', '#activity'], ['/map', 'map', null],
        ['/exports', 'exports', null], ['/erasure', 'erasure', null],
        ['/audit', 'audit', '#audit']]) {
        await page.goto(base + path);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        ok(wide <= 390, `${name}: the page is ${wide} px wide`);
        if (table) {
          const row = page.locator(`${table} tr:has(td)`).first();
          eq(await row.evaluate((r) => getComputedStyle(r).display), 'block', `${name}: a row is a card`);
          ok((await row.locator('td').first().getAttribute('data-label')) !== null, `${name}: cells labelled by their column`);
        }
        await shot(`30-phone-${name}`);
      }
      await page.goto(base + '/');
      const size = await page.locator('#items-chart .bar-label').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      ok(size >= 12, `item labels stay readable: ${size} px`);
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
      await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
    }
  });

  await test('sign out', async () => {
    await signIn();
    await Promise.all([page.waitForNavigation(), page.click('#sign-out')]);
    ok(await page.isVisible('#signed-out'), 'signed out message');
    await page.goto(base + '/');
    ok(page.url().endsWith('/dashboard/login'), 'signed out: ' + page.url());
  });
} finally {
  await browser.close();
  fixture.stdin.write('quit\n');
  await new Promise((res) => fixture.on('exit', res));
  rmSync(data, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
