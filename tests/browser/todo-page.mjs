// Drives samples/Todo's page in headless Chromium, as a person would: load it, send the add form invalid twice and
// find the messages next to the field, add a todo, mark it done, attach a
// file, reload and find it all still there, then choose a filter and find it remembered on the next visit.
//   node todo-page.mjs BASE_URL SCREENSHOT.png
// Exits 0 when every step saw what it should; otherwise prints the step that failed and exits 1.
import { chromium } from 'playwright-core';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, screenshot] = process.argv.slice(2);
if (!base || !screenshot) { console.error('usage: node todo-page.mjs BASE_URL SCREENSHOT.png'); process.exit(2); }

const check = (condition, what) => { if (!condition) throw new Error('expected: ' + what); console.log('ok: ' + what); };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // This machine's network is closed: no background requests, no sandbox as root.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const title = 'Buy milk ' + Date.now() + ' <b>&</b>';

  let response = await page.goto(base);
  check(response.status() === 200 && (await page.title()) === 'Todo', 'the page loads');

  // An invalid form is the page again (400): the message next to its field, what was typed still in it.
  await page.fill('#add input[name=title]', '   '); // passes the browser's `required`, not the server's [Required]
  [response] = await Promise.all([page.waitForNavigation(), page.click('#add button')]);
  check(response.status() === 400 && (await page.locator('#add #title-error').innerText()) === 'Write what needs doing.'
    && (await page.inputValue('#add input[name=title]')) === '   ', 'a blank title shows its message next to the field, the field kept');
  const long = 'x'.repeat(1000) + ' <b>&</b> "quoted"';
  await page.locator('#add input[name=title]').evaluate(input => input.removeAttribute('maxlength')); // as a client that ignores it
  await page.fill('#add input[name=title]', long);
  [response] = await Promise.all([page.waitForNavigation(), page.click('#add button')]);
  check(response.status() === 400 && (await page.locator('#add #title-error').innerText()) === "A todo's title has at most 1000 characters."
    && (await page.inputValue('#add input[name=title]')) === long && (await page.locator('#add b').count()) === 0
    && (await page.getAttribute('#add input[name=title]', 'aria-invalid')) === 'true',
    'a title too long shows its message, the field keeps it exactly (HTML-encoded, no markup injected)');

  await page.fill('#add input[name=title]', title);
  await Promise.all([page.waitForNavigation(), page.click('#add button')]);
  check(page.url() === base, 'adding answers 303 back to the page');
  const item = page.locator('li.todo', { hasText: title });
  check(await item.count() === 1, 'the new todo is listed, its title shown as text');

  await Promise.all([page.waitForNavigation(), item.locator('form.toggle button').click()]);
  check(await page.locator('li.todo.done', { hasText: title }).count() === 1, 'marking it done shows it done');

  const file = join(mkdtempSync(join(tmpdir(), 'todo-upload-')), 'shopping list.txt');
  writeFileSync(file, 'milk\neggs\n');
  await item.locator('form.upload input[type=file]').setInputFiles(file);
  await Promise.all([page.waitForNavigation(), item.locator('form.upload button').click()]);
  const link = page.locator('li.todo', { hasText: title }).locator('.attachments a');
  check(await link.innerText() === 'shopping list.txt', 'the attachment is listed under the todo');
  const download = await page.request.get(await link.getAttribute('href', { timeout: 5000 }).then(h => new URL(h, base).href));
  check((await download.text()) === 'milk\neggs\n' && /attachment; filename="shopping list.txt"/.test(download.headers()['content-disposition']),
    'the attachment downloads with its content and name');

  response = await page.reload();
  check(await page.locator('li.todo.done', { hasText: title }).locator('.attachments a').count() === 1,
    'after a reload the todo is still done, with its attachment');

  await Promise.all([page.waitForNavigation(), page.click('nav a[data-filter=open]')]);
  check(await page.locator('li.todo', { hasText: title }).count() === 0, 'the "open" filter hides the done todo');
  await page.goto(base);
  check(await page.locator('ul#todos').getAttribute('data-filter') === 'open' && await page.locator('li.todo', { hasText: title }).count() === 0,
    'a later visit without ?filter= remembers "open" (a cookie)');
  await Promise.all([page.waitForNavigation(), page.click('nav a[data-filter=done]')]);
  check(await page.locator('li.todo', { hasText: title }).count() === 1, 'the "done" filter shows it');

  await page.screenshot({ path: screenshot, fullPage: true });
  console.log('screenshot: ' + screenshot);
} catch (e) {
  console.error('FAILED: ' + e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
