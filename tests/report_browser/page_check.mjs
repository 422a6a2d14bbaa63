// SPDX-License-Identifier: Apache-2.0
// Opens every HTML page of a folder in headless Chromium and checks it.
//
//   node page_check.mjs [--chromium PATH] [--expect-pages N] FOLDER_OR_PAGE...
//
// Each argument is a folder (every *.html file under it, recursively, is
// checked) or one HTML file. A page fails when:
//   - it logs any console message or throws;
//   - any request fails, or leaves the argument's folder (the page's own
//     folder for a single file): external requests are blocked and reported;
//   - a local link (href or src) names a file that does not exist, or a
//     fragment (#id) that the page does not hold; two elements share an id;
//   - axe-core finds a violation of WCAG 2.0/2.1 A or AA (tags wcag2a,
//     wcag2aa, wcag21a, wcag21aa).
// At the end it prints the page count and the number of checks (axe rules
// passed summed over pages, plus links checked), and exits 1 on any problem.
//
// The report pages forbid scripts (Content-Security-Policy); axe-core is
// evaluated in a browser context created with bypassCSP, not by the page.
// Install the pinned packages with `npm ci` in a folder outside the source
// tree (page_check.sh does this, e.g. in the build tree) and run from there,
// e.g. to check a published site:
//   tests/report_browser/page_check.sh build/page_check build/site
import { chromium } from 'playwright-core';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

function usage(message) {
  console.error(`page_check: ${message}`);
  console.error('usage: node page_check.mjs [--chromium PATH] [--expect-pages N] FOLDER_OR_PAGE...');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { chromium: process.env.CHROMIUM || '/usr/bin/chromium', expectPages: null, targets: [] };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg === '--chromium' && i + 1 < argv.length) options.chromium = argv[++i];
    else if (arg === '--expect-pages' && i + 1 < argv.length) options.expectPages = Number(argv[++i]);
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else options.targets.push(path.resolve(arg));
  }
  if (options.targets.length === 0) usage('no folder or page given');
  return options;
}

function htmlFilesUnder(folder) {
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...htmlFilesUnder(full));
    else if (entry.name.endsWith('.html')) found.push(full);
  }
  return found.sort();
}

// Every page to check, with the folder its requests and links must stay in.
function collectPages(targets) {
  const pages = [];
  for (const target of targets) {
    if (!existsSync(target)) usage(`${target} does not exist`);
    if (statSync(target).isDirectory()) {
      for (const file of htmlFilesUnder(target)) pages.push({ file, root: target });
    } else {
      pages.push({ file: target, root: path.dirname(target) });
    }
  }
  return pages;
}

function inside(root, file) {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

// The flags every browser test passes to Chromium (tests/report_browser/chromium.flags),
// less --headless, which playwright adds itself.
function chromiumFlags() {
  return readFileSync(path.join(here, 'chromium.flags'), 'utf8')
    .split('\n').map((line) => line.trim()).filter((line) => line && line !== '--headless');
}

async function checkPage(context, axeSource, { file, root }) {
  const problems = [];
  const page = await context.newPage();
  const label = path.relative(process.cwd(), file) || file;
  page.on('console', (message) => problems.push(`console ${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  const blocked = new Set();
  page.on('requestfailed', (request) => {
    if (!blocked.has(request.url())) problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') && inside(root, fileURLToPath(url))) return route.continue();
    if (url.startsWith('data:')) return route.continue();
    blocked.add(url);
    problems.push(`request leaves ${path.relative(process.cwd(), root) || root}: ${url} (blocked)`);
    return route.abort('blockedbyclient');
  });

  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

  // Links: every href and src, resolved against the page.
  const links = await page.evaluate(() => {
    const found = [];
    for (const element of document.querySelectorAll('[href], [src]')) {
      for (const attribute of ['href', 'src']) {
        const value = element.getAttribute(attribute);
        if (value === null) continue;
        found.push({ value, url: new URL(value, document.baseURI).href });
      }
    }
    const ids = [...document.querySelectorAll('[id]')].map((element) => element.id);
    return { found, ids };
  });
  const seen = new Set();
  for (const id of links.ids) {
    if (seen.has(id)) problems.push(`duplicate id: ${id}`);
    seen.add(id);
  }
  for (const { value, url } of links.found) {
    const parsed = new URL(url);
    if (parsed.protocol === 'mailto:' || parsed.protocol === 'tel:' || parsed.protocol === 'data:') continue;
    if (parsed.protocol !== 'file:') {
      problems.push(`link leaves the folder: ${value}`);
      continue;
    }
    const target = fileURLToPath(parsed.href.split('#')[0]);
    if (!inside(root, target)) problems.push(`link leaves the folder: ${value}`);
    else if (!existsSync(target)) problems.push(`link to a missing file: ${value}`);
    else if (parsed.hash && target === file) {
      const id = decodeURIComponent(parsed.hash.slice(1));
      if (!links.ids.includes(id)) problems.push(`link to a missing fragment: ${value}`);
    }
  }

  await page.evaluate(axeSource);
  const axe = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    WCAG_TAGS);
  for (const violation of axe.violations) {
    for (const node of violation.nodes) {
      problems.push(`axe ${violation.id} (${violation.impact}): ${violation.help}\n      at ${node.target.join(' ')}\n      ${node.failureSummary.replace(/\n/g, '\n      ')}`);
    }
  }
  await page.close();
  return { label, problems, axePassed: axe.passes.length, linksChecked: links.found.length };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const pages = collectPages(options.targets);
  if (pages.length === 0) usage('no .html page found');
  if (options.expectPages !== null && pages.length !== options.expectPages) {
    console.error(`page_check: expected ${options.expectPages} pages, found ${pages.length}`);
    process.exit(1);
  }
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const browser = await chromium.launch({ executablePath: options.chromium, headless: true, args: chromiumFlags() });
  let axePassed = 0;
  let linksChecked = 0;
  let failedPages = 0;
  try {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 768 } });
    for (const entry of pages) {
      const result = await checkPage(context, axeSource, entry);
      axePassed += result.axePassed;
      linksChecked += result.linksChecked;
      if (result.problems.length === 0) {
        console.log(`ok: ${result.label}`);
      } else {
        ++failedPages;
        console.log(`FAIL: ${result.label}`);
        for (const problem of result.problems) console.log(`    ${problem}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`page_check: ${pages.length} pages, ${axePassed + linksChecked} checks ` +
              `(${axePassed} axe rules passed over all pages, ${linksChecked} links), ` +
              `${failedPages} pages with problems`);
  process.exit(failedPages === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`page_check: ${error.stack || error}`);
  process.exit(1);
});
